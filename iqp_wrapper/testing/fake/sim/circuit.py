"""One circuit, as the readers produce it and the statevector runs it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

_VECTOR_ELEMENT = re.compile(r"^(.*)\[(\d+)\]$")

Angle = Callable[[Mapping[str, float]], float]
"""A gate parameter: evaluated against the bound values of the circuit's inputs."""

OpKind = Literal["gate", "measure", "reset", "barrier"]


class CircuitRefused(ValueError):
    """The service would refuse this circuit (unknown gate, undeclared bit...)."""


class CircuitUnsupported(ValueError):
    """A valid circuit the engine does not simulate (control flow, modifiers...); the fake
    then falls back to synthetic outcomes."""


@dataclass(frozen=True)
class Operation:
    """A gate, measurement, reset or barrier on qubit indices.

    ``clbit`` is (register name, bit index) for a measurement; ``matrix``, when given, is
    the gate's unitary itself (a gate substituted into a template), ``name`` then only
    describes it.
    """

    kind: OpKind
    name: str
    qubits: tuple[int, ...]
    params: tuple[Angle, ...] = ()
    clbit: tuple[str, int] | None = None
    matrix: tuple[tuple[complex, ...], ...] | None = None


@dataclass(frozen=True)
class Layer:
    """A top-level instruction as read without interpreting it (a box, say): its gate
    class, its qubits, and whether it (or its body) measures."""

    gate: str
    qubits: tuple[int, ...]
    measures: bool


@dataclass
class Circuit:
    """Qubit count, classical registers (name, width) in declaration order, input
    parameter names in declaration order, and the operations."""

    num_qubits: int = 0
    registers: list[tuple[str, int]] = field(default_factory=list)
    parameters: list[str] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    layers: list[Layer] = field(default_factory=list)

    @property
    def sorted_parameters(self) -> list[str]:
        """The parameters in qiskit's order, the order of the last axis of parameter values:
        by name, elements of a vector (``v[10]``) by vector name, then index."""
        return sorted(self.parameters, key=_parameter_key)


def _parameter_key(name: str) -> tuple[str, int]:
    found = _VECTOR_ELEMENT.match(name)
    return (found[1], int(found[2])) if found else (name, -1)


def constant(value: float) -> Angle:
    """An angle that does not depend on any parameter."""
    return lambda _values: value
