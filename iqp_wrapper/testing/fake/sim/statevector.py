"""Run a ``Circuit`` on a pure-Python statevector: samples of its classical registers and
exact expectation values of Pauli observables.

Amplitude ``i`` is the basis state whose qubit ``k`` is bit ``k`` of ``i`` (qiskit's
order). Only the qubits an operation touches are simulated, so a circuit transpiled onto a
127-qubit device that uses two of them is a two-qubit simulation; the others stay |0>.
Measurements at the end of a circuit are sampled from the final state in one pass; a
circuit that measures or resets and then acts again is run shot by shot.
"""

from __future__ import annotations

import cmath
import random
from collections.abc import Mapping, Sequence

from iqp_wrapper.testing.fake.sim.circuit import Circuit, CircuitUnsupported, Operation
from iqp_wrapper.testing.fake.sim.gates import GATES, Matrix

MAX_QUBITS = 12
"""The widest circuit simulated; wider ones get the fake's synthetic outcomes."""

_SHOT_BY_SHOT_BUDGET = 20_000_000
"""Amplitude updates allowed for a circuit that must run shot by shot."""

Outcome = dict[str, int]
"""One shot: each classical register's value (bit k of the value is bit k of the register)."""


def sample(circuit: Circuit, values: Mapping[str, float], shots: int, rng: random.Random) -> list[Outcome]:
    """``shots`` outcomes of ``circuit`` with its parameters bound to ``values``."""
    width, ops = _compact(circuit.operations)
    terminal = _terminal_measurements(ops)
    if terminal is not None:
        state = _run(width, ops[: len(ops) - len(terminal)], values, None, {})
        return _sample_final(state, terminal, circuit.registers, shots, rng)
    if shots * len(ops) * (1 << width) > _SHOT_BY_SHOT_BUDGET:
        raise CircuitUnsupported("a mid-circuit measurement with too many shots to run one by one")
    outcomes = []
    for _ in range(shots):
        bits: dict[tuple[str, int], int] = {}
        _run(width, ops, values, rng, bits)
        outcomes.append(_registers_value(circuit.registers, bits))
    return outcomes


def probabilities(circuit: Circuit, values: Mapping[str, float]) -> list[float]:
    """|amplitude|² of each basis state the circuit prepares (measurements ignored), over
    all its qubits (so at most MAX_QUBITS of them)."""
    _check_width(circuit.num_qubits)
    ops = [op for op in circuit.operations if op.kind != "measure"]
    return [abs(a) ** 2 for a in _run(circuit.num_qubits, ops, values, None, {})]


def expectation(circuit: Circuit, values: Mapping[str, float], pauli: str) -> float:
    """<ψ|P|ψ> for the state the circuit prepares (measurements ignored) and a Pauli
    string in qiskit's order: its last character acts on qubit 0."""
    letters = pauli.upper()[::-1]  # letters[q] acts on qubit q
    if any(letter not in "IXYZ" for letter in letters):
        raise ValueError(f"{pauli!r} is not a Pauli string")
    kept = [op for op in circuit.operations if op.kind != "measure"]
    if any(op.kind == "reset" for op in kept):
        raise CircuitUnsupported("an Estimator circuit with a reset")
    width, ops, active = _compact_with_map(kept)
    local = ["I"] * width
    for qubit, letter in enumerate(letters):
        if qubit in active:
            local[active[qubit]] = letter
        elif letter in "XY":  # an untouched qubit is |0>: <0|X|0> = <0|Y|0> = 0
            return 0.0
    state = _run(width, ops, values, None, {})
    return _pauli_expectation(state, "".join(reversed(local)))


def _compact(ops: Sequence[Operation]) -> tuple[int, list[Operation]]:
    width, compacted, _ = _compact_with_map(ops)
    return width, compacted


def _compact_with_map(ops: Sequence[Operation]) -> tuple[int, list[Operation], dict[int, int]]:
    """The operations on the qubits they touch, renumbered 0, 1...: (width, operations,
    old qubit -> new qubit). Barriers touch nothing; one over untouched qubits is dropped."""
    active: dict[int, int] = {}
    for op in ops:
        if op.kind != "barrier":
            for qubit in op.qubits:
                active.setdefault(qubit, len(active))
    _check_width(len(active))
    compacted = []
    for op in ops:
        qubits = tuple(active[q] for q in op.qubits if q in active)
        if op.kind == "barrier" and not qubits:
            continue
        compacted.append(Operation(op.kind, op.name, qubits, op.params, op.clbit))
    return len(active), compacted, active


def _check_width(width: int) -> None:
    if width > MAX_QUBITS:
        raise CircuitUnsupported(f"{width} qubits is more than the engine's {MAX_QUBITS}")


