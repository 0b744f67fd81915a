"""Unitaries of the standard gates: OpenQASM 3's stdgates.inc, OpenQASM 2's qelib1.inc and
the other names qiskit writes for its standard library.

A matrix acts on the gate's qubit arguments little-endian, as qiskit's do: row index
``b0 + 2*b1 + ...`` where ``b0`` is the state of the first argument. Controlled gates list
their controls first.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable, Sequence

Matrix = list[list[complex]]

_I: Matrix = [[1, 0], [0, 1]]
_X: Matrix = [[0, 1], [1, 0]]
_Y: Matrix = [[0, -1j], [1j, 0]]
_Z: Matrix = [[1, 0], [0, -1]]
_H: Matrix = [[1 / math.sqrt(2), 1 / math.sqrt(2)], [1 / math.sqrt(2), -1 / math.sqrt(2)]]
_SX: Matrix = [[(1 + 1j) / 2, (1 - 1j) / 2], [(1 - 1j) / 2, (1 + 1j) / 2]]
_SXDG: Matrix = [[(1 - 1j) / 2, (1 + 1j) / 2], [(1 + 1j) / 2, (1 - 1j) / 2]]


def u(theta: float, phi: float, lam: float) -> Matrix:
    """OpenQASM's U(θ, φ, λ)."""
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return [
        [c, -cmath.exp(1j * lam) * s],
        [cmath.exp(1j * phi) * s, cmath.exp(1j * (phi + lam)) * c],
    ]


def phase(lam: float) -> Matrix:
    return [[1, 0], [0, cmath.exp(1j * lam)]]


def rx(theta: float) -> Matrix:
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return [[c, -1j * s], [-1j * s, c]]


def ry(theta: float) -> Matrix:
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return [[c, -s], [s, c]]


def rz(theta: float) -> Matrix:
    return [[cmath.exp(-0.5j * theta), 0], [0, cmath.exp(0.5j * theta)]]


def r(theta: float, phi: float) -> Matrix:
    """qiskit's RGate: a rotation by θ about cos(φ)X + sin(φ)Y."""
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return [[c, -1j * cmath.exp(-1j * phi) * s], [-1j * cmath.exp(1j * phi) * s, c]]


def scaled(factor: complex, matrix: Matrix) -> Matrix:
    return [[factor * value for value in row] for row in matrix]


def controlled(controls: int, base: Matrix) -> Matrix:
    """``base`` controlled on ``controls`` qubits (the low bits of the index)."""
    size = len(base) << controls
    mask = (1 << controls) - 1
    out: Matrix = [[complex(i == j) for j in range(size)] for i in range(size)]
    for i in range(len(base)):
        for j in range(len(base)):
            out[(i << controls) | mask][(j << controls) | mask] = base[i][j]
    return out


def _pauli_pair(first: Matrix, second: Matrix) -> Matrix:
    """``first`` on the first argument, ``second`` on the second."""
    return [[first[i & 1][j & 1] * second[i >> 1][j >> 1] for j in range(4)] for i in range(4)]


def _rotation(pair: Matrix, theta: float) -> Matrix:
    """exp(-iθ/2 P) for a two-qubit Pauli product P."""
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return [[c * (i == j) - 1j * s * pair[i][j] for j in range(4)] for i in range(4)]


_SWAP: Matrix = [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]]
_ISWAP: Matrix = [[1, 0, 0, 0], [0, 0, 1j, 0], [0, 1j, 0, 0], [0, 0, 0, 1]]
_DCX: Matrix = [[1, 0, 0, 0], [0, 0, 0, 1], [0, 1, 0, 0], [0, 0, 1, 0]]
_ECR: Matrix = scaled(1 / math.sqrt(2), [[0, 1, 0, 1j], [1, 0, -1j, 0], [0, 1j, 0, 1], [-1j, 0, 1, 0]])


def xx_minus_yy(theta: float, beta: float) -> Matrix:
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return [
        [c, 0, 0, -1j * s * cmath.exp(-1j * beta)],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [-1j * s * cmath.exp(1j * beta), 0, 0, c],
    ]


def xx_plus_yy(theta: float, beta: float) -> Matrix:
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return [
        [1, 0, 0, 0],
        [0, c, -1j * s * cmath.exp(-1j * beta), 0],
        [0, -1j * s * cmath.exp(1j * beta), c, 0],
        [0, 0, 0, 1],
    ]


def _fixed(matrix: Matrix) -> Callable[[Sequence[float]], Matrix]:
    return lambda _params: matrix


GateSpec = tuple[int, int, Callable[[Sequence[float]], Matrix]]
"""(qubits, parameters, the matrix for given parameter values)."""

