"""Circuits for PUBs: OpenQASM 3 text, or a qiskit QuantumCircuit when qiskit is in use.

qiskit is never imported here unless the caller has imported it already (a
QuantumCircuit cannot exist otherwise), so code that sends OpenQASM text never pays
for it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sized
from dataclasses import dataclass
from typing import Protocol

from iqp_wrapper.primitives.errors import PubError

_INPUT = re.compile(r"^\s*input\s+[A-Za-z_][\w\[\]\s,]*?\s+([A-Za-z_]\w*)\s*;", re.MULTILINE)
_BITS = re.compile(r"\b(bit|creg)\b")
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True)
class Circuit:
    """A circuit as sent: its OpenQASM 3 text and the names of its parameters, in the order
    the service binds values to them."""

    qasm: str
    parameters: tuple[str, ...]
    declares_bits: bool


class _Named(Protocol):
    @property
    def name(self) -> str: ...


class QuantumCircuitLike(Protocol):
    """What a PUB reads of a qiskit ``QuantumCircuit``, described without importing qiskit
    (so its type is known to a type checker whether qiskit is installed or not)."""

    @property
    def parameters(self) -> Iterable[_Named]: ...

    @property
    def clbits(self) -> Sized: ...


def as_circuit(circuit: object, *, pub: int | None = None) -> Circuit:
    """Read ``circuit`` (OpenQASM 3 text or a QuantumCircuit) into a Circuit."""
    if isinstance(circuit, Circuit):
        return circuit
    if isinstance(circuit, str):
        return _from_qasm(circuit, pub)
    qiskit = sys.modules.get("qiskit")
    quantum_circuit = getattr(qiskit, "QuantumCircuit", None) if qiskit is not None else None
    if quantum_circuit is not None and isinstance(circuit, quantum_circuit):
        from qiskit import qasm3  # type: ignore[import-not-found, unused-ignore]

        text: str = qasm3.dumps(circuit)
        names = tuple(str(p.name) for p in circuit.parameters)  # qiskit's own binding order
        return Circuit(text, names, bool(circuit.clbits))
    raise PubError(
        f"a circuit is OpenQASM 3 text or a qiskit QuantumCircuit, not {type(circuit).__name__}",
        pub=pub,
        field="circuit",
    )


def _from_qasm(text: str, pub: int | None) -> Circuit:
    code = _COMMENT.sub("", text)
    if not code.strip():
        raise PubError("the circuit is empty; give OpenQASM 3 text", pub=pub, field="circuit")
    if not code.lstrip().startswith("OPENQASM"):
        raise PubError(
            "the circuit does not start with an 'OPENQASM 3.0;' line; give OpenQASM 3 text",
            pub=pub,
            field="circuit",
        )
    # The service loads the text with qiskit, whose circuits list parameters sorted by name.
    names = tuple(sorted(set(_INPUT.findall(code))))
    return Circuit(text, names, bool(_BITS.search(code)))
