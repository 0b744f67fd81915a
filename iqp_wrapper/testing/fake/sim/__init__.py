"""The fake's circuit engine: a pure-Python statevector for small circuits.

Circuits come from OpenQASM 2/3 text (qasm_reader) or QPY bytes (qpy_reader) as one
``Circuit``; statevector simulates it (seeded sampling, exact Pauli expectation values).
Nothing here needs numpy or qiskit.
"""

from iqp_wrapper.testing.fake.sim.circuit import (
    Circuit,
    CircuitRefused,
    CircuitUnsupported,
    Operation,
)
from iqp_wrapper.testing.fake.sim.statevector import MAX_QUBITS, expectation, expectations, sample

__all__ = [
    "MAX_QUBITS",
    "Circuit",
    "CircuitRefused",
    "CircuitUnsupported",
    "Operation",
    "expectation",
    "expectations",
    "sample",
]