GATES: dict[str, GateSpec] = {
    "U": (1, 3, lambda p: u(p[0], p[1], p[2])),
    "u": (1, 3, lambda p: u(p[0], p[1], p[2])),
    "u3": (1, 3, lambda p: u(p[0], p[1], p[2])),
    "u2": (1, 2, lambda p: u(math.pi / 2, p[0], p[1])),
    "u1": (1, 1, lambda p: phase(p[0])),
    "p": (1, 1, lambda p: phase(p[0])),
    "phase": (1, 1, lambda p: phase(p[0])),
    "gphase": (0, 1, lambda p: [[cmath.exp(1j * p[0])]]),
    "u0": (1, 1, _fixed(_I)),
    "id": (1, 0, _fixed(_I)),
    "x": (1, 0, _fixed(_X)),
    "y": (1, 0, _fixed(_Y)),
    "z": (1, 0, _fixed(_Z)),
    "h": (1, 0, _fixed(_H)),
    "s": (1, 0, _fixed(phase(math.pi / 2))),
    "sdg": (1, 0, _fixed(phase(-math.pi / 2))),
    "t": (1, 0, _fixed(phase(math.pi / 4))),
    "tdg": (1, 0, _fixed(phase(-math.pi / 4))),
    "sx": (1, 0, _fixed(_SX)),
    "sxdg": (1, 0, _fixed(_SXDG)),
    "rx": (1, 1, lambda p: rx(p[0])),
    "ry": (1, 1, lambda p: ry(p[0])),
    "rz": (1, 1, lambda p: rz(p[0])),
    "r": (1, 2, lambda p: r(p[0], p[1])),
    "swap": (2, 0, _fixed(_SWAP)),
    "iswap": (2, 0, _fixed(_ISWAP)),
    "dcx": (2, 0, _fixed(_DCX)),
    "ecr": (2, 0, _fixed(_ECR)),
    "rxx": (2, 1, lambda p: _rotation(_pauli_pair(_X, _X), p[0])),
    "ryy": (2, 1, lambda p: _rotation(_pauli_pair(_Y, _Y), p[0])),
    "rzz": (2, 1, lambda p: _rotation(_pauli_pair(_Z, _Z), p[0])),
    "rzx": (2, 1, lambda p: _rotation(_pauli_pair(_Z, _X), p[0])),
    "xx_minus_yy": (2, 2, lambda p: xx_minus_yy(p[0], p[1])),
    "xx_plus_yy": (2, 2, lambda p: xx_plus_yy(p[0], p[1])),
}


def _with_controls(controls: int, base: str) -> GateSpec:
    """The gate named ``base`` with ``controls`` more qubits, listed first, that control it:
    its qubit and parameter counts follow from the base gate's."""
    qubits, parameters, build = GATES[base]
    if parameters == 0:
        return (controls + qubits, 0, _fixed(controlled(controls, build(()))))
    return (controls + qubits, parameters, lambda p: controlled(controls, build(p)))


# The libraries name a controlled gate by its controls and the gate they control: "c" for
# one ("crz", "cu1", "cswap"), "cc" for two, "c3" and "c4" for three and four.
for _controls, _prefix, _bases in (
    (1, "c", "x y z h s sdg sx p phase u1 rx ry rz u3 swap"),
    (2, "cc", "x z"),
    (3, "c3", "x"),
    (4, "c4", "x"),
):
    GATES.update({_prefix + base: _with_controls(_controls, base) for base in _bases.split()})

# The names outside that rule: OpenQASM 3's built-in CX, qiskit's mcx (its X with three
# controls), qelib1's c3sqrtx, and cu, whose fourth parameter is a phase on the target.
GATES["CX"] = GATES["cx"]
GATES["mcx"] = GATES["c3x"]
GATES["c3sqrtx"] = _with_controls(3, "sx")
GATES["cu"] = (2, 4, lambda p: controlled(1, scaled(cmath.exp(1j * p[3]), u(p[0], p[1], p[2]))))

# qelib1.inc's relative-phase Toffolis, as it defines them (the reader expands them).
DEFINITIONS = """
gate rccx a, b, c { u2(0, pi) c; u1(pi/4) c; cx b, c; u1(-pi/4) c; cx a, c; u1(pi/4) c;
  cx b, c; u1(-pi/4) c; u2(0, pi) c; }
gate rc3x a, b, c, d { u2(0, pi) d; u1(pi/4) d; cx c, d; u1(-pi/4) d; u2(0, pi) d;
  cx a, d; u1(pi/4) d; cx b, d; u1(-pi/4) d; cx a, d; u1(pi/4) d; cx b, d; u1(-pi/4) d;
  u2(0, pi) d; u1(pi/4) d; cx c, d; u1(-pi/4) d; u2(0, pi) d; }
"""
