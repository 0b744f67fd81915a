"""Shared test settings: where the project, its scripts and the reference data are."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "qiskit-runtime-api.json"

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
