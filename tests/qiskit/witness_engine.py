"""Witness data for the fake's engine, printed as JSON: circuits written by qiskit as QPY
(in each QPY version the fake reads) with the probabilities and Pauli expectation values
qiskit's own Statevector gives for them.

    <python with qiskit> witness_engine.py

Run by tests/qiskit/test_witness_engine.py in qiskit-ibm-runtime's virtual environment
(qiskit and numpy only; never iqp-wrapper).
"""

from __future__ import annotations

import base64
import io
import json
import sys

import numpy as np
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, qpy
from qiskit.circuit import Parameter, ParameterVector
from qiskit.circuit.library import get_standard_gate_name_mapping
from qiskit.quantum_info import Pauli, Statevector

VALUES = {"theta": 0.7, "v[0]": 0.2, "v[1]": 1.1}
PAULIS = ("Z", "X", "Y")


def circuits() -> list[tuple[str, QuantumCircuit]]:
    rng = np.random.default_rng(5)
    found = []
    for name, gate in sorted(get_standard_gate_name_mapping().items()):
        if name in ("measure", "reset", "delay") or gate.num_qubits > 5:
            continue
        params = [float(x) for x in rng.uniform(-3, 3, len(gate.params))]
        op = gate.base_class(*params) if gate.params else gate
        width = max(gate.num_qubits, 1)
        circuit = QuantumCircuit(width)
        for qubit in range(width):  # a state on which every gate shows its action
            circuit.h(qubit)
            circuit.t(qubit)
            circuit.rx(0.3 * qubit + 0.1, qubit)
        circuit.append(op, list(range(gate.num_qubits)))
        found.append((name, circuit))
    theta, v = Parameter("theta"), ParameterVector("v", 2)
    swept = QuantumCircuit(QuantumRegister(2, "a"), QuantumRegister(1, "b"))
    swept.ry(theta, 0)
    swept.rx(v[1], 1)
    swept.rz(v[0], 0)
    swept.cx(0, 1)
    swept.ccx(0, 1, 2)
    found.append(("parameters", swept))
    expressions = QuantumCircuit(2)  # as transpiled circuits carry them
    expressions.h([0, 1])
    expressions.rz(2 * theta + 0.5, 0)
    expressions.ry(v[0].sin() - v[1] / 3, 1)
    expressions.rx(-theta, 0)
    expressions.p(theta**2, 1)
    expressions.u(theta * v[0], v[0] + 1, 2 - v[1], 0)
    expressions.crz((theta + v[1]).cos() * v[0].exp(), 0, 1)
    expressions.rzz(1 / (theta + 1) + abs(v[0] - 1), 0, 1)
    found.append(("expressions", expressions))
    for width in (3, 5):
        random_circuit = QuantumCircuit(width)
        for _ in range(6 * width):
            a, b = rng.choice(width, 2, replace=False)
            random_circuit.u(*rng.uniform(-3, 3, 3), int(a))
            random_circuit.cx(int(a), int(b))
        found.append((f"random{width}", random_circuit))
    return found


def registers() -> QuantumCircuit:
    """Two classical registers, one measured out of order: names, widths, bit positions."""
    circuit = QuantumCircuit(
        QuantumRegister(3, "q"), ClassicalRegister(1, "alpha"), ClassicalRegister(2, "beta")
    )
    circuit.x(0)
    circuit.x(2)
    circuit.measure(0, 2)  # beta[1]
    circuit.measure(2, 0)  # alpha[0]
    circuit.measure(1, 1)  # beta[0]
    return circuit


def control_flow() -> QuantumCircuit:
    """A circuit the engine does not run (a classical condition): its registers still count."""
    circuit = QuantumCircuit(
        QuantumRegister(2, "q"), ClassicalRegister(1, "flag"), ClassicalRegister(2, "out")
    )
    circuit.h(0)
    circuit.measure(0, 0)
    with circuit.if_test((circuit.clbits[0], 1)):
        circuit.x(1)
    circuit.measure([0, 1], [1, 2])
    return circuit


def encode(circuit: QuantumCircuit, version: int) -> str:
    buffer = io.BytesIO()
    qpy.dump(circuit, buffer, version=version)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def main() -> None:
    versions = [v for v in (13, 15, 16, 17, 18) if v <= qpy.QPY_VERSION]
    items = []
    for name, circuit in circuits():
        bound = circuit.assign_parameters({p: VALUES[p.name] for p in circuit.parameters})
        state = Statevector(bound)
        width = circuit.num_qubits
        paulis = ["".join(PAULIS[(k + i) % 3] for i in range(width)) for k in range(3)]
        items.append(
            {
                "name": name,
                "qpy": {str(v): encode(circuit, v) for v in versions},
                "probabilities": state.probabilities().tolist(),
                "expectations": {p: float(state.expectation_value(Pauli(p)).real) for p in paulis},
            }
        )
    registered = {str(v): encode(registers(), v) for v in versions}
    unsupported = {str(v): encode(control_flow(), v) for v in versions}
    json.dump(
        {"values": VALUES, "circuits": items, "registers": registered, "control_flow": unsupported},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
