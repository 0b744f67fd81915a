"""Shared test settings: where the project, its scripts and the reference data are."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# IBM's OpenAPI document as upstream publishes it (with its defects), kept outside the
# project: it may be used in tests but never committed. CI has it beside the checkout.
REFERENCE_VARIABLE = "IQP_REFERENCE_DOCUMENT"
REQUIRE_REFERENCE_VARIABLE = "IQP_REQUIRE_REFERENCE"
BESIDE_THE_CHECKOUT = ROOT.parent / "shared" / "reference" / "qiskit-runtime-api.json"


def reference_location(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the upstream reference document is looked for: the variable's path, else ../shared."""
    given = environ.get(REFERENCE_VARIABLE)
    return Path(given) if given else BESIDE_THE_CHECKOUT


REFERENCE = reference_location()


def require_reference(environ: Mapping[str, str] = os.environ) -> Path:
    """The upstream reference document's path; the test skips when it is absent.

    With IQP_REQUIRE_REFERENCE=1 (CI sets it, as it sets IQP_REQUIRE_QISKIT) an absent
    document fails the test instead, so CI never passes by skipping.
    """
    path = reference_location(environ)
    if path.is_file():
        return path
    reason = (
        f"needs the upstream reference document (IBM's published OpenAPI document for the "
        f"Qiskit Runtime API, qiskit-runtime-api.json), not found at {path}: set "
        f"{REFERENCE_VARIABLE} to its path, or check the project out beside shared/ so that "
        f"../shared/reference/qiskit-runtime-api.json exists"
    )
    if environ.get(REQUIRE_REFERENCE_VARIABLE) == "1":
        pytest.fail(f"{REQUIRE_REFERENCE_VARIABLE}=1 but the test {reason}")
    pytest.skip(f"this test {reason}")


@pytest.fixture(scope="session")
def reference_path() -> Path:
    """The upstream reference document (a fixture, so a skip names the test that needs it)."""
    return require_reference()


# No test reaches the developer's keyring, nor lets keyring pick a backend (with keyrings.alt
# installed it would pick a file under ~/.local/share): tests that need one set their own.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

# scripts/ is not a package users install; the pipeline tests import it from the checkout.
sys.path.insert(0, str(ROOT / "scripts"))

# The pipeline runs the generator, and the pinned generator needs Python 3.11+: it is not
# installed on 3.10 (see pyproject.toml), where the package itself is tested like anywhere.
# Generating is a developer's step, run by CI on 3.11.
if importlib.util.find_spec("openapi_python_client") is None:
    collect_ignore_glob = ["pipeline/*", "docs/*"]


@pytest.fixture(autouse=True)
def no_developer_iqp_accounts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the accounts the developer saved with `iqp login` (nor so their keyring)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    # Nor shares job-submission pacing with the developer's scripts or with other tests.
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
