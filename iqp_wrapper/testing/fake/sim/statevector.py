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
import dataclasses
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
    split = _terminal_measurements(circuit.operations)
    if split is not None:
        prefix, terminal = split
        return _sample_components(prefix, terminal, circuit.registers, values, shots, rng)
    width, ops = _compact(circuit.operations)
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
    return expectations(circuit, values, [pauli])[0]


def expectations(circuit: Circuit, values: Mapping[str, float], paulis: Sequence[str]) -> list[float]:
    """``expectation`` of each Pauli string, the state prepared once for all of them."""
    for pauli in paulis:
        if any(letter not in "IXYZ" for letter in pauli.upper()):
            raise ValueError(f"{pauli!r} is not a Pauli string")
    kept = [op for op in circuit.operations if op.kind not in ("measure", "barrier")]
    if any(op.kind == "reset" for op in kept):
        raise CircuitUnsupported("an Estimator circuit with a reset")
    touched = {q for op in kept for q in op.qubits}
    prepared = []  # the state is a product of its components' states
    for group in _components(kept):
        members = set(group)
        width, ops, active = _compact_with_map([op for op in kept if members.issuperset(op.qubits)])
        prepared.append((group, width, active, _run(width, ops, values, None, {})))
    found = []
    for pauli in paulis:
        letters = pauli.upper()[::-1]  # letters[q] acts on qubit q
        if any(letter in "XY" and q not in touched for q, letter in enumerate(letters)):
            found.append(0.0)  # an untouched qubit is |0>: <0|X|0> = <0|Y|0> = 0
            continue
        value = 1.0
        for group, width, active, state in prepared:
            local = ["I"] * width
            for qubit in group:
                if qubit < len(letters):
                    local[active[qubit]] = letters[qubit]
            if set(local) != {"I"}:
                value *= _pauli_expectation(state, "".join(reversed(local)))
        found.append(value)
    return found


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
        compacted.append(dataclasses.replace(op, qubits=qubits))
    return len(active), compacted, active


def _check_width(width: int) -> None:
    if width > MAX_QUBITS:
        raise CircuitUnsupported(f"{width} qubits is more than the engine's {MAX_QUBITS}")


def _terminal_measurements(ops: Sequence[Operation]) -> tuple[list[Operation], list[Operation]] | None:
    """The operations before the measurements that end the circuit (barriers among them
    included) and those measurements, if nothing acts after any measurement and no qubit is
    reset after a gate touched it; None if the circuit must run shot by shot."""
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
    return list(ops[:tail_start]), tail


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
        if op.kind == "gate" and op.matrix is not None:
            _apply(state, [list(row) for row in op.matrix], op.qubits)
            touched.update(op.qubits)
        elif op.kind == "gate":
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


def _components(ops: Sequence[Operation]) -> list[list[int]]:
    """The groups of qubits that gates entangle (each touched qubit in exactly one)."""
    parent: dict[int, int] = {}

    def root(qubit: int) -> int:
        while parent.setdefault(qubit, qubit) != qubit:
            parent[qubit] = parent[parent[qubit]]
            qubit = parent[qubit]
        return qubit

    for op in ops:
        if op.kind == "barrier":
            continue
        first = root(op.qubits[0]) if op.qubits else None
        for qubit in op.qubits[1:]:
            parent[root(qubit)] = first if first is not None else qubit
    groups: dict[int, list[int]] = {}
    for qubit in sorted(parent):
        groups.setdefault(root(qubit), []).append(qubit)
    return list(groups.values())


def _sample_components(
    prefix: Sequence[Operation],
    measurements: Sequence[Operation],
    registers: Sequence[tuple[str, int]],
    values: Mapping[str, float],
    shots: int,
    rng: random.Random,
) -> list[Outcome]:
    """Terminal measurements sampled component by component: qubits no gate entangles are
    independent, so a wide circuit of small components (a transpiled circuit measuring
    every qubit of a device) runs within MAX_QUBITS per component."""
    found = {name: [0] * shots for name, _ in registers}
    for group in _components([*prefix, *measurements]):
        members = set(group)
        local = [op for op in prefix if op.kind != "barrier" and members.issuperset(op.qubits)]
        measured = [op for op in measurements if op.qubits[0] in members and op.clbit is not None]
        if not measured:
            continue
        width, ops, active = _compact_with_map([*local, *measured])
        state = _run(width, ops[: len(local)], values, None, {})
        drawn = rng.choices(range(len(state)), weights=[abs(a) ** 2 for a in state], k=shots)
        for op in measured:
            name, position = op.clbit  # type: ignore[misc]  # measured ops have a clbit
            if name not in found:
                continue
            column, qubit, bit = found[name], active[op.qubits[0]], 1 << position
            for shot, index in enumerate(drawn):
                if (index >> qubit) & 1:
                    column[shot] |= bit
    return [{name: found[name][shot] for name, _ in registers} for shot in range(shots)]


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
