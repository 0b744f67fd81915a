"""Executor programs: the body has the shape qiskit-ibm-runtime 0.51 sends, and IBM's own
models accept it and read back what was meant (validate_executor_params.py, run by the
witness interpreter IQP_QISKIT_PYTHON)."""

from __future__ import annotations

import base64
import json
import os
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper.errors import ConfigError
from iqp_wrapper.primitives import (
    CircuitItem,
    ExecutorOptions,
    ProgramError,
    PubError,
    QuantumProgram,
    executor_body,
)

HERE = Path(__file__).parent
QISKIT_BODY = HERE.parents[0] / "realworld" / "qiskit" / "requests" / "post_jobs_executor_sampler_job.json"
VALIDATOR = HERE / "qiskit" / "validate_executor_params.py"

BELL = """OPENQASM 3.0;
include "stdgates.inc";
bit[2] c;
qubit[2] q;
h q[0];
cx q[0], q[1];
c[0] = measure q[0];
c[1] = measure q[1];
"""

ROTATIONS = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
input float[64] alpha;
bit[2] c;
qubit[2] q;
rx(theta) q[0];
ry(alpha) q[1];
c = measure q;
"""


def _programs() -> list[QuantumProgram]:
    return [
        QuantumProgram([BELL], shots=100),
        QuantumProgram(
            [
                CircuitItem(ROTATIONS, {"theta": [0.1, 0.2, 0.3], "alpha": 1.5}),
                CircuitItem(ROTATIONS, [[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0], [6.0, 7.0]]]),
                BELL,
            ],
            shots=2048,
            passthrough_data={"note": "mine", "n": [1, 2]},
        ),
        QuantumProgram(
            [CircuitItem(BELL, chunk_size=3), CircuitItem(ROTATIONS, [1, 2], chunk_size=1)],
            shots=1,
            meas_level="kerneled",
        ),
    ]


def _arguments(item: dict[str, Any]) -> tuple[list[int], list[float]]:
    tensor = item["circuit_arguments"]
    raw = zlib.decompress(base64.b64decode(tensor["data"]))
    return tensor["shape"], list(struct.unpack(f"<{len(raw) // 8}d", raw))


def _keys(value: Any, skip: frozenset[str]) -> Any:
    """The nested key structure of JSON data (values left out, lists by their first item)."""
    if isinstance(value, dict):
        return {k: _keys(v, skip) for k, v in value.items() if k not in skip}
    if isinstance(value, list):
        return [_keys(value[0], skip)] if value else []
    return type(value).__name__ if value is not None else None


def test_the_body_has_the_shape_qiskit_sends() -> None:
    qiskit = json.loads(QISKIT_BODY.read_text())
    ours = executor_body(qiskit["backend"], QuantumProgram([BELL], shots=100))
    # qiskit sends circuits as QPY ({b64_data, qpy_version, num_programs}), this client as
    # OpenQASM 3 ({data}): both forms of the schema. The role and passthrough are qiskit's own.
    skip = frozenset({"circuits", "passthrough_data", "semantic_role", "log_level"})
    assert _keys(ours, skip) == _keys(qiskit, skip)
    program: Any = ours["params"]["quantum_program"]  # type: ignore[index, call-overload]
    assert set(program) == set(qiskit["params"]["quantum_program"])
    assert program["items"][0]["circuit_arguments"]["shape"] == [0]  # as qiskit: no parameters
    assert program["circuits"] == {"data": [BELL]}


def test_arguments_follow_the_parameters_sorted_by_name() -> None:
    item = CircuitItem(ROTATIONS, {"theta": [0.1, 0.2, 0.3], "alpha": 1.5})
    assert item.circuit.parameters == ("alpha", "theta")
    assert item.shape == (3,)
    shape, values = _arguments(item.to_json())
    assert shape == [3, 2]
    assert values == [1.5, 0.1, 1.5, 0.2, 1.5, 0.3]


def test_options_and_tags_go_where_the_schema_wants_them() -> None:
    options = ExecutorOptions(init_qubits=False, rep_delay=2.5e-4, scheduler_timing=True)
    body = executor_body(
        "ibm_fez", QuantumProgram([BELL], shots=10), options=options, session="s1", tags=["a"]
    )
    assert body["session_id"] == "s1" and body["tags"] == ["a"] and body["program_id"] == "executor"
    assert body["params"]["options"] == {  # type: ignore[index, call-overload]
        "init_qubits": False,
        "rep_delay": 2.5e-4,
        "scheduler_timing": True,
        "stretch_values": False,
        "experimental": {},
    }


@pytest.mark.parametrize(
    ("build", "field", "item"),
    [
        (lambda: QuantumProgram([], shots=1), "items", None),
        (lambda: QuantumProgram([BELL], shots=0), "shots", None),
        (lambda: QuantumProgram([BELL], shots=True), "shots", None),
        (lambda: QuantumProgram([BELL, ROTATIONS], shots=5), "circuit_arguments", 1),
        (lambda: QuantumProgram([BELL, "not qasm"], shots=5), "circuit", 1),
        (lambda: CircuitItem(ROTATIONS, [1.0]), "circuit_arguments", None),
        (lambda: CircuitItem(ROTATIONS, {"theta": 1.0}), "circuit_arguments", None),
        (lambda: CircuitItem(BELL, chunk_size=0), "chunk_size", None),
        (lambda: QuantumProgram([CircuitItem(BELL, chunk_size=2), BELL], shots=5), "chunk_size", None),
        (lambda: QuantumProgram([BELL], shots=5, meas_level="raw"), "meas_level", None),  # type: ignore[arg-type]
        (lambda: QuantumProgram(["OPENQASM 3.0;\nqubit q;\nx q;"], shots=5), "circuit", 0),
    ],
)
def test_bad_programs_say_what_to_fix(build: Any, field: str, item: int | None) -> None:
    with pytest.raises(ProgramError) as caught:
        build()
    assert isinstance(caught.value, PubError)  # one except clause catches both
    assert (caught.value.field, caught.value.pub) == (field, item)
    if item is not None:
        assert str(caught.value).startswith(f"item {item}: ")


def test_a_body_needs_a_backend() -> None:
    with pytest.raises(ConfigError):
        executor_body("", QuantumProgram([BELL], shots=1))


def test_ibm_models_accept_the_params_and_read_what_was_meant() -> None:
    python = os.environ.get("IQP_QISKIT_PYTHON", "")
    if not (python and Path(python).is_file()):
        if os.environ.get("IQP_REQUIRE_QISKIT") == "1":
            pytest.fail("IQP_REQUIRE_QISKIT=1 but IQP_QISKIT_PYTHON names no interpreter")
        pytest.skip("IQP_QISKIT_PYTHON is not set to an interpreter with qiskit-ibm-runtime")
    programs = _programs()
    bodies = [executor_body("ibm_fez", p, options=ExecutorOptions(rep_delay=1e-4)) for p in programs]
    done = subprocess.run(
        [python, str(VALIDATOR)],
        input=json.dumps(bodies),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    reports = json.loads(done.stdout)
    assert len(reports) == len(programs) == 3
    for program, report in zip(programs, reports, strict=True):
        assert report["ok"], report["error"]
        assert report["shots"] == program.shots
        assert report["meas_level"] == program.meas_level
        assert report["options"]["rep_delay"] == 1e-4
        for item, read in zip(program.items, report["items"], strict=True):
            assert read["parameters"] == list(item.circuit.parameters)
            assert read["arguments_shape"] == [*item.shape, len(item.circuit.parameters)]
            assert read["arguments"] == list(item.arguments)
            assert read["chunk_size"] == item.chunk_size
            assert read["num_clbits"] == 2
