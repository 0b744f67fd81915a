"""A PUB's parameter values, bound point by point to a circuit's parameters.

The forms clients send: a nested list whose last axis runs over the parameters in
qiskit's order (IBM's REST guide), qiskit's encoded ``ndarray``, or a mapping from a
parameter name (or several, ``"('a', 'b')"`` or ``"a,b"``) to values. The sweep shape is
the shape without that last axis; the points are in C order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from iqp_wrapper.testing.fake.npy import encoded_values, nested_shape
from iqp_wrapper.testing.fake.sim import CircuitRefused

Point = dict[str, float]
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?")


def bind(values: Any, names: Sequence[str]) -> tuple[tuple[int, ...], list[Point]]:
    """The sweep shape and one binding per point; CircuitRefused if they do not fit."""
    if isinstance(values, dict) and values.get("__type__") == "ndarray":
        read = encoded_values(values)
        if read is None:
            raise CircuitRefused("the parameter values are an array the fake cannot read")
        return _from_array(read[0], read[1], names)
    if isinstance(values, dict) and "__type__" not in values:
        return _from_mapping(values, names)
    if values is None or values == []:
        if names:
            raise CircuitRefused(f"no values for the circuit's parameters {', '.join(names)}")
        return (), [{}]
    if isinstance(values, list):
        return _from_array(nested_shape(values), _numbers(values), names)
    raise CircuitRefused("parameter values must be an array or a mapping of arrays")


def _from_array(
    shape: tuple[int, ...], flat: list[float], names: Sequence[str]
) -> tuple[tuple[int, ...], list[Point]]:
    if not shape or shape[-1] != len(names):
        raise CircuitRefused(
            f"parameter values of shape {shape} for {len(names)} parameter(s): the last axis must "
            f"have one value per parameter ({', '.join(names) or 'none'})"
        )
    width = len(names)
    sweep = shape[:-1]
    points = [
        dict(zip(names, flat[i * width : (i + 1) * width], strict=True)) for i in range(math.prod(sweep))
    ]
    return sweep, points


def _from_mapping(values: dict[str, Any], names: Sequence[str]) -> tuple[tuple[int, ...], list[Point]]:
    columns: list[tuple[list[str], tuple[int, ...], list[float]]] = []
    for key, array in values.items():
        keys = _NAME.findall(key)
        read = encoded_values(array)
        shape, flat = read if read is not None else (nested_shape(array), _numbers(array))
        if len(keys) > 1:  # the last axis runs over the key's parameters
            shape = shape[:-1]
        columns.append((keys, shape, flat))
    missing = sorted(set(names) - {k for keys, _, _ in columns for k in keys})
    if missing:
        raise CircuitRefused(f"no values for the circuit's parameters {', '.join(missing)}")
    shapes = {shape for _, shape, _ in columns}
    if len(shapes) > 1:
        raise CircuitRefused(f"parameter value arrays of different shapes {sorted(shapes)}")
    sweep = shapes.pop() if shapes else ()
    points: list[Point] = [{} for _ in range(math.prod(sweep))]
    for keys, _, flat in columns:
        for index, point in enumerate(points):
            for offset, key in enumerate(keys):
                point[key] = flat[index * len(keys) + offset]
    return sweep, points


def _numbers(values: Any) -> list[float]:
    if isinstance(values, list):
        return [n for item in values for n in _numbers(item)]
    if isinstance(values, bool) or not isinstance(values, (int, float)):
        raise CircuitRefused("parameter values must be numbers")
    return [float(values)]
