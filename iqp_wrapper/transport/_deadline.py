"""Whole-call deadlines: ``timeout`` bounds a call from start to end, not each socket read.

A call's deadline is fixed once, when it starts (the auth flow for API calls, the retry
transport otherwise), and travels with the request in ``request.extensions``. Everything the
call waits on then shrinks to fit: the IAM exchange and the wait for someone else's, each
attempt's connect, write, read and pool timeouts, and the waits between retries.

A server that drips a byte every half second never trips a per-read timeout. So the
connections httpx makes are given a network backend (``install``) whose every socket
operation gets at most the time left before the deadline of the call running it (a context
variable: per thread, and per asyncio task).
"""

from __future__ import annotations

import contextvars
import time
import typing
from collections.abc import Mapping

import httpcore
import httpx

# request.extensions key: the monotonic time (time.monotonic) by which the call must end.
DEADLINE = "iqp_wrapper.deadline"

_PARTS = ("connect", "read", "write", "pool")
# Timeouts within this much of the time left are left alone: the network backend enforces
# the deadline itself, so clamping them by microseconds on every call buys nothing.
_CLAMP_SLACK = 0.05

_current: contextvars.ContextVar[float | None] = contextvars.ContextVar("iqp_deadline", default=None)


def budget(timeout: httpx.Timeout | Mapping[str, float | None] | None) -> float | None:
    """The seconds a whole call may take under ``timeout``: its longest part.

    ``timeout=1.0`` gives one second for everything; ``Timeout(60, connect=10)`` gives 60.
    None (no deadline) when any part is unbounded, or no timeout is set.
    """
    if timeout is None:
        return None
    parts = timeout.as_dict() if isinstance(timeout, httpx.Timeout) else timeout
    longest = 0.0
    for name in _PARTS:
        value = parts.get(name)
        if value is None:
            return None
        longest = max(longest, float(value))
    return longest


def now() -> float:
    """The clock deadlines are measured on."""
    return time.monotonic()


def start(request: httpx.Request) -> float | None:
    """The deadline of the call ``request`` belongs to, fixing it now if it has none yet."""
    deadline = request.extensions.get(DEADLINE)
    if deadline is None:
        seconds = budget(request.extensions.get("timeout"))
        if seconds is None:
            return None
        deadline = now() + seconds
        request.extensions[DEADLINE] = deadline
    return float(deadline)


def remaining(deadline: float | None) -> float | None:
    """Seconds left before ``deadline`` (may be negative), or None for no deadline."""
    return None if deadline is None else deadline - now()


def earliest(*deadlines: float | None) -> float | None:
    """The first of ``deadlines`` to pass, or None if none is set."""
    set_ = [d for d in deadlines if d is not None]
    return min(set_) if set_ else None


def clamp_timeouts(request: httpx.Request, deadline: float | None) -> None:
    """Shrink the request's connect/read/write/pool timeouts to the time left."""
    left = remaining(deadline)
    if left is None:
        return
    left = max(left, 0.0)
    parts = request.extensions.get("timeout") or {}
    if all((value := parts.get(name)) is not None and value <= left + _CLAMP_SLACK for name in _PARTS):
        return
    clamped = dict(parts)
    for name in _PARTS:
        value = clamped.get(name)
        clamped[name] = left if value is None else min(value, left)
    request.extensions["timeout"] = clamped


def enter(deadline: float | None) -> contextvars.Token[float | None]:
    """From here on (until ``leave``), socket operations in this thread or task end by
    ``deadline``. A pair of calls rather than a context manager: this runs on every request."""
    return _current.set(deadline)


def leave(token: contextvars.Token[float | None]) -> None:
    """Undo ``enter``."""
    _current.reset(token)


def _cut(timeout: float | None, error: type[Exception]) -> float | None:
    left = remaining(_current.get())
    if left is None:
        return timeout
    if left <= 0:
        raise error("the call's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _cut(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _cut(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: typing.Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _cut(timeout, httpcore.ConnectTimeout))
        return _Stream(inner)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Any = None,
    ) -> httpcore.NetworkStream:
        timeout = _cut(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Any = None
    ) -> httpcore.NetworkStream:
        timeout = _cut(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, _cut(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _cut(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: typing.Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        timeout = _cut(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Any = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _cut(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Any = None
    ) -> httpcore.AsyncNetworkStream:
        timeout = _cut(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


_T = typing.TypeVar("_T", httpx.HTTPTransport, httpx.AsyncHTTPTransport)


def install(transport: _T) -> _T:
    """``transport`` with its connections bound by the running call's deadline.

    httpx takes no network backend as an argument, so it is set on the transport's
    connection pool (httpcore's ``_network_backend``); if a future httpx moves it, the
    transport is returned as it was and only per-operation timeouts apply.
    """
    pool = getattr(transport, "_pool", None)
    inner = getattr(pool, "_network_backend", None)
    if isinstance(inner, httpcore.NetworkBackend):
        pool._network_backend = _Backend(inner)  # type: ignore[union-attr]
    elif isinstance(inner, httpcore.AsyncNetworkBackend):
        pool._network_backend = _AsyncBackend(inner)  # type: ignore[union-attr]
    return transport
