"""OpenQASM 3 (and 2) text to a ``Circuit``.

Covers what primitive circuits are written with: ``OPENQASM``/``include`` lines,
``qreg``/``creg`` and ``qubit[n]``/``bit[n]`` declarations, physical qubits (``$0``),
``input float``/``input angle`` parameters, the gates of stdgates.inc and qelib1.inc,
``gate`` definitions built from them, ``measure`` in both spellings, ``reset``,
``barrier`` and ``delay``. What the service refuses raises ``CircuitRefused`` (an unknown
gate, a measurement into an undeclared bit, an undeclared register or parameter, an index
out of range, the wrong number of arguments); what the engine does not run or read
(control flow, gate modifiers, classical variables, syntax it does not know) raises
``CircuitUnsupported``, so the fake never refuses a program only because it cannot read it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from iqp_wrapper.testing.fake.sim.circuit import Angle, Circuit, CircuitRefused, CircuitUnsupported, Operation
from iqp_wrapper.testing.fake.sim.expressions import compile_angle
from iqp_wrapper.testing.fake.sim.gates import DEFINITIONS, GATES

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_QREG = re.compile(rf"^(?:qreg\s+({_IDENT})\s*\[\s*(\d+)\s*\]|qubit\s*(?:\[\s*(\d+)\s*\])?\s+({_IDENT}))$")
_CREG = re.compile(
    rf"^(?:creg\s+({_IDENT})\s*\[\s*(\d+)\s*\]|(?:output\s+)?bit\s*(?:\[\s*(\d+)\s*\])?\s+({_IDENT}))$"
)
_INPUT = re.compile(rf"^input\s+(?:float|angle)\s*(?:\[\s*\d+\s*\])?\s+({_IDENT})$")
_MEASURE_ARROW = re.compile(r"^measure\s+(.+?)\s*->\s*(.+)$")
_MEASURE_ASSIGN = re.compile(r"^(.+?)\s*=\s*measure\s+(.+)$")
_GATE_DEF = re.compile(rf"^gate\s+({_IDENT})\s*(?:\(([^)]*)\))?\s*([^{{]*)\{{(.*)\}}$", re.DOTALL)
_CALL = re.compile(rf"^({_IDENT})\s*(?:\((.*)\))?\s*(.*)$", re.DOTALL)
_OPERAND = re.compile(
    rf"^(?:({_IDENT})|\$(\d+)|\$\[\s*(\d+)\s*:\s*(\d+)\s*\])(?:\s*\[\s*(\d+)\s*(?::\s*(\d+)\s*)?\])?$"
)
_IGNORED = re.compile(r"^(?:OPENQASM\b|include\b|defcalgrammar\b|delay\b|barrier\b|#pragma\b|@)")
_BLOCKS = ("if", "else", "for", "while", "switch", "box", "def", "defcal", "cal")


@dataclass(frozen=True)
class _GateDefinition:
    params: tuple[str, ...]
    qubits: tuple[str, ...]
    body: tuple[str, ...]


def read_qasm(source: str) -> Circuit:
    """The circuit ``source`` describes; raises CircuitRefused or CircuitUnsupported."""
    reader = _Reader()
    for statement in _statements(DEFINITIONS):
        reader.statement(statement)
    for statement in _statements(_COMMENTS.sub("", source)):
        reader.statement(statement)
    return reader.circuit


def _statements(text: str) -> list[str]:
    """Statements split at ``;``, a braced block kept whole with its header."""
    statements: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                statements.append(text[start : index + 1].strip())
                start = index + 1
        elif char == ";" and depth == 0:
            statements.append(text[start:index].strip())
            start = index + 1
    if text[start:].strip():
        raise CircuitUnsupported(f"the program ends without a ';' after {text[start:].strip()[:40]!r}")
    return [statement for statement in statements if statement]


class _Reader:
    def __init__(self) -> None:
        self.circuit = Circuit()
        self.qregs: dict[str, tuple[int, int]] = {}  # name -> (first qubit, size)
        self.cregs: dict[str, int] = {}
        self.inputs: dict[str, Angle] = {}
        self.definitions: dict[str, _GateDefinition] = {}
        self.physical = False

    def statement(self, text: str) -> None:
        text = " ".join(text.split())
        if _IGNORED.match(text) and not text.startswith("barrier"):
            return
        first = text.split(" ", 1)[0].split("(", 1)[0]
        if first in _BLOCKS:
            raise CircuitUnsupported(f"'{first}' blocks are not simulated by the fake")
        if (found := _QREG.match(text)) is not None:
            name = found[1] or found[4]
            size = int(found[2] or found[3] or 1)
            self.qregs[name] = (self.circuit.num_qubits, size)
            self.circuit.num_qubits += size
        elif (found := _CREG.match(text)) is not None:
            name = found[1] or found[4]
            size = int(found[2] or found[3] or 1)
            self.cregs[name] = size
            self.circuit.registers.append((name, size))
        elif (found := _INPUT.match(text)) is not None:
            name = found[1]
            self.inputs[name] = _input(name)
            self.circuit.parameters.append(name)
        elif (found := _GATE_DEF.match(text)) is not None:
            names = tuple(p.strip() for p in (found[2] or "").split(",") if p.strip())
            arguments = tuple(q.strip() for q in found[3].split(",") if q.strip())
            body = tuple(_statements(found[4]))
            self.definitions[found[1]] = _GateDefinition(names, arguments, body)
        elif (found := _MEASURE_ARROW.match(text)) is not None:
            self._measure(found[1], found[2])
        elif (found := _MEASURE_ASSIGN.match(text)) is not None:
            self._measure(found[2], found[1])
        elif text.startswith("measure "):
            self._measure(text[len("measure ") :], None)
        elif text.startswith("barrier"):
            operands = text[len("barrier") :].strip()
            touched = [q for o in operands.split(",") if o.strip() for q in self._qubits(o)]
            self.circuit.operations.append(Operation("barrier", "barrier", tuple(touched)))
        elif text.startswith("reset "):
            for qubit in self._qubits(text[len("reset ") :]):
                self.circuit.operations.append(Operation("reset", "reset", (qubit,)))
        elif "@" in text:
            raise CircuitUnsupported("gate modifiers (ctrl @, inv @, pow @) are not simulated by the fake")
        elif (found := _CALL.match(text)) is not None and found[1] not in ("let", "const", "float", "int"):
            self._call(found[1], found[2], found[3], self.inputs)
        else:
            raise CircuitUnsupported(f"the statement {text[:60]!r} is not simulated by the fake")

    def _call(self, name: str, params_text: str | None, operands: str, scope: Mapping[str, Angle]) -> None:
        params = [compile_angle(p, scope) for p in _split_arguments(params_text)]
        groups = [self._qubits(o) for o in operands.split(",") if o.strip()]
        if name in self.definitions:
            definition = self.definitions[name]
            arity = (len(definition.params), len(definition.qubits))
        elif name in GATES:
            width, count, _ = GATES[name]
            arity = (count, width)
        else:
            raise CircuitRefused(f"unknown gate {name!r}: not in stdgates.inc or qelib1.inc, nor defined")
        if (len(params), len(groups)) != arity:
            raise CircuitRefused(
                f"{name} takes {arity[0]} parameter(s) and {arity[1]} qubit argument(s), "
                f"not {len(params)} and {len(groups)}"
            )
        for qubits in _broadcast(groups, name):
            if len(set(qubits)) != len(qubits):
                raise CircuitRefused(f"{name} is applied to the same qubit twice")
            if name in self.definitions:
                self._expand(self.definitions[name], params, qubits)
            else:
                self.circuit.operations.append(Operation("gate", name, qubits, tuple(params)))

    def _expand(self, definition: _GateDefinition, params: list[Angle], qubits: tuple[int, ...]) -> None:
        scope = dict(zip(definition.params, params, strict=True))
        saved = self.qregs, self.physical
        self.qregs = {name: (qubit, 1) for name, qubit in zip(definition.qubits, qubits, strict=True)}
        try:
            for statement in definition.body:
                text = " ".join(statement.split())
                found = _CALL.match(text)
                if found is None or text.startswith(("measure", "reset")):
                    raise CircuitRefused(f"a gate body may only call gates, not {text[:40]!r}")
                if text.startswith("barrier"):
                    continue
                self._call(found[1], found[2], found[3], scope)
        finally:
            self.qregs, self.physical = saved

    def _measure(self, source: str, target: str | None) -> None:
        qubits = self._qubits(source)
        bits = self._bits(target) if target is not None else [None] * len(qubits)
        if len(bits) != len(qubits):
            raise CircuitRefused(
                f"measure {source} into {target}: {len(qubits)} qubit(s) but {len(bits)} bit(s)"
            )
        for qubit, bit in zip(qubits, bits, strict=True):
            self.circuit.operations.append(Operation("measure", "measure", (qubit,), clbit=bit))

    def _qubits(self, operand: str) -> list[int]:
        found = _OPERAND.match(operand.strip())
        if found is None:
            raise CircuitUnsupported(f"cannot read the qubit operand {operand.strip()!r}")
        if found[2] is not None or found[3] is not None:
            low, high = (int(found[2]),) * 2 if found[2] is not None else (int(found[3]), int(found[4]))
            self.circuit.num_qubits = max(self.circuit.num_qubits, high + 1)
            self.physical = True
            return list(range(low, high + 1))
        name = found[1]
        if name not in self.qregs:
            raise CircuitRefused(f"{name!r} is not a declared qubit register")
        first, size = self.qregs[name]
        return [first + i for i in _indices(name, size, found[5], found[6])]

    def _bits(self, operand: str) -> list[tuple[str, int] | None]:
        found = _OPERAND.match(operand.strip())
        if found is None or found[1] is None:
            raise CircuitUnsupported(f"cannot read the bit operand {operand.strip()!r}")
        name = found[1]
        if name not in self.cregs:
            raise CircuitRefused(
                f"measurement into {operand.strip()!r}: {name!r} is not a declared bit register"
            )
        return [(name, i) for i in _indices(name, self.cregs[name], found[5], found[6])]


def _input(name: str) -> Angle:
    return lambda values: values[name]


def _indices(name: str, size: int, first: str | None, last: str | None) -> list[int]:
    if first is None:
        return list(range(size))
    low = int(first)
    high = int(last) if last is not None else low
    if not 0 <= low <= high < size:
        raise CircuitRefused(
            f"{name}[{first}{':' + last if last else ''}] is outside {name}, which has {size}"
        )
    return list(range(low, high + 1))


def _broadcast(groups: list[list[int]], name: str) -> list[tuple[int, ...]]:
    sizes = {len(group) for group in groups if len(group) != 1}
    if len(sizes) > 1:
        raise CircuitRefused(f"{name} is applied to registers of different sizes")
    count = sizes.pop() if sizes else 1
    return [tuple(group[i] if len(group) > 1 else group[0] for group in groups) for i in range(count)]


def _split_arguments(text: str | None) -> list[str]:
    if text is None or not text.strip():
        return []
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    parts.append(current)
    return [part.strip() for part in parts]
