"""Gate parameter expressions of OpenQASM (``pi/2``, ``-theta*2``, ``cos(a)``...), compiled
to angles without ``eval``: only numbers, names, arithmetic and a few functions."""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping

from iqp_wrapper.testing.fake.sim.circuit import Angle, CircuitRefused, CircuitUnsupported

CONSTANTS = {"pi": math.pi, "π": math.pi, "tau": math.tau, "τ": math.tau, "euler": math.e, "ℇ": math.e}
FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "arcsin": math.asin,
    "arccos": math.acos,
    "arctan": math.atan,
    "exp": math.exp,
    "ln": math.log,
    "sqrt": math.sqrt,
}
_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


def compile_angle(text: str, names: Mapping[str, Angle]) -> Angle:
    """An angle computing ``text``; ``names`` are the parameters in scope (circuit inputs
    or the parameters of the gate being defined)."""
    source = text.replace("π", "pi").replace("τ", "tau").replace("ℇ", "euler")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise CircuitUnsupported(f"cannot read the parameter expression {text!r}") from error
    return _compile(tree.body, names, text)


def _compile(node: ast.expr, names: Mapping[str, Angle], text: str) -> Angle:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        number = float(node.value)
        return lambda _v: number
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        if node.id in CONSTANTS:
            constant = CONSTANTS[node.id]
            return lambda _v: constant
        raise CircuitRefused(f"{node.id!r} in {text!r} is not a declared parameter")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _compile(node.operand, names, text)
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        return lambda v: sign * inner(v)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _compile(node.left, names, text), _compile(node.right, names, text)
        operation = _BINARY[type(node.op)]
        return lambda v: operation(left(v), right(v))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and len(node.args) == 1
        and not node.keywords
    ):
        function, argument = FUNCTIONS[node.func.id], _compile(node.args[0], names, text)
        return lambda v: function(argument(v))
    raise CircuitUnsupported(f"cannot read the parameter expression {text!r}")
