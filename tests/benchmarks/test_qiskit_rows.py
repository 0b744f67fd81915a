"""The benchmark's qiskit-ibm-runtime rows run: its client can read the payloads served.

The payloads once tagged random bytes as ``QuantumCircuit``; qiskit-ibm-runtime's
``job_get`` decodes such a value as base64 of zlib-compressed QPY, so every qiskit row
failed with ``zlib.error: Error -3 ... incorrect header check``. The circuits are now
OpenQASM text. The second test runs qiskit-ibm-runtime itself (IQP_QISKIT_PYTHON, as
tests/qiskit does; CI requires it with IQP_REQUIRE_QISKIT=1).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks import qiskit_env
from benchmarks.payloads import Payloads, build


@pytest.fixture(scope="module")
def payloads() -> Payloads:
    return build()


def _circuits(value: Any) -> list[Any]:
    """Every PUB circuit in a job body, wherever its params hold one."""
    found: list[Any] = []
    if isinstance(value, dict):
        for pub in value.get("pubs") or []:
            if isinstance(pub, list) and pub:
                found.append(pub[0])
        for item in value.values():
            found += _circuits(item)
    elif isinstance(value, list):
        for item in value:
            found += _circuits(item)
    return found


def test_the_served_circuits_are_openqasm_text_that_qiskits_decoder_leaves_alone(payloads: Payloads) -> None:
    circuits = _circuits(json.loads(payloads.job))
    assert circuits, "the job served for get_job carries its params"
    assert all(isinstance(c, str) and c.startswith("OPENQASM 3.0;\n") for c in circuits)
    assert "QuantumCircuit" not in payloads.job
    assert 2500 < len(circuits[0]) < 3100  # the size the rows were measured with


def _qiskit_python() -> str:
    python = os.environ.get("IQP_QISKIT_PYTHON", "")
    if python and Path(python).is_file():
        return python
    reason = f"IQP_QISKIT_PYTHON is not set to an interpreter with qiskit-ibm-runtime (got {python!r})"
    if os.environ.get("IQP_REQUIRE_QISKIT") == "1":
        pytest.fail(f"IQP_REQUIRE_QISKIT=1 but {reason}")
    pytest.skip(reason)


def test_the_qiskit_in_process_row_runs(payloads: Payloads, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(qiskit_env.ENV_PYTHON, _qiskit_python())
    measured = qiskit_env.inprocess(payloads, number=2, repeat=1)
    assert isinstance(measured, dict), measured  # a string is the reason the row failed
    assert measured["version"] == qiskit_env.QISKIT_VERSION
    assert measured["get_job"]["qiskit"]["best"] > 0 and measured["list_jobs"]["qiskit"]["best"] > 0


def test_without_qiskit_the_row_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(qiskit_env.ENV_PYTHON, str(tmp_path / "no-python"))
    assert qiskit_env.qiskit_python() == "not installed (run benchmarks/run.py --setup-qiskit)"
