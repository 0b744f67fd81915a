"""QPY parameter expressions (format versions 13 and later) as the engine's angles.

An expression is a symbol table (each parameter or parameter-vector element it uses, keyed
by its UUID) and a postfix stream of fixed records: an op code, then a left and a right
operand, each typed ``p`` (a symbol's UUID), ``f`` (a float), ``i`` (an integer) or ``n``
(none: taken from the stack). Op codes follow qiskit's ``ParameterExpression`` methods:
0 add, 1 sub, 2 mul, 3 div, 4 pow, 5 sin, 6 cos, 7 tan, 8 asin, 9 acos, 10 exp, 11 log,
12 sign, 14 conjugate, 16 abs, 17 atan, 18 reversed sub, 19 reversed div, 20 reversed pow,
255 no operation.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Mapping

from iqp_wrapper.testing.fake.sim.circuit import Angle, CircuitUnsupported

_HEADER = struct.Struct("!QQ")
_MAP_ELEMENT = struct.Struct("!ccQ")
# A parameter and a parameter-vector element, as QPY writes them in an expression's symbol
# map and as a gate's parameter (qpy_reader reads these too).
PARAMETER = struct.Struct("!H16s")
VECTOR_ELEMENT = struct.Struct("!HQ16sQ")
VECTOR_ELEMENT_V18 = struct.Struct("!HQ")
_RECORD = struct.Struct("!Bc16sc16s")

_BINARY: dict[int, Callable[[float, float], float]] = {
    0: lambda a, b: a + b,
    1: lambda a, b: a - b,
    2: lambda a, b: a * b,
    3: lambda a, b: a / b,
    4: lambda a, b: a**b,
    18: lambda a, b: b - a,
    19: lambda a, b: b / a,
    20: lambda a, b: b**a,
}
_UNARY: dict[int, Callable[[float], float]] = {
    5: math.sin,
    6: math.cos,
    7: math.tan,
    8: math.asin,
    9: math.acos,
    10: math.exp,
    11: math.log,
    12: lambda a: math.copysign(1.0, a) if a else 0.0,
    14: lambda a: a,
    16: abs,
    17: math.atan,
}
_NO_OPERATION = 255

Symbol = Callable[[str], Angle]
"""Gives the angle of a circuit parameter by name (registering it with the circuit)."""


def read_expression(data: bytes, version: int, vectors: list[tuple[str, int]], parameter: Symbol) -> Angle:
    """The angle an encoded expression computes; ``vectors`` is the circuit's parameter
    vector table (name, root UUID) from version 18."""
    map_elements, expression_size = _HEADER.unpack_from(data)
    position = _HEADER.size
    stream = data[position : position + expression_size]
    position += expression_size
    symbols: dict[bytes, Angle] = {}
    for _ in range(map_elements):
        symbol_type, _value_type, value_size = _MAP_ELEMENT.unpack_from(data, position)
        position += _MAP_ELEMENT.size
        if symbol_type == b"p":
            name_size, key = PARAMETER.unpack_from(data, position)
            position += PARAMETER.size
            name = data[position : position + name_size].decode("utf-8")
            position += name_size
        elif symbol_type == b"v" and version >= 18:
            vector_index, index = VECTOR_ELEMENT_V18.unpack_from(data, position)
            position += VECTOR_ELEMENT_V18.size
            vector, root = vectors[vector_index]
            name, key = f"{vector}[{index}]", (root + index).to_bytes(16, "big")
        elif symbol_type == b"v":
            name_size, _size, key, index = VECTOR_ELEMENT.unpack_from(data, position)
            position += VECTOR_ELEMENT.size
            name = f"{data[position : position + name_size].decode('utf-8')}[{index}]"
            position += name_size
        else:
            raise CircuitUnsupported("a nested parameter expression is not simulated by the fake")
        position += value_size
        symbols[key] = parameter(name)
    return _evaluate(stream, symbols)


def _evaluate(stream: bytes, symbols: Mapping[bytes, Angle]) -> Angle:
    stack: list[Angle] = []
    for offset in range(0, len(stream) - _RECORD.size + 1, _RECORD.size):
        op_code, left_type, left, right_type, right = _RECORD.unpack_from(stream, offset)
        if left_type in (b"s", b"e") or right_type in (b"s", b"e"):
            continue  # the bounds of a substitution, which carry no value
        for kind, operand in ((left_type, left), (right_type, right)):
            if kind != b"n":
                stack.append(_operand(kind, operand, symbols))
        if op_code == _NO_OPERATION:
            continue
        if op_code in _BINARY:
            rhs, lhs = stack.pop(), stack.pop()
            stack.append(_combine(_BINARY[op_code], lhs, rhs))
        elif op_code in _UNARY:
            stack.append(_apply(_UNARY[op_code], stack.pop()))
        else:
            raise CircuitUnsupported(f"parameter expression operation {op_code} is not simulated by the fake")
    if len(stack) != 1:
        raise CircuitUnsupported("a parameter expression the fake cannot read")
    return stack[0]


def _operand(kind: bytes, operand: bytes, symbols: Mapping[bytes, Angle]) -> Angle:
    if kind == b"p":
        return symbols[operand]
    if kind == b"f":
        number = float(struct.unpack("!Qd", operand)[1])
        return lambda _values: number
    if kind == b"i":
        integer = float(struct.unpack("!Qq", operand)[1])
        return lambda _values: integer
    if kind == b"c":
        real, imaginary = struct.unpack("!dd", operand)
        if imaginary == 0:
            return lambda _values: float(real)
    raise CircuitUnsupported(f"a {kind!r} operand in a parameter expression is not simulated by the fake")


def _combine(operation: Callable[[float, float], float], lhs: Angle, rhs: Angle) -> Angle:
    return lambda values: operation(lhs(values), rhs(values))


def _apply(operation: Callable[[float], float], argument: Angle) -> Angle:
    return lambda values: operation(argument(values))
