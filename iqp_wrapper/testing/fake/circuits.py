"""The circuit of a PUB or program item, read into the engine's ``Circuit``.

OpenQASM text goes to the OpenQASM reader; qiskit-encoded circuits (QPY) to the QPY
reader. Raises CircuitRefused for what the service refuses and CircuitUnsupported for
what the engine does not run.
"""

from __future__ import annotations

from typing import Any

from iqp_wrapper.testing.fake.qpy_registers import is_encoded_circuit, qpy_bytes
from iqp_wrapper.testing.fake.sim import Circuit, CircuitUnsupported
from iqp_wrapper.testing.fake.sim.qasm_reader import read_qasm
from iqp_wrapper.testing.fake.sim.qpy_reader import read_qpy


def load_circuit(value: Any) -> Circuit:
    """The circuit ``value`` holds: OpenQASM text, or qiskit's encoded circuit
    (``{"__type__": "QuantumCircuit", "__value__": <base64 of zlib-compressed QPY>}``)."""
    if isinstance(value, str):
        return read_qasm(value)
    if is_encoded_circuit(value):
        raw = qpy_bytes(value.get("__value__"))
        if raw is None:
            raise CircuitUnsupported("the encoded circuit is not base64 QPY")
        circuits = read_qpy(raw)
        if len(circuits) != 1:
            raise CircuitUnsupported(f"an encoded circuit holding {len(circuits)} circuits")
        return circuits[0]
    raise CircuitUnsupported("the circuit is neither OpenQASM text nor QPY the fake can read")


def load_circuits(raw: bytes) -> list[Circuit]:
    """Every circuit in QPY bytes (an executor program's ``circuits``)."""
    return read_qpy(raw)
