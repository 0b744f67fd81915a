"""A qiskit QuantumCircuit is accepted when qiskit is loaded, without this package importing it.

qiskit is not a dependency, so a stand-in module plays it here: what is checked is that the
circuit goes through ``qiskit.qasm3.dumps`` and that its parameters are bound in the
circuit's own order.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from iqp_wrapper.primitives import PubError, SamplerPub, sampler_body


class _Parameter:
    def __init__(self, name: str) -> None:
        self.name = name


class _QuantumCircuit:
    def __init__(self, parameters: list[str], clbits: int) -> None:
        self.parameters = [_Parameter(n) for n in parameters]
        self.clbits = list(range(clbits))


@pytest.fixture
def fake_qiskit(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    dumped: list[Any] = []
    qiskit = types.ModuleType("qiskit")
    qasm3 = types.ModuleType("qiskit.qasm3")

    def dumps(circuit: Any) -> str:
        dumped.append(circuit)
        return "OPENQASM 3.0;\nbit[1] c;\n"

    qasm3.dumps = dumps  # type: ignore[attr-defined]
    qiskit.QuantumCircuit = _QuantumCircuit  # type: ignore[attr-defined]
    qiskit.qasm3 = qasm3  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "qiskit", qiskit)
    monkeypatch.setitem(sys.modules, "qiskit.qasm3", qasm3)
    return dumped


def test_a_quantum_circuit_is_sent_as_openqasm3(fake_qiskit: list[Any]) -> None:
    circuit = _QuantumCircuit(["b", "a"], clbits=1)
    pub = SamplerPub(circuit, {"a": 1.0, "b": 2.0})
    assert fake_qiskit == [circuit]
    assert pub.circuit.parameters == ("b", "a")  # qiskit's order, not re-sorted
    assert pub.parameter_values == [2.0, 1.0]
    body = sampler_body("fake_eagle", [pub])
    assert body["params"]["pubs"][0][0].startswith("OPENQASM 3.0;")  # type: ignore[index]


def test_other_objects_are_refused_without_qiskit() -> None:
    with pytest.raises(PubError, match="OpenQASM 3 text or a qiskit QuantumCircuit"):
        SamplerPub(object())  # type: ignore[arg-type]
