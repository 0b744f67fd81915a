"""A fresh clone with nothing beside it passes its own tests: what needs ../shared skips.

The upstream reference document lives outside the project. Without it the tests that read
it skip and say what it is and how to provide it; with IQP_REQUIRE_REFERENCE=1 (CI) its
absence fails them, so CI cannot pass by skipping.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import (
    BESIDE_THE_CHECKOUT,
    REFERENCE_VARIABLE,
    REQUIRE_REFERENCE_VARIABLE,
    ROOT,
    reference_location,
    require_reference,
)

# One test of each kind that reads the reference: a plain one, and one through the
# pipeline's fixture (the pipeline is collected only where the generator is installed).
READERS = ["tests/realworld/test_corrections.py::test_every_correction_applies_to_the_upstream_reference"]
if importlib.util.find_spec("openapi_python_client") is not None:
    READERS.append("tests/pipeline/test_document.py::test_docs_map_every_upstream_operation_id")


def test_the_variable_names_the_document_and_shared_is_the_fallback(tmp_path: Path) -> None:
    document = tmp_path / "api.json"
    assert reference_location({REFERENCE_VARIABLE: str(document)}) == document
    assert reference_location({}) == BESIDE_THE_CHECKOUT
    assert BESIDE_THE_CHECKOUT.parts[-3:] == ("shared", "reference", "qiskit-runtime-api.json")
    assert BESIDE_THE_CHECKOUT.parent.parent.parent == ROOT.parent
    document.write_text("{}", encoding="utf-8")
    assert require_reference({REFERENCE_VARIABLE: str(document)}) == document


def test_an_absent_document_skips_saying_what_it_is_and_how_to_provide_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_reference({REFERENCE_VARIABLE: str(missing)})
    reason = str(skipped.value)
    assert "OpenAPI document for the Qiskit Runtime API" in reason
    assert str(missing) in reason
    assert f"set {REFERENCE_VARIABLE} to its path" in reason
    assert "../shared/reference/qiskit-runtime-api.json" in reason


def test_ci_requires_the_document(tmp_path: Path) -> None:
    environ = {REFERENCE_VARIABLE: str(tmp_path / "nowhere.json"), REQUIRE_REFERENCE_VARIABLE: "1"}
    with pytest.raises(pytest.fail.Exception, match=f"{REQUIRE_REFERENCE_VARIABLE}=1 but the test needs"):
        require_reference(environ)
    assert f"export {REQUIRE_REFERENCE_VARIABLE}=1" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _pytest(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != REQUIRE_REFERENCE_VARIABLE}
    environ[REFERENCE_VARIABLE] = str(tmp_path / "nowhere.json")
    environ.update(variables)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *READERS],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_readers_skip_without_the_document_and_fail_when_it_is_required(tmp_path: Path) -> None:
    bare = _pytest(tmp_path)
    assert bare.returncode == 0, bare.stdout[-2000:]
    assert f"{len(READERS)} skipped" in bare.stdout
    assert bare.stdout.count(f"set {REFERENCE_VARIABLE} to its path") == len(READERS)
    required = _pytest(tmp_path, **{REQUIRE_REFERENCE_VARIABLE: "1"})
    assert required.returncode == 1
    assert "skipped" not in required.stdout and "passed" not in required.stdout
    # A test failing in its fixture counts as an error, one failing in its body as a failure.
    assert required.stdout.count(f"{REQUIRE_REFERENCE_VARIABLE}=1 but the test needs") >= len(READERS)


@pytest.mark.parametrize("page", ["README.md", "CONTRIBUTING.md"])
def test_the_pages_say_how_to_provide_the_document_and_how_long_the_suite_takes(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    assert REFERENCE_VARIABLE in text and "../shared/reference/qiskit-runtime-api.json" in text
    assert re.search(r"about \d+ minutes", text), "say how long the whole suite takes"
    assert "pytest tests/wrapper tests/primitives tests/helpers -q" in text  # the fast subset
