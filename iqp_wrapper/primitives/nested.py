"""Nested lists: the plain-Python form of an n-dimensional array."""

from __future__ import annotations

from typing import TypeAlias, Union

Scalar: TypeAlias = bool | int | float | complex
Nested: TypeAlias = list[Union[Scalar, "Nested"]]
"""Nested lists of values, one level per dimension."""

FloatArray: TypeAlias = list[Union[float, "FloatArray"]]
"""Nested lists of floats, one level per dimension."""


def nest(flat: list[Scalar], shape: tuple[int, ...]) -> Scalar | Nested:
    """Group ``flat`` (C order) into nested lists of ``shape``; shape ``()`` gives the value."""
    if not shape:
        return flat[0]
    level: list[object] = list(flat)
    for size in reversed(shape[1:]):
        level = [level[i : i + size] for i in range(0, len(level), size)] if size else []
    return level  # type: ignore[return-value]


def shape_of(value: object, *, what: str) -> tuple[int, ...]:
    """The shape of nested lists of numbers (``()`` for a number); ragged nesting is an error."""
    shape: list[int] = []
    level = value
    while isinstance(level, list):
        shape.append(len(level))
        if not level:
            break
        level = level[0]
    _check_regular(value, tuple(shape), what)
    return tuple(shape)


def _check_regular(value: object, shape: tuple[int, ...], what: str) -> None:
    if not shape:
        if isinstance(value, list) or not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ValueError(f"{what} holds {type(value).__name__} where a number belongs")
        return
    if not isinstance(value, list) or len(value) != shape[0]:
        raise ValueError(f"{what} is ragged: its nested lists differ in length")
    for item in value:
        _check_regular(item, shape[1:], what)


def flatten(value: object, depth: int) -> list[object]:
    """The leaves of nested lists ``depth`` levels deep, in C order."""
    items = [value]
    for _ in range(depth):
        items = [x for sub in items for x in sub]  # type: ignore[attr-defined]
    return items
