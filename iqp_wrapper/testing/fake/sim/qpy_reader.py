"""QPY (qiskit's binary circuit format, versions 10 and later) to ``Circuit``s, without qiskit.

Read from the format as qiskit documents it (``qiskit.qpy``): a file header (``QISKIT``,
format version, qiskit version, number of programs, symbolic encoding), a type key, from
version 16 a table of program offsets, then per circuit: a header (name, global phase,
qubit and clbit counts, metadata, registers, instructions, variables), the registers with
their bit indices, (v15+) annotation namespaces, (v18+) the parameter vector table, custom
gate definitions, and the instructions, each naming its gate class with its qubit and clbit
arguments and typed parameters (floats, integers, parameters, parameter-vector elements).
Version 18 changed registers (uint32 indices, or a start index for a contiguous register),
parameter vector elements (an index into the table) and number byte order (big-endian).

Standard-library gates, measurements, resets, barriers and delays are read, with parameter
expressions (qpy_expressions). Custom gates, classical conditions, control flow,
annotations (boxes) and open controls raise CircuitUnsupported: the fake then falls back
to synthetic outcomes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

from iqp_wrapper.testing.fake.sim.circuit import (
    Angle,
    Circuit,
    CircuitUnsupported,
    Layer,
    Operation,
    constant,
)
from iqp_wrapper.testing.fake.sim.qasm_reader import read_qasm
from iqp_wrapper.testing.fake.sim.qpy_expressions import (
    PARAMETER,
    VECTOR_ELEMENT,
    VECTOR_ELEMENT_V18,
    read_expression,
)

_FILE_HEADER = struct.Struct("!6sBBBBQc")
_CIRCUIT_HEADER = struct.Struct("!H1cHIIQIQI")
_REGISTER = struct.Struct("!1c?IH?")
_REGISTER_V18 = struct.Struct("!1c?IH?c")
_NOT_IN_CIRCUIT_V18 = 0xFFFFFFFF
_INSTRUCTION = struct.Struct("!HHHIIBHqII")
_ARGUMENT = struct.Struct("!1cI")
_TYPED = struct.Struct("!1cQ")
_VECTOR_V18 = struct.Struct("!HQ16s")
_VAR_DECLARATION = struct.Struct("!16scH")
_HAS_ANNOTATIONS = 0b1000_0000
_CONDITION = 0b11

# qiskit's standard gate classes and the engine's names for them.
GATE_CLASSES = {
    "HGate": "h", "XGate": "x", "YGate": "y", "ZGate": "z", "IGate": "id", "SGate": "s",
    "SdgGate": "sdg", "TGate": "t", "TdgGate": "tdg", "SXGate": "sx", "SXdgGate": "sxdg",
    "RXGate": "rx", "RYGate": "ry", "RZGate": "rz", "RGate": "r", "PhaseGate": "p",
    "U1Gate": "u1", "U2Gate": "u2", "U3Gate": "u3", "UGate": "u", "CXGate": "cx",
    "CYGate": "cy", "CZGate": "cz", "CHGate": "ch", "CSGate": "cs", "CSdgGate": "csdg",
    "CSXGate": "csx", "CPhaseGate": "cp", "CU1Gate": "cu1", "CRXGate": "crx", "CRYGate": "cry",
    "CRZGate": "crz", "CU3Gate": "cu3", "CUGate": "cu", "SwapGate": "swap", "iSwapGate": "iswap",
    "DCXGate": "dcx", "ECRGate": "ecr", "RXXGate": "rxx", "RYYGate": "ryy", "RZZGate": "rzz",
    "RZXGate": "rzx", "CCXGate": "ccx", "CCZGate": "ccz", "CSwapGate": "cswap", "C3XGate": "c3x",
    "C3SXGate": "c3sqrtx", "C4XGate": "c4x", "GlobalPhaseGate": "gphase",
    "XXMinusYYGate": "xx_minus_yy", "XXPlusYYGate": "xx_plus_yy",
}  # fmt: skip
_DEFINED = {"RCCXGate": "rccx", "RC3XGate": "rc3x"}  # expanded from qelib1.inc's definitions
_IGNORED = {"Barrier", "Delay"}


def read_qpy(raw: bytes) -> list[Circuit]:
    """Every circuit in the QPY file ``raw``; CircuitUnsupported if one cannot be read."""
    try:
        return _read_file(_Buffer(raw))
    except (struct.error, UnicodeDecodeError, IndexError, KeyError) as error:
        raise CircuitUnsupported(f"QPY the fake cannot read ({error})") from error


def read_qpy_layers(raw: bytes) -> list[list[Layer]]:
    """The top-level instructions of each circuit in ``raw`` (gate class, qubits, whether
    it measures), boxes and annotations included; nothing is simulated."""
    try:
        return [circuit.layers for circuit in _read_file(_Buffer(raw), skim=True)]
    except (struct.error, UnicodeDecodeError, IndexError, KeyError) as error:
        raise CircuitUnsupported(f"QPY the fake cannot read ({error})") from error


def read_qpy_registers(raw: bytes) -> list[list[tuple[str, int]]]:
    """The classical registers of each circuit in ``raw``, read even when the instructions
    cannot be (CircuitUnsupported only if the header and registers cannot)."""
    try:
        return [circuit.registers for circuit in _read_file(_Buffer(raw), registers_only=True)]
    except (struct.error, UnicodeDecodeError, IndexError, KeyError) as error:
        raise CircuitUnsupported(f"QPY the fake cannot read ({error})") from error


def _read_file(buffer: _Buffer, *, registers_only: bool = False, skim: bool = False) -> list[Circuit]:
    preface, version, *_qiskit, programs, _encoding = buffer.unpack(_FILE_HEADER)
    if preface != b"QISKIT" or version < 10:
        raise CircuitUnsupported(f"QPY version {version}: the fake reads versions 10 and later")
    if buffer.take(1) != b"q":
        raise CircuitUnsupported("the QPY payload is not a circuit")
    offsets = [buffer.unpack(struct.Struct("!Q"))[0] for _ in range(programs)] if version >= 16 else []
    if programs > 1 and not offsets:
        raise CircuitUnsupported(f"several circuits in QPY version {version}: the fake reads them from 16")
    circuits = []
    for index in range(programs):
        if offsets:
            buffer.position = offsets[index]
        circuits.append(_read_circuit(buffer, version, registers_only=registers_only, skim=skim))
        if registers_only and not offsets:
            break  # before version 16 the next circuit starts after parts not read here
    return circuits


@dataclass
class _Buffer:
    data: bytes
    position: int = 0

    def take(self, size: int) -> bytes:
        chunk = self.data[self.position : self.position + size]
        if len(chunk) != size:
            raise struct.error("the QPY data ends early")
        self.position += size
        return chunk

    def unpack(self, layout: struct.Struct) -> tuple[Any, ...]:
        return layout.unpack(self.take(layout.size))

    def text(self, size: int) -> str:
        return self.take(size).decode("utf-8")


@dataclass
class _CircuitState:
    version: int
    skim: bool = False
    circuit: Circuit = field(default_factory=Circuit)
    vectors: list[tuple[str, int]] = field(default_factory=list)  # (name, root UUID), v18
    clbits: dict[int, tuple[str, int]] = field(default_factory=dict)
    parameters: dict[str, Angle] = field(default_factory=dict)


def _read_circuit(
    buffer: _Buffer, version: int, *, registers_only: bool = False, skim: bool = False
) -> Circuit:
    name_size, _phase_type, phase_size, qubits, _clbits, metadata_size, registers, instructions, variables = (
        buffer.unpack(_CIRCUIT_HEADER)
    )
    buffer.take(name_size + phase_size + metadata_size)
    state = _CircuitState(version, skim)
    state.circuit.num_qubits = qubits
    for _ in range(registers):
        _read_register(buffer, state)
    if registers_only:
        return state.circuit
    for _ in range(variables):
        raise CircuitUnsupported("classical variables are not simulated by the fake")
    if version >= 15:
        (namespaces,) = buffer.unpack(struct.Struct("!I"))
        for _ in range(int(namespaces)):
            name_length, state_length = buffer.unpack(struct.Struct("!IQ"))
            buffer.take(int(name_length) + int(state_length))
    if version >= 18:
        (vectors,) = buffer.unpack(struct.Struct("!H"))
        for _ in range(vectors):
            name_size, _size, root = buffer.unpack(_VECTOR_V18)
            state.vectors.append((buffer.text(name_size), int.from_bytes(root, "big")))
    (custom,) = buffer.unpack(struct.Struct("!Q"))
    if custom:
        raise CircuitUnsupported("custom gate definitions are not simulated by the fake")
    for _ in range(instructions):
        _read_instruction(buffer, state)
    return state.circuit


def _read_register(buffer: _Buffer, state: _CircuitState) -> None:
    if state.version >= 18:
        kind, _standalone, count, name_size, in_circuit, attached = buffer.unpack(_REGISTER_V18)
        name = buffer.text(name_size)
        if attached == b"\x01":  # contiguous: the first index only
            (start,) = buffer.unpack(struct.Struct("!I"))
            indices: tuple[int, ...] = tuple(range(start, start + count))
        else:
            raw = struct.unpack(f"!{count}I", buffer.take(4 * count))
            indices = tuple(-1 if i == _NOT_IN_CIRCUIT_V18 else i for i in raw)
    else:
        kind, _standalone, count, name_size, in_circuit = buffer.unpack(_REGISTER)
        name = buffer.text(name_size)
        indices = struct.unpack(f"!{count}q", buffer.take(8 * count))
    if kind == b"c" and in_circuit:
        state.circuit.registers.append((name, count))
        for position, index in enumerate(indices):
            if index >= 0:
                state.clbits.setdefault(index, (name, position))


def _read_instruction(buffer: _Buffer, state: _CircuitState) -> None:
    fields = buffer.unpack(_INSTRUCTION)
    name_size, label_size, num_params, num_qargs, num_cargs, extras, condition_size = (
        int(v) for v in fields[:7]
    )
    num_ctrl, ctrl_state = int(fields[8]), int(fields[9])
    gate = buffer.text(name_size)
    buffer.take(label_size + condition_size)
    if state.skim:
        _skim_instruction(buffer, state, gate, (num_params, num_qargs, num_cargs, extras))
        return
    if extras & _CONDITION or extras & _HAS_ANNOTATIONS:
        raise CircuitUnsupported(f"{gate} with a condition or annotations is not simulated by the fake")
    qargs = [int(buffer.unpack(_ARGUMENT)[1]) for _ in range(num_qargs)]
    cargs = [int(buffer.unpack(_ARGUMENT)[1]) for _ in range(num_cargs)]
    params = [_read_parameter(buffer, state, gate) for _ in range(num_params)]
    if num_ctrl and ctrl_state != (1 << num_ctrl) - 1:
        raise CircuitUnsupported(f"{gate} with open controls is not simulated by the fake")
    operations = state.circuit.operations
    if gate in GATE_CLASSES:
        operations.append(Operation("gate", GATE_CLASSES[gate], tuple(qargs), tuple(_angles(params, gate))))
    elif gate in _DEFINED:
        template = read_qasm(
            f"qubit[{len(qargs)}] q; {_DEFINED[gate]} "
            + ", ".join(f"q[{i}]" for i in range(len(qargs)))
            + ";"
        )
        for op in template.operations:
            operations.append(Operation(op.kind, op.name, tuple(qargs[q] for q in op.qubits), op.params))
    elif gate == "Measure":
        operations.append(Operation("measure", "measure", (qargs[0],), clbit=state.clbits.get(cargs[0])))
    elif gate == "Reset":
        operations.append(Operation("reset", "reset", (qargs[0],)))
    elif gate == "Barrier":
        operations.append(Operation("barrier", "barrier", tuple(qargs)))
    elif gate not in _IGNORED:
        raise CircuitUnsupported(f"the instruction {gate} is not simulated by the fake")


def _skim_instruction(buffer: _Buffer, state: _CircuitState, gate: str, counts: tuple[int, ...]) -> None:
    """Record which qubits an instruction acts on and whether it measures (for the noise
    learner's instructions: boxes with annotations), without interpreting it."""
    num_params, num_qargs, num_cargs, extras = counts
    if extras & _CONDITION == 2:
        raise CircuitUnsupported(f"{gate} with a classical expression is not read by the fake")
    qargs = tuple(int(buffer.unpack(_ARGUMENT)[1]) for _ in range(num_qargs))
    buffer.take(_ARGUMENT.size * num_cargs)
    measures = gate == "Measure"
    for _ in range(num_params):
        kind, size = buffer.unpack(_TYPED)
        data = buffer.take(size)
        if kind == b"q":  # a block: the box's body
            body = _read_circuit(_Buffer(data), state.version, skim=True)
            measures = measures or any(layer.measures for layer in body.layers)
    if extras & _HAS_ANNOTATIONS:
        (count,) = buffer.unpack(struct.Struct("!I"))
        for _ in range(count):
            _namespace, payload_size = buffer.unpack(struct.Struct("!IQ"))
            buffer.take(payload_size)
    state.circuit.layers.append(Layer(gate, qargs, measures))


_Value = float | Angle | None


def _read_parameter(buffer: _Buffer, state: _CircuitState, gate: str) -> _Value:
    kind, size = buffer.unpack(_TYPED)
    data = _Buffer(buffer.take(int(size)))
    order = "!" if state.version >= 18 else "<"  # little-endian by mistake until 18
    if kind == b"f":
        return float(struct.unpack(f"{order}d", data.data)[0])
    if kind == b"i":
        return float(struct.unpack(f"{order}q", data.data)[0])
    if kind == b"p":
        name_size, _uuid = data.unpack(PARAMETER)
        return _parameter(state, data.text(int(name_size)))
    if kind == b"v" and state.version >= 18:
        vector_index, index = data.unpack(VECTOR_ELEMENT_V18)
        return _parameter(state, f"{state.vectors[vector_index][0]}[{index}]")
    if kind == b"v":
        name_size, _size, _uuid, index = data.unpack(VECTOR_ELEMENT)
        vector = data.text(int(name_size))
        return _parameter(state, f"{vector}[{index}]")
    if kind == b"e":
        return read_expression(data.data, state.version, state.vectors, lambda name: _parameter(state, name))
    if gate in _IGNORED:
        return None  # a delay's duration or unit
    raise CircuitUnsupported(f"a {kind!r} parameter of {gate} is not simulated by the fake")


def _parameter(state: _CircuitState, name: str) -> Angle:
    if name not in state.parameters:
        state.parameters[name] = _input(name)
        state.circuit.parameters.append(name)
    return state.parameters[name]


def _input(name: str) -> Angle:
    return lambda values: values[name]


def _angles(params: list[_Value], gate: str) -> list[Angle]:
    angles: list[Angle] = []
    for value in params:
        if isinstance(value, float):
            angles.append(constant(value))
        elif callable(value):
            angles.append(value)
        else:
            raise CircuitUnsupported(f"a parameter of {gate} is not a number")
    return angles
