"""Results of ``executor`` jobs, shaped by what was submitted, in the version submitted.

The quantum program's items become result items: each classical register of the item's
circuit gives a tensor of shape ``item shape + [shots, register width]`` (``classified``:
bools; ``kerneled``: ``<name>_iq`` complex IQ points; ``avg_kerneled``: ``<name>_avg_iq``
averaged over shots; ``both``: bools and IQ points). The item shape is the circuit
arguments' shape without its last axis (broadcast with the item's own ``shape`` from v1.0).
Outcomes come from the engine when it can run the circuit with its arguments, else they
are synthetic (all zeros or all ones). ``passthrough_data`` (v0.2+) and ``semantic_role``
(v1.0+) are echoed; tensors are compressed in v2.0, as ibm-quantum-schemas' models say.

Field names and types follow ibm-quantum-schemas 0.13.20261016 (executor v0.1, v0.2, v1.0,
v1.1, v2.0 ``QuantumProgramResultModel``).
"""

from __future__ import annotations

import base64
import binascii
import itertools
import math
import random
import zlib
from dataclasses import dataclass
from typing import Any

from iqp_wrapper.testing.fake.clock import iso_millis
from iqp_wrapper.testing.fake.samplex_items import SamplexUnsupported, output_specification, plan
from iqp_wrapper.testing.fake.sim import Circuit, CircuitRefused, CircuitUnsupported, sample
from iqp_wrapper.testing.fake.sim.qasm_reader import read_qasm
from iqp_wrapper.testing.fake.sim.qpy_reader import read_qpy, read_qpy_registers
from iqp_wrapper.testing.fake.simulate import broadcast
from iqp_wrapper.testing.fake.tensors import TensorError, decode_numbers, encode_bools, encode_numbers

VERSIONS = ("v0.1", "v0.2", "v1.0", "v1.1", "v2.0")
_DTYPES = {"uint8": "u8", "float32": "f32", "float64": "f64", "int64": "i64", "int32": "i32"}
FALLBACK_REGISTER = ("meas", 2)


@dataclass(frozen=True)
class ProgramItem:
    """One item: its circuit (None if unreadable), registers, shape and argument points."""

    circuit: Circuit | None
    registers: list[tuple[str, int]]
    shape: tuple[int, ...]
    points: list[dict[str, float]] | None  # None: the engine cannot bind these arguments
    element_circuits: list[Circuit] | None = None  # a samplex item's, element by element
    outputs: dict[str, tuple[list[int], str]] | None = None  # a samplex item's other outputs


def executor_result(params: dict[str, Any], seed: str, started: float, finished: float) -> dict[str, Any]:
    """The result body of an executor job with ``params`` (ValueError if they cannot be read)."""
    version = params.get("schema_version")
    if version not in VERSIONS:
        raise ValueError(f"executor schema_version {version!r} is not one the fake serves")
    program = params.get("quantum_program")
    if not isinstance(program, dict):
        raise ValueError("executor params need a quantum_program")
    options = params.get("options") if isinstance(params.get("options"), dict) else {}
    shots = int(program.get("shots") or 1)
    meas_level = str(program.get("meas_level") or "classified")
    rng = random.Random(seed)
    items = program_items(version, program)
    data = [_item_result(version, item, shots, meas_level, options or {}, rng) for item in items]
    body: dict[str, Any] = {
        "schema_version": version,
        "data": data,
        "metadata": {"chunk_timing": [_chunk(version, items, started, finished)]},
    }
    # Echoed when given; left out otherwise (None, the models' default).
    if version != "v0.1" and program.get("passthrough_data") is not None:
        body["passthrough_data"] = program["passthrough_data"]
    if version in ("v1.0", "v1.1", "v2.0") and program.get("semantic_role") is not None:
        body["semantic_role"] = program["semantic_role"]
    return body


