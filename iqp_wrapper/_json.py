"""Strict JSON: what the client accepts from a server.

Python's ``json`` reads ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON (RFC
8259), and keeps the last of two equal keys in one object. A server (or anything in
between) that sends either is answered with an error, not a guess:

- NaN and infinities are refused: a cost of NaN or an infinite count is no number the
  caller can use, and silently carrying it into arithmetic hides the fault.
- A key that appears twice in one object is refused: ``{"id": "a", "id": "b"}`` has no
  right reading, and taking the last (or the first) is how a job's id could be swapped.

``loads`` raises ``JSONRefused`` (a ValueError, so every parser that already catches a
body that is not JSON catches this too) naming the field where it can.
"""

from __future__ import annotations

import json
from typing import Any

import httpx


class JSONRefused(ValueError):
    """A body that Python's json would read but that is not JSON the client accepts.

    Attributes:
        field: the object key whose value (or key) is at fault, when known.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class _NonFinite:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class _Reader:
    """One parse: remembers whether a NaN or infinity was met, to name its field."""

    def __init__(self) -> None:
        self.pending = 0

    def constant(self, name: str) -> _NonFinite:
        self.pending += 1
        return _NonFinite(name)

    def object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        if self.pending:
            for key, value in pairs:
                bad = _non_finite_in(value)
                if bad is not None:
                    raise JSONRefused(f"{bad} in field {key!r} (not a JSON number)", field=key)
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise JSONRefused(f"the key {key!r} appears twice in one object", field=key)
                seen.add(key)
        return result


def _non_finite_in(value: Any) -> str | None:
    if isinstance(value, _NonFinite):
        return value.name
    if isinstance(value, list):  # an array of numbers: [1.0, NaN]
        for item in value:
            if isinstance(item, _NonFinite):
                return item.name
    return None


def loads(data: str | bytes | bytearray) -> Any:
    """Parse ``data`` as JSON, refusing NaN, infinities and repeated keys (JSONRefused)."""
    reader = _Reader()
    parsed = json.loads(data, parse_constant=reader.constant, object_pairs_hook=reader.object)
    if reader.pending:
        found = _first_non_finite(parsed)
        raise JSONRefused(f"{found or 'NaN or Infinity'} outside any object field (not a JSON number)")
    return parsed


def _first_non_finite(value: Any) -> str | None:
    """A NaN or infinity left where no object hook saw it (top level, nested arrays)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _NonFinite):
            return item.name
        if isinstance(item, list):
            stack.extend(item)
    return None


class StrictJSONResponse(httpx.Response):
    """An httpx Response whose ``json()`` is ``loads``: every body the client parses
    through a response, the generated operations' included, is read strictly."""

    def json(self, **kwargs: Any) -> Any:
        if kwargs:
            return super().json(**kwargs)
        return loads(self.content)
