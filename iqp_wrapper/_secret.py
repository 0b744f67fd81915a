"""Secrets: a string that stays out of reprs, logs, f-strings and tracebacks, and the
scrubbing of any text the client builds from a server's words.

Every Secret alive (the API key, each bearer token the client holds) is remembered, so that
``scrub`` can mask it wherever a server puts it: an error body that echoes the request's
headers, an IAM ``errorCode``, a job's reason. ``scrub`` also masks any ``Bearer ...``
value and any ``apikey=...`` form field, whoever's they are.
"""

from __future__ import annotations

import hmac
import logging
import re
import threading
import weakref

_MASK = "***"
# Shorter values would mask ordinary words; real keys and tokens are far longer.
_SHORTEST_SCRUBBED = 8
# A value after "Bearer" that looks like a credential (token characters, 16 or more), so
# that prose such as "a bearer token" is left alone; shorter echoes of the tokens the client
# holds are masked as live secrets anyway.
_BEARER = re.compile(r"(?i)\b(bearer)(\s+|%20|\+)[A-Za-z0-9\-._~+/]{16,}=*")
_API_KEY_FIELD = re.compile(r"(?i)\b(apikey)(=|%3D|\"?\s*:\s*\"?)[A-Za-z0-9\-._~+/%]{8,}")

_live: weakref.WeakValueDictionary[int, Secret] = weakref.WeakValueDictionary()
# Re-entrant, because the holder can be re-entered on its own thread: reading or adding to
# the registry allocates, an allocation can start the garbage collector, and a finalizer it
# runs (an abandoned httpx stream's, say) may log a line that ScrubFilter scrubs, which reads
# the registry again. A plain Lock deadlocked there.
_live_lock = threading.RLock()


class Secret:
    """Holds an API key or a bearer token; only ``reveal()`` gives the value back.

    Wrapping the value (rather than just leaving it out of one ``__repr__``) also covers
    the places nobody writes a repr for: ``vars()``, debuggers, and tracebacks that print
    local variables (``pytest -l``, rich, error trackers).
    """

    __slots__ = ("__weakref__", "_value")

    def __init__(self, value: str) -> None:
        self._value = value
        if len(value) >= _SHORTEST_SCRUBBED:
            with _live_lock:
                _live[id(self)] = self

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


def _values() -> list[str]:
    with _live_lock:
        secrets = list(_live.values())
    # Longest first, so a token that contains the key (or the reverse) is masked whole.
    return sorted({s.reveal() for s in secrets}, key=len, reverse=True)


def scrub(text: str) -> str:
    """``text`` with every live secret, ``Bearer`` value and ``apikey`` field masked."""
    for value in _values():
        if value in text:
            text = text.replace(value, _MASK)
    text = _BEARER.sub(rf"\1\2{_MASK}", text)
    return _API_KEY_FIELD.sub(rf"\1\2{_MASK}", text)


def scrub_bytes(data: bytes) -> bytes:
    """``scrub`` for a raw body; bytes that are not UTF-8 are kept as they are."""
    if not data:
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        for value in _values():
            data = data.replace(value.encode(), _MASK.encode())
        return data
    scrubbed = scrub(text)
    return data if scrubbed == text else scrubbed.encode("utf-8")


def scrub_chain(error: BaseException) -> None:
    """Scrub, in place, the text arguments of ``error`` and of its causes and contexts.

    For exceptions the client did not write (a parser's ValueError quoting a value the
    server sent) that end up as the cause of one it raises.
    """
    seen: BaseException | None = error
    for _ in range(20):  # a chain is short; the bound guards against cycles
        if seen is None:
            return
        if any(isinstance(arg, str) for arg in seen.args):
            seen.args = tuple(scrub(arg) if isinstance(arg, str) else arg for arg in seen.args)
        seen = seen.__cause__ or seen.__context__


class ScrubFilter(logging.Filter):
    """Masks secrets in a record's message and arguments (for loggers the client does not
    own, such as httpcore's, which logs response headers at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_scrub_arg(arg) for arg in record.args)
        return True


def _scrub_arg(arg: object) -> object:
    if isinstance(arg, (str, bytes, list, tuple)):
        text = scrub(arg if isinstance(arg, str) else repr(arg))
        return text if isinstance(arg, str) or text != repr(arg) else arg
    return arg


# The loggers that write what a server sent (httpcore: response headers at DEBUG).
_SCRUBBED_LOGGERS = ("httpcore.http11", "httpcore.http2", "httpcore.connection", "httpcore.proxy", "httpx")


def install_log_scrubbing() -> None:
    """Put a ScrubFilter on the third-party loggers that echo a server's words (once)."""
    for name in _SCRUBBED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubFilter) for f in logger.filters):
            logger.addFilter(ScrubFilter())