def program_items(version: str, program: dict[str, Any]) -> list[ProgramItem]:
    """The program's items with their circuits, as far as the fake can read them."""
    raw_items = program.get("items") or []
    circuits = program_circuits(version, program, len(raw_items))
    compressed = version == "v2.0"
    items = []
    for raw, (circuit, registers) in zip(raw_items, circuits, strict=False):
        extra = tuple(int(n) for n in raw.get("shape") or []) if version != "v0.1" else ()
        if raw.get("item_type") == "samplex":
            items.append(_samplex_item(raw, circuit, registers, compressed))
            continue
        if "circuit_arguments" not in raw:
            items.append(ProgramItem(circuit, registers, extra, None))
            continue
        try:
            arguments_shape, values = decode_numbers(raw["circuit_arguments"], compressed=compressed)
        except TensorError:
            items.append(ProgramItem(circuit, registers, extra, None))
            continue
        sweep = arguments_shape[:-1]
        shape = broadcast(extra, sweep) if version != "v0.1" and version != "v0.2" else sweep
        points = _points(circuit, arguments_shape, values, shape)
        items.append(ProgramItem(circuit, registers, shape, points))
    return items


def _samplex_item(
    raw: dict[str, Any], circuit: Circuit | None, registers: list[tuple[str, int]], compressed: bool
) -> ProgramItem:
    shape = tuple(int(n) for n in raw.get("shape") or [])
    try:
        outputs = output_specification(raw)
    except (KeyError, TypeError, ValueError):
        outputs = {}
    if circuit is None:
        return ProgramItem(None, registers, shape, None, outputs=outputs)
    try:
        found = plan(raw, circuit, shape, compressed=compressed)
    except SamplexUnsupported:
        return ProgramItem(None, registers, shape, None, outputs=outputs)
    return ProgramItem(circuit, registers, shape, None, found.element_circuits, found.outputs)


def program_circuits(
    version: str, program: dict[str, Any], count: int
) -> list[tuple[Circuit | None, list[tuple[str, int]]]]:
    """Each item's circuit (None if the fake cannot read it) and its classical registers."""
    if version in ("v0.1", "v0.2"):
        return [
            _qpy_circuit((item.get("circuit") or {}).get("circuit_b64"), False)
            for item in program.get("items") or []
        ]
    circuits = program.get("circuits") or {}
    if isinstance(circuits.get("data"), list):  # OpenQASM 3 text, v2.0
        found: list[tuple[Circuit | None, list[tuple[str, int]]]] = []
        for text in circuits["data"]:
            try:
                circuit = read_qasm(text)
                found.append((circuit, circuit.registers))
            except (CircuitUnsupported, CircuitRefused):
                found.append((None, [FALLBACK_REGISTER]))
        return found
    raw = _bytes(circuits.get("b64_data"), compressed=version == "v2.0")
    if raw is None:
        return [(None, [FALLBACK_REGISTER])] * count
    try:
        return [(circuit, circuit.registers) for circuit in read_qpy(raw)]
    except CircuitUnsupported:
        pass
    try:
        registers = read_qpy_registers(raw)
    except CircuitUnsupported:
        registers = []
    return [(None, registers[i] if i < len(registers) else [FALLBACK_REGISTER]) for i in range(count)]


def _qpy_circuit(value: Any, compressed: bool) -> tuple[Circuit | None, list[tuple[str, int]]]:
    raw = _bytes(value, compressed=compressed)
    if raw is None:
        return None, [FALLBACK_REGISTER]
    try:
        (circuit,) = read_qpy(raw)
        return circuit, circuit.registers
    except (CircuitUnsupported, ValueError):
        try:
            return None, read_qpy_registers(raw)[0]
        except (CircuitUnsupported, IndexError):
            return None, [FALLBACK_REGISTER]


def _bytes(value: Any, *, compressed: bool) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        raw = base64.b64decode(value, validate=True)
        return zlib.decompress(raw) if compressed else raw
    except (binascii.Error, ValueError, zlib.error):
        return None


