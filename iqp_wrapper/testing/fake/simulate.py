"""Sampler outcomes and Estimator values of one PUB, from the engine when it can run the
circuit, else synthetic (as the fake answered before it had an engine).

Synthetic outcomes are all-zeros or all-ones per register (an ideal GHZ state); synthetic
expectation values are uniform in [-1, 1]. Which one a PUB got is not marked in the
result: docs/testing-with-the-fake.md says which circuits the engine runs.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from iqp_wrapper.testing.fake.bindings import bind
from iqp_wrapper.testing.fake.circuits import load_circuit
from iqp_wrapper.testing.fake.npy import encoded_shape, nested_shape
from iqp_wrapper.testing.fake.qasm_registers import declared_registers
from iqp_wrapper.testing.fake.qpy_registers import classical_registers, is_encoded_circuit, qpy_bytes
from iqp_wrapper.testing.fake.sim import CircuitRefused, CircuitUnsupported, expectations, sample
from iqp_wrapper.testing.fake.sim.qpy_reader import read_qpy_registers

FALLBACK_BITS = 2
_DIGITS = 12  # rounding that turns 0.9999999999999998 into the exact 1.0 it stands for


@dataclass(frozen=True)
class Samples:
    """Each register's outcomes, flat in C order: sweep point by point, shot by shot."""

    registers: list[tuple[str, int]]
    shape: tuple[int, ...]
    values: dict[str, list[int]]
    simulated: bool


def sampler_outcomes(circuit: Any, parameter_values: Any, shots: int, rng: random.Random) -> Samples:
    """``shots`` outcomes per parameter point of a Sampler PUB."""
    try:
        loaded = load_circuit(circuit)
        shape, points = bind(parameter_values, loaded.sorted_parameters)
        values: dict[str, list[int]] = {name: [] for name, _ in loaded.registers}
        for point in points:
            for shot in sample(loaded, point, shots, rng):
                for name, outcomes in values.items():
                    outcomes.append(shot[name])
        return Samples(list(loaded.registers), shape, values, simulated=True)
    except (CircuitUnsupported, CircuitRefused):
        registers = synthetic_registers(circuit)
        shape = parameter_shape(parameter_values)
        count = math.prod(shape) * shots
        synthetic = {name: _ghz_outcomes(rng, width, count) for name, width in registers}
        return Samples(registers, shape, synthetic, simulated=False)


@dataclass(frozen=True)
class Expectations:
    """Expectation values and their standard deviations, flat in C order over ``shape``."""

    shape: tuple[int, ...]
    evs: list[float]
    variances: list[float]


def estimator_values(
    circuit: Any, observables: Any, parameter_values: Any, rng: random.Random
) -> Expectations:
    """The exact expectation values of an Estimator PUB (synthetic if the engine cannot)."""
    observable_shape = nested_shape(observables) if isinstance(observables, list) else ()
    try:
        loaded = load_circuit(circuit)
        parameter_shape_, points = bind(parameter_values, loaded.sorted_parameters)
        shape = broadcast(observable_shape, parameter_shape_)
        indices = list(itertools.product(*(range(n) for n in shape)))
        terms = [_terms(_at(observables, index, observable_shape)) for index in indices]
        point_of = [_flat_index(index, parameter_shape_) for index in indices]
        computed: dict[tuple[int, str], float] = {}
        for point in sorted(set(point_of)):  # the state is prepared once per parameter point
            paulis = sorted(
                {p for where, found in zip(point_of, terms, strict=True) if where == point for p, _ in found}
            )
            for pauli, value in zip(paulis, expectations(loaded, points[point], paulis), strict=True):
                computed[(point, pauli)] = value
        evs, variances = [], []
        for point, found in zip(point_of, terms, strict=True):
            values = [(coefficient, computed[(point, pauli)]) for pauli, coefficient in found]
            evs.append(round(sum(c * v for c, v in values), _DIGITS))
            variances.append(round(sum(c * c * (1 - v * v) for c, v in values), _DIGITS))
        return Expectations(shape, evs, variances)
    except ValueError:  # CircuitUnsupported, CircuitRefused, a non-Pauli observable
        shape = broadcast(observable_shape, parameter_shape(parameter_values))
        count = math.prod(shape)
        return Expectations(shape, [round(rng.uniform(-1.0, 1.0), 6) for _ in range(count)], [1.0] * count)


def synthetic_registers(circuit: Any) -> list[tuple[str, int]]:
    """The registers a circuit the engine cannot run declares (or one of two bits)."""
    if isinstance(circuit, str):
        return declared_registers(circuit)
    if is_encoded_circuit(circuit):
        raw = qpy_bytes(circuit.get("__value__"))
        try:
            read = read_qpy_registers(raw)[0] if raw is not None else []
        except (CircuitUnsupported, IndexError):
            read = []
        return read or classical_registers(circuit) or [("meas", FALLBACK_BITS)]
    return [("meas", FALLBACK_BITS)]


def parameter_shape(values: Any) -> tuple[int, ...]:
    """A PUB's sweep shape read from its values alone: the array's shape without the last axis."""
    if values is None:
        return ()
    shape = encoded_shape(values)
    if shape is None and isinstance(values, list):
        shape = nested_shape(values)
    if shape is None and isinstance(values, dict):
        shapes = [nested_shape(v) for v in values.values() if isinstance(v, list)]
        return shapes[0] if shapes else ()
    return tuple(shape[:-1]) if shape else ()


def broadcast(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """NumPy's broadcasting of two shapes (a size-1 axis stretches)."""
    out = []
    for x, y in itertools.zip_longest(reversed(a), reversed(b), fillvalue=1):
        out.append(max(x, y))  # mismatched axes are refused when the job is submitted
    return tuple(reversed(out))


def _at(array: Any, index: tuple[int, ...], shape: tuple[int, ...]) -> Any:
    """The element of a nested list at the broadcast ``index`` (size-1 axes repeat)."""
    offset = len(index) - len(shape)
    for axis, size in enumerate(shape):
        array = array[0 if size == 1 else index[offset + axis]]
    return array


def _flat_index(index: tuple[int, ...], shape: tuple[int, ...]) -> int:
    offset = len(index) - len(shape)
    flat = 0
    for axis, size in enumerate(shape):
        flat = flat * size + (0 if size == 1 else index[offset + axis])
    return flat


def _terms(observable: Any) -> list[tuple[str, float]]:
    """(Pauli string, coefficient) of a Pauli string or a mapping of them."""
    if isinstance(observable, str):
        return [(observable, 1.0)]
    if isinstance(observable, dict) and all(
        isinstance(c, (int, float)) and not isinstance(c, bool) for c in observable.values()
    ):
        return [(str(pauli), float(c)) for pauli, c in observable.items()]
    raise CircuitUnsupported("an observable that is not a Pauli string or a mapping of them")


def _ghz_outcomes(rng: random.Random, width: int, count: int) -> list[int]:
    top = (1 << width) - 1
    return [rng.choice((0, top)) for _ in range(count)]