def _terminal_measurements(ops: Sequence[Operation]) -> list[Operation] | None:
    """The measurements that end the circuit, if nothing acts after any measurement and
    no qubit is reset after a gate touched it; None if the circuit must run shot by shot."""
    touched: set[int] = set()
    tail_start = len(ops)
    for index in range(len(ops) - 1, -1, -1):
        op = ops[index]
        if op.kind == "measure":
            tail_start = index
        elif op.kind != "barrier":
            break
    tail = [op for op in ops[tail_start:] if op.kind == "measure"]
    for op in ops[:tail_start]:
        if op.kind == "measure":
            return None
        if op.kind == "reset" and op.qubits[0] in touched:
            return None
        if op.kind == "gate":
            touched.update(op.qubits)
    return tail


def _run(
    width: int,
    ops: Sequence[Operation],
    values: Mapping[str, float],
    rng: random.Random | None,
    bits: dict[tuple[str, int], int],
) -> list[complex]:
    state = [0j] * (1 << width)
    state[0] = 1 + 0j
    touched: set[int] = set()
    for op in ops:
        if op.kind == "reset" and rng is None and op.qubits[0] not in touched:
            continue  # a fresh qubit is already |0>
        if op.kind == "gate":
            _, _, build = GATES[op.name]
            params = [angle(values) for angle in op.params]
            if not op.qubits:  # global phase
                factor = cmath.exp(1j * params[0])
                state = [factor * amplitude for amplitude in state]
                continue
            _apply(state, build(params), op.qubits)
            touched.update(op.qubits)
        elif op.kind in ("measure", "reset"):
            if rng is None:
                raise CircuitUnsupported("a measurement or reset inside the circuit")
            outcome = _collapse(state, op.qubits[0], rng)
            if op.kind == "measure" and op.clbit is not None:
                bits[op.clbit] = outcome
            elif op.kind == "reset" and outcome:
                _apply(state, GATES["x"][2](()), op.qubits)
    return state


def _apply(state: list[complex], matrix: Matrix, qubits: Sequence[int]) -> None:
    # offsets[m] sets the qubits as the bits of m: argument 0 is the low bit.
    offsets = [sum(((m >> k) & 1) << q for k, q in enumerate(qubits)) for m in range(len(matrix))]
    mask = sum(1 << q for q in qubits)
    rows = [[(col, value) for col, value in enumerate(row) if value != 0] for row in matrix]
    for base in range(len(state)):
        if base & mask:
            continue
        amplitudes = [state[base | offset] for offset in offsets]
        for m, row in enumerate(rows):
            state[base | offsets[m]] = sum(value * amplitudes[col] for col, value in row)


def _collapse(state: list[complex], qubit: int, rng: random.Random) -> int:
    bit = 1 << qubit
    one = sum(abs(a) ** 2 for i, a in enumerate(state) if i & bit)
    outcome = 1 if rng.random() < one else 0
    norm = (one if outcome else 1 - one) ** 0.5 or 1.0
    for i in range(len(state)):
        state[i] = state[i] / norm if bool(i & bit) == bool(outcome) else 0j
    return outcome


def _sample_final(
    state: list[complex],
    measurements: Sequence[Operation],
    registers: Sequence[tuple[str, int]],
    shots: int,
    rng: random.Random,
) -> list[Outcome]:
    probabilities = [abs(a) ** 2 for a in state]
    drawn = rng.choices(range(len(state)), weights=probabilities, k=shots)
    outcomes = []
    for index in drawn:
        bits: dict[tuple[str, int], int] = {}
        for op in measurements:
            if op.clbit is not None:
                bits[op.clbit] = (index >> op.qubits[0]) & 1
        outcomes.append(_registers_value(registers, bits))
    return outcomes


def _registers_value(registers: Sequence[tuple[str, int]], bits: Mapping[tuple[str, int], int]) -> Outcome:
    return {name: sum(bits.get((name, k), 0) << k for k in range(width)) for name, width in registers}


def _pauli_expectation(state: list[complex], pauli: str) -> float:
    x_mask = z_mask = y_count = 0
    for qubit, letter in enumerate(reversed(pauli.upper())):
        if letter in "XY":
            x_mask |= 1 << qubit
        if letter in "ZY":
            z_mask |= 1 << qubit
        if letter == "Y":
            y_count += 1
        if letter not in "IXYZ":
            raise ValueError(f"{pauli!r} is not a Pauli string")
    total = 0j
    phase = 1j**y_count  # Y = iXZ: P|i> = phase * (-1)^{|i & z|} |i ^ x>
    for i, amplitude in enumerate(state):
        if amplitude == 0:
            continue
        sign = -1 if bin(i & z_mask).count("1") % 2 else 1
        total += state[i ^ x_mask].conjugate() * phase * sign * amplitude
    return total.real
