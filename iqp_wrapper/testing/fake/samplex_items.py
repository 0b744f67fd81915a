"""Samplex items of executor programs (samplomatic's randomized templates), run on an ideal
device: every twirl is the identity, and basis changes are applied exactly.

A samplex item holds a template circuit whose single-qubit gates are parameter slots
(``RzSxSynth``: rz, sx, rz, sx, rz per qubit), a samplex (a JSON graph that fills the
slots, per randomization, with a random Pauli twirl times an optional basis change read
from ``samplex_arguments``), and the item shape (randomizations, then one axis per
argument sweep). The service runs the samplex and returns each classical register of the
circuit (``item shape + [shots, width]``) and the samplex's outputs except the parameter
values (``measurement_flips.<register>``: which bits the twirl flipped).

The fake evaluates the graph's nodes in order with every twirl the identity: twirl
registers are identities, slices copy subsystems, a basis change gives its action (a 2x2
unitary per basis letter, ``I=0, Z=1, X=2, Y=3``) for each subsystem's letter from
``samplex_arguments``, combine nodes place subsystems, fixed-operand nodes multiply in a
gate the template absorbed, and the synthesis node names the template slots each
subsystem's unitary fills. It puts that unitary in place of the slot's gates and
simulates; every measurement flip is false. A graph with any other node raises
SamplexUnsupported, and the item gets synthetic outcomes.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from iqp_wrapper.testing.fake.sim import Circuit, Operation
from iqp_wrapper.testing.fake.tensors import TensorError, decode_numbers

Matrix = tuple[tuple[complex, ...], ...]
IDENTITY: Matrix = ((1, 0), (0, 1))
PARAMETER_VALUES = "parameter_values"


class SamplexUnsupported(ValueError):
    """A samplex graph the fake does not interpret."""


@dataclass(frozen=True)
class SamplexPlan:
    """The circuit each element of the item runs, and the outputs to return (name ->
    shape without the item shape, dtype)."""

    element_circuits: list[Circuit]
    outputs: dict[str, tuple[list[int], str]]


def output_specification(item: Mapping[str, Any]) -> dict[str, tuple[list[int], str]]:
    """The samplex's outputs other than the parameter values: name -> (shape after the
    leading randomizations axis, dtype)."""
    attrs = _graph(item).get("attrs") or {}
    found = {}
    for name, text in json.loads(attrs.get("output_specification") or "{}").items():
        spec = json.loads(text)
        if name != PARAMETER_VALUES:
            found[name] = ([int(n) for n in spec["shape"][1:]], str(spec["dtype"]))
    return found


def plan(
    item: Mapping[str, Any], circuit: Circuit, shape: tuple[int, ...], *, compressed: bool
) -> SamplexPlan:
    """The element circuits of a samplex item with the identity twirl."""
    try:
        return _plan(item, circuit, shape, compressed)
    except (KeyError, IndexError, TypeError, json.JSONDecodeError, TensorError, binascii.Error) as error:
        raise SamplexUnsupported(f"a samplex the fake cannot read ({error})") from error


def _plan(item: Mapping[str, Any], circuit: Circuit, shape: tuple[int, ...], compressed: bool) -> SamplexPlan:
    nodes = [node["data"] for node in _graph(item)["nodes"]]  # in dependency order
    synth = _single(nodes, lambda n: "template_idxs" in n, "a template synthesis node")
    if synth.get("synth") != "RzSxSynth":
        raise SamplexUnsupported(f"template synthesis {synth.get('synth')!r}")
    template = _array(synth["template_idxs"])  # (rows, slots per row)
    rows = [int(r) for r in _array(synth["subsystem_idxs"])[1]]  # row -> synthesized subsystem
    width = template[0][-1]
    names = circuit.sorted_parameters
    slots = [[names[int(i)] for i in template[1][r * width : (r + 1) * width]] for r in range(len(rows))]
    basis_node = next((n for n in nodes if "basis_change" in n), None)
    choices = _basis_choices(item, basis_node, shape, compressed)
    cache: dict[tuple[int, ...], Circuit] = {}
    circuits = []
    for letters in choices:
        if letters not in cache:
            registers = _evaluate(nodes, letters)
            synthesized = registers[synth["register_name"]]
            unitaries = tuple(synthesized[r] for r in rows)
            cache[letters] = _substitute(circuit, slots, unitaries)
        circuits.append(cache[letters])
    return SamplexPlan(circuits, output_specification(item))


def _basis_choices(
    item: Mapping[str, Any], basis_node: dict[str, Any] | None, shape: tuple[int, ...], compressed: bool
) -> list[tuple[int, ...]]:
    """Per element of the item, the basis letter of each subsystem (empty without a basis change)."""
    count = math.prod(shape)
    if basis_node is None:
        return [()] * count
    argument = item["samplex_arguments"][basis_node["basis_ref"]]
    basis_shape, basis = decode_numbers(argument, compressed=compressed)
    subsystems = basis_shape[-1]
    leading = basis_shape[:-1]
    found = []
    for index in itertools.product(*(range(n) for n in shape)):
        flat = 0
        for axis, size in enumerate(leading):  # the arguments broadcast against the item shape
            position = index[len(index) - len(leading) + axis]
            flat = flat * size + (0 if size == 1 else position)
        found.append(tuple(int(v) for v in basis[flat * subsystems : (flat + 1) * subsystems]))
    return found


def _evaluate(nodes: list[dict[str, Any]], letters: tuple[int, ...]) -> dict[str, list[Matrix]]:
    """Every register of the graph as single-qubit unitaries, with the identity twirl.

    Twirl registers (Paulis) are identities; a slice or conversion node copies the
    subsystems it selects; a basis change gives its action for each subsystem's letter; a
    combine node places each operand's subsystems (source indices -> target indices); a
    fixed-operand node multiplies its register by the operand applied first.
    """
    registers: dict[str, list[Matrix]] = {}
    for node in nodes:
        if "distribution" in node:
            size = int(json.loads(node["distribution"])["num_subsystems"])
            registers[node["lhs_register_name"]] = [IDENTITY] * size
            registers[node["rhs_register_name"]] = [IDENTITY] * size
        elif "input_register_name" in node:
            source = registers[node["input_register_name"]]
            registers[node["output_register_name"]] = [
                source[i] for i in _slice(node["slice_idxs"], len(source))
            ]
        elif "basis_change" in node:
            action = json.loads(json.loads(json.loads(node["basis_change"])["action"])["array"])
            matrices = _complex_matrices(action)
            registers[node["register_name"]] = [matrices[letter] for letter in letters]
        elif "operands" in node:
            out = [IDENTITY] * int(node["num_output_subsystems"])
            for operand_register, spec in json.loads(node["operands"]).items():
                arrays = [
                    _array(part["array"])[1] for part in spec if isinstance(part, dict) and "array" in part
                ]
                if len(arrays) != 2:
                    raise SamplexUnsupported("a combine operand without source and target indices")
                given = registers[operand_register]
                for src, dst in zip(arrays[0], arrays[1], strict=True):
                    out[int(dst)] = _multiply(given[int(src)], out[int(dst)])
            registers[node["output_register_name"]] = out
        elif "operand" in node:
            operand = _complex_matrices(json.loads(json.loads(node["operand"])["array"]))
            current = registers[node["register_name"]]
            registers[node["register_name"]] = [
                _multiply(u, operand[i if len(operand) > 1 else 0]) for i, u in enumerate(current)
            ]
        elif "output_name" in node or "template_idxs" in node:
            continue  # outputs: the flips are all false; the synthesis is read by the caller
        else:
            raise SamplexUnsupported(f"samplex node {node.get('id')!r}")
    return registers


def _slice(spec: str, size: int) -> list[int]:
    value = json.loads(spec)
    if isinstance(value, list):  # [start, stop, step], stop may be null
        return list(range(size))[slice(*value)]
    return [int(i) for i in _array(value)[1]]


def _multiply(a: Matrix, b: Matrix) -> Matrix:
    """a @ b: b applied first, then a."""
    return tuple(tuple(sum(a[i][k] * b[k][j] for k in range(2)) for j in range(2)) for i in range(2))


def _substitute(circuit: Circuit, rows: list[list[str]], unitaries: tuple[Matrix, ...]) -> Circuit:
    """``circuit`` with each row's slot gates replaced by that row's unitary."""
    ops = list(circuit.operations)
    uses = [_parameters_used(op) for op in ops]
    drop: set[int] = set()
    insert: dict[int, Operation] = {}
    for names, unitary in zip(rows, unitaries, strict=True):
        touching = [i for i, used in enumerate(uses) if used & set(names)]
        if not touching:
            raise SamplexUnsupported("a template slot whose parameters no gate uses")
        qubits = {ops[i].qubits for i in touching}
        if len(qubits) != 1 or len(next(iter(qubits))) != 1:
            raise SamplexUnsupported("a template slot spread over several qubits")
        qubit = next(iter(qubits))
        first, last = touching[0], touching[-1]
        for i in range(first, last + 1):
            if ops[i].qubits == qubit and ops[i].kind == "gate":
                drop.add(i)
        insert[first] = Operation("gate", "slot", qubit, matrix=unitary)
    rebuilt = []
    for i, op in enumerate(ops):
        if i in insert:
            rebuilt.append(insert[i])
        if i not in drop:
            rebuilt.append(op)
    return replace(circuit, operations=rebuilt, parameters=[])


class _Probe(dict[str, float]):
    """Records which parameters an angle reads."""

    def __missing__(self, key: str) -> float:
        self.read.add(key)
        return 0.0

    def __init__(self) -> None:
        super().__init__()
        self.read: set[str] = set()


def _parameters_used(op: Operation) -> set[str]:
    probe = _Probe()
    for angle in op.params:
        angle(probe)
    return probe.read


def _graph(item: Mapping[str, Any]) -> dict[str, Any]:
    samplex = item.get("samplex") or {}
    graph: dict[str, Any] = json.loads(samplex["samplex_json"])
    return graph


def _single(nodes: list[dict[str, Any]], test: Any, what: str) -> dict[str, Any]:
    found = [n for n in nodes if test(n)]
    if len(found) != 1:
        raise SamplexUnsupported(f"{len(found)} nodes where the fake reads one {what}")
    return found[0]


def _array(value: Any) -> tuple[tuple[int, ...], list[float]]:
    """An index array of the samplex graph. Their dtype says ``u32`` but samplomatic writes
    eight bytes per index (little-endian), so the width is read off the data."""
    tensor = json.loads(value) if isinstance(value, str) else value
    shape = tuple(int(n) for n in tensor["shape"])
    raw = base64.b64decode(tensor["data"], validate=True)
    count = math.prod(shape)
    codes = {1: "B", 2: "H", 4: "I", 8: "q"}
    size = len(raw) // count if count else 8
    if count * size != len(raw) or size not in codes:
        raise SamplexUnsupported(f"an index array of {len(raw)} bytes for shape {list(shape)}")
    return shape, [float(v) for v in struct.unpack(f"<{count}{codes[size]}", raw)]


def _complex_matrices(tensor: dict[str, Any]) -> list[Matrix]:
    """The 2x2 matrices of a c128 tensor of shape (letters, 1, 2, 2)."""
    shape = [int(n) for n in tensor["shape"]]
    if tensor.get("dtype") != "c128" or len(shape) != 4 or shape[1:] != [1, 2, 2]:
        raise SamplexUnsupported(f"a unitary array of shape {shape}")
    raw = base64.b64decode(tensor["data"], validate=True)
    values = [complex(*struct.unpack_from("<dd", raw, 16 * i)) for i in range(len(raw) // 16)]
    return [
        ((values[4 * k], values[4 * k + 1]), (values[4 * k + 2], values[4 * k + 3])) for k in range(shape[0])
    ]