def _points(
    circuit: Circuit | None, arguments_shape: tuple[int, ...], values: list[float], shape: tuple[int, ...]
) -> list[dict[str, float]] | None:
    if circuit is None:
        return None
    names = circuit.sorted_parameters
    width = arguments_shape[-1] if arguments_shape else 0
    if width != len(names):
        return None
    sweep = arguments_shape[:-1]
    points = []
    for index in itertools.product(*(range(n) for n in shape)):
        flat = 0
        for axis, size in enumerate(sweep):  # broadcast: size-1 axes repeat
            position = index[len(index) - len(sweep) + axis]
            flat = flat * size + (0 if size == 1 else position)
        points.append(dict(zip(names, values[flat * width : (flat + 1) * width], strict=True)))
    return points


def _item_result(
    version: str, item: ProgramItem, shots: int, meas_level: str, options: dict[str, Any], rng: random.Random
) -> dict[str, Any]:
    outcomes = _outcomes(item, shots, rng)
    compressed = version == "v2.0"
    results: dict[str, Any] = {}
    for name, width in item.registers:
        bits = [(value >> k) & 1 for value in outcomes[name] for k in range(width)]
        full = [*item.shape, shots, width]
        if meas_level in ("classified", "both"):
            results[name] = encode_bools(full, bits, compressed=compressed)
        if meas_level in ("kerneled", "both"):
            points = [complex(1 - 2 * bit + rng.gauss(0, 0.05), rng.gauss(0, 0.05)) for bit in bits]
            results[f"{name}_iq"] = encode_numbers(full, points, "c128", compressed=compressed)
        if meas_level == "avg_kerneled":
            averaged = _average_over_shots(bits, math.prod(item.shape), shots, width)
            results[f"{name}_avg_iq"] = encode_numbers(
                [*item.shape, width], averaged, "c128", compressed=compressed
            )
    for name, (tail, dtype) in (item.outputs or {}).items():
        full = [*item.shape, *tail]
        zeros = [0] * math.prod(full)  # the identity twirl flips nothing
        if dtype == "bool":
            results[name] = encode_bools(full, zeros, compressed=compressed)
        else:
            results[name] = encode_numbers(full, zeros, _DTYPES.get(dtype, "f64"), compressed=compressed)
    metadata: dict[str, Any] | None = None
    if version != "v0.1":  # fields left out are None (the models' default)
        metadata = {}
        if options.get("scheduler_timing"):
            metadata["scheduler_timing"] = {"timing": "", "circuit_duration": 1200}
        if options.get("stretch_values"):
            metadata["stretch_values"] = []
    return {"results": results, "metadata": metadata}


def _outcomes(item: ProgramItem, shots: int, rng: random.Random) -> dict[str, list[int]]:
    if item.element_circuits is not None:
        try:
            found_: dict[str, list[int]] = {name: [] for name, _ in item.registers}
            for circuit in item.element_circuits:
                for shot in sample(circuit, {}, shots, rng):
                    for name, values in found_.items():
                        values.append(shot[name])
            return found_
        except CircuitUnsupported:
            pass
    if item.circuit is not None and item.points is not None:
        try:
            found: dict[str, list[int]] = {name: [] for name, _ in item.registers}
            for point in item.points:
                for shot in sample(item.circuit, point, shots, rng):
                    for name, values in found.items():
                        values.append(shot[name])
            return found
        except CircuitUnsupported:
            pass
    count = math.prod(item.shape) * shots
    return {name: [rng.choice((0, (1 << width) - 1)) for _ in range(count)] for name, width in item.registers}


def _average_over_shots(bits: list[int], points: int, shots: int, width: int) -> list[complex]:
    averaged = []
    for point in range(points):
        for k in range(width):
            column = [bits[(point * shots + shot) * width + k] for shot in range(shots)]
            averaged.append(complex(1 - 2 * sum(column) / shots, 0.0))
    return averaged


def _chunk(version: str, items: list[ProgramItem], started: float, finished: float) -> dict[str, Any]:
    parts = []
    for index, item in enumerate(items):
        size = math.prod(item.shape)
        part: dict[str, Any] = {"idx_item": index, "size": size}
        if version in ("v1.0", "v1.1", "v2.0"):
            part["permutation"] = list(range(len(item.shape)))
            part["element_range"] = [0, size, 1]
        parts.append(part)
    return {"start": iso_millis(started), "stop": iso_millis(finished), "parts": parts}
