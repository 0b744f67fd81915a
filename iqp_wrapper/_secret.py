"""A string that stays out of reprs, logs, f-strings and tracebacks."""

from __future__ import annotations

import hmac

_MASK = "***"


class Secret:
    """Holds an API key or a bearer token; only ``reveal()`` gives the value back.

    Wrapping the value (rather than just leaving it out of one ``__repr__``) also covers
    the places nobody writes a repr for: ``vars()``, debuggers, and tracebacks that print
    local variables (``pytest -l``, rich, error trackers).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself. Call it only where the value leaves for IAM or the API."""
        return self._value

    def __repr__(self) -> str:
        # Quoted like a str, so a containing repr reads api_key='***'.
        return f"'{_MASK}'"

    def __str__(self) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        # Constant time, so equality checks cannot be used to guess a key byte by byte.
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)
