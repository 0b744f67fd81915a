"""The deadline-bound network backend, operation by operation (docs/mutation.md).

Each wrapper is put around a recording backend: what reaches the socket layer (the
timeout each operation is given, the arguments passed through) is what the tests read.
This pins what a real socket shows only against an address that never answers a connect,
a TLS server or a Unix socket, none of which a test on 127.0.0.1 has at hand.
"""

from __future__ import annotations

import contextlib
import typing
from collections.abc import Iterator

import httpcore
import httpx
import pytest

from iqp_wrapper.transport import _deadline

Call = tuple[str, tuple[typing.Any, ...]]


class Stream(httpcore.NetworkStream):
    def __init__(self, calls: list[Call]) -> None:
        self.calls = calls

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.calls.append(("read", (max_bytes, timeout)))
        return b"data"

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.calls.append(("write", (buffer, timeout)))

    def close(self) -> None:
        self.calls.append(("close", ()))

    def start_tls(
        self, ssl_context: typing.Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        self.calls.append(("start_tls", (ssl_context, server_hostname, timeout)))
        return Stream(self.calls)

    def get_extra_info(self, info: str) -> typing.Any:
        self.calls.append(("get_extra_info", (info,)))
        return f"info:{info}"


class Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.calls: list[Call] = []

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Any = None,
    ) -> httpcore.NetworkStream:
        self.calls.append(("connect_tcp", (host, port, timeout, local_address, socket_options)))
        return Stream(self.calls)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Any = None
    ) -> httpcore.NetworkStream:
        self.calls.append(("connect_unix_socket", (path, timeout, socket_options)))
        return Stream(self.calls)

    def sleep(self, seconds: float) -> None:
        self.calls.append(("sleep", (seconds,)))


class AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, calls: list[Call]) -> None:
        self.calls = calls

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.calls.append(("read", (max_bytes, timeout)))
        return b"data"

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.calls.append(("write", (buffer, timeout)))

    async def aclose(self) -> None:
        self.calls.append(("close", ()))

    async def start_tls(
        self, ssl_context: typing.Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        self.calls.append(("start_tls", (ssl_context, server_hostname, timeout)))
        return AsyncStream(self.calls)

    def get_extra_info(self, info: str) -> typing.Any:
        self.calls.append(("get_extra_info", (info,)))
        return f"info:{info}"


class AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self.calls: list[Call] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Any = None,
    ) -> httpcore.AsyncNetworkStream:
        self.calls.append(("connect_tcp", (host, port, timeout, local_address, socket_options)))
        return AsyncStream(self.calls)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Any = None
    ) -> httpcore.AsyncNetworkStream:
        self.calls.append(("connect_unix_socket", (path, timeout, socket_options)))
        return AsyncStream(self.calls)

    async def sleep(self, seconds: float) -> None:
        self.calls.append(("sleep", (seconds,)))


def installed(inner: httpcore.NetworkBackend) -> httpcore.NetworkBackend:
    transport = httpx.HTTPTransport()
    transport._pool._network_backend = inner
    backend = _deadline.install(transport)._pool._network_backend
    assert backend is not inner
    return backend


def installed_async(inner: httpcore.AsyncNetworkBackend) -> httpcore.AsyncNetworkBackend:
    transport = httpx.AsyncHTTPTransport()
    transport._pool._network_backend = inner
    backend = _deadline.install(transport)._pool._network_backend
    assert backend is not inner
    return backend


class Within:
    """Equal to a float in (low, high]: a timeout cut to the time left, read a moment later."""

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def __eq__(self, other: object) -> bool:
        return isinstance(other, float) and self.low < other <= self.high

    def __repr__(self) -> str:
        return f"Within({self.low}, {self.high})"


@contextlib.contextmanager
def deadline_in(seconds: float | None) -> Iterator[None]:
    """Run the block as a call whose deadline is ``seconds`` away (None: no deadline)."""
    token = _deadline.enter(None if seconds is None else _deadline.now() + seconds)
    try:
        yield
    finally:
        _deadline.leave(token)


CTX: typing.Any = "an SSL context"  # passed through, never used by the recording streams
SOCKET_OPTIONS = [(1, 2, 3)]


# -- sync ---------------------------------------------------------------------------------


def test_without_a_deadline_every_operation_passes_through_unchanged() -> None:
    inner = Backend()
    backend = installed(inner)
    with deadline_in(None):
        stream = backend.connect_tcp("h", 443, 7.0, "10.0.0.1", SOCKET_OPTIONS)
        assert stream.read(10, 1.5) == b"data"
        stream.write(b"abc", 2.5)
        tls = stream.start_tls(CTX, "h", 3.5)
        assert tls.read(5, None) == b"data"
        assert stream.get_extra_info("peer") == "info:peer"
        stream.close()
        backend.connect_unix_socket("/tmp/s", 4.5, SOCKET_OPTIONS)
        backend.sleep(0.25)
    assert inner.calls == [
        ("connect_tcp", ("h", 443, 7.0, "10.0.0.1", SOCKET_OPTIONS)),
        ("read", (10, 1.5)),
        ("write", (b"abc", 2.5)),
        ("start_tls", (CTX, "h", 3.5)),
        ("read", (5, None)),
        ("get_extra_info", ("peer",)),
        ("close", ()),
        ("connect_unix_socket", ("/tmp/s", 4.5, SOCKET_OPTIONS)),
        ("sleep", (0.25,)),
    ]


def test_every_operation_gets_at_most_the_time_left() -> None:
    inner = Backend()
    backend = installed(inner)
    left = Within(1.0, 2.0)
    with deadline_in(2.0):
        stream = backend.connect_tcp("h", 443, 30.0, None, None)
        stream.read(10, 30.0)
        stream.write(b"abc", None)  # no per-operation timeout: the time left
        tls = stream.start_tls(CTX, "h", 30.0)
        tls.write(b"x", 30.0)  # the stream TLS returns is bound too
        backend.connect_unix_socket("/tmp/s", None, None)
    assert inner.calls == [
        ("connect_tcp", ("h", 443, left, None, None)),
        ("read", (10, left)),
        ("write", (b"abc", left)),
        ("start_tls", (CTX, "h", left)),
        ("write", (b"x", left)),
        ("connect_unix_socket", ("/tmp/s", left, None)),
    ]


def test_a_shorter_per_operation_timeout_is_kept() -> None:
    inner = Backend()
    backend = installed(inner)
    with deadline_in(60.0):
        stream = backend.connect_tcp("h", 443, 0.5)
        stream.read(10, 0.25)
        stream.write(b"abc", 0.75)
        stream.start_tls(CTX, None, 1.25)
        backend.connect_unix_socket("/tmp/s", 1.5)
    assert [args for _, args in inner.calls] == [
        ("h", 443, 0.5, None, None),
        (10, 0.25),
        (b"abc", 0.75),
        (CTX, None, 1.25),
        ("/tmp/s", 1.5, None),
    ]


@pytest.mark.parametrize(
    ("operation", "error"),
    [
        ("connect_tcp", httpcore.ConnectTimeout),
        ("connect_unix_socket", httpcore.ConnectTimeout),
        ("read", httpcore.ReadTimeout),
        ("write", httpcore.WriteTimeout),
        ("start_tls", httpcore.ConnectTimeout),
    ],
)
def test_a_passed_deadline_refuses_each_operation_with_its_timeout(
    operation: str, error: type[Exception]
) -> None:
    inner = Backend()
    backend = installed(inner)
    stream = backend.connect_tcp("h", 443, 5.0)  # connected while there was time
    inner.calls.clear()
    calls: dict[str, typing.Callable[[], object]] = {
        "connect_tcp": lambda: backend.connect_tcp("h", 443, 5.0),
        "connect_unix_socket": lambda: backend.connect_unix_socket("/tmp/s", 5.0),
        "read": lambda: stream.read(10, 5.0),
        "write": lambda: stream.write(b"abc", 5.0),
        "start_tls": lambda: stream.start_tls(CTX, "h", 5.0),
    }
    with deadline_in(-0.5), pytest.raises(error):
        calls[operation]()
    assert inner.calls == []  # nothing reached the socket


def test_the_deadline_reaching_zero_exactly_counts_as_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    inner = Backend()
    backend = installed(inner)
    monkeypatch.setattr(_deadline, "now", lambda: 100.0)
    token = _deadline.enter(100.0)
    try:
        with pytest.raises(httpcore.ConnectTimeout):
            backend.connect_tcp("h", 443, 5.0)
    finally:
        _deadline.leave(token)
    assert inner.calls == []


# -- async --------------------------------------------------------------------------------


async def test_without_a_deadline_every_async_operation_passes_through_unchanged() -> None:
    inner = AsyncBackend()
    backend = installed_async(inner)
    with deadline_in(None):
        stream = await backend.connect_tcp("h", 443, 7.0, "10.0.0.1", SOCKET_OPTIONS)
        assert await stream.read(10, 1.5) == b"data"
        await stream.write(b"abc", 2.5)
        tls = await stream.start_tls(CTX, "h", 3.5)
        assert await tls.read(5, None) == b"data"
        assert stream.get_extra_info("peer") == "info:peer"
        await stream.aclose()
        await backend.connect_unix_socket("/tmp/s", 4.5, SOCKET_OPTIONS)
        await backend.sleep(0.25)
    assert inner.calls == [
        ("connect_tcp", ("h", 443, 7.0, "10.0.0.1", SOCKET_OPTIONS)),
        ("read", (10, 1.5)),
        ("write", (b"abc", 2.5)),
        ("start_tls", (CTX, "h", 3.5)),
        ("read", (5, None)),
        ("get_extra_info", ("peer",)),
        ("close", ()),
        ("connect_unix_socket", ("/tmp/s", 4.5, SOCKET_OPTIONS)),
        ("sleep", (0.25,)),
    ]


async def test_every_async_operation_gets_at_most_the_time_left() -> None:
    inner = AsyncBackend()
    backend = installed_async(inner)
    left = Within(1.0, 2.0)
    with deadline_in(2.0):
        stream = await backend.connect_tcp("h", 443, 30.0, None, None)
        await stream.read(10, 30.0)
        await stream.write(b"abc", None)
        tls = await stream.start_tls(CTX, "h", 30.0)
        await tls.write(b"x", 30.0)
        await backend.connect_unix_socket("/tmp/s", None, None)
    assert inner.calls == [
        ("connect_tcp", ("h", 443, left, None, None)),
        ("read", (10, left)),
        ("write", (b"abc", left)),
        ("start_tls", (CTX, "h", left)),
        ("write", (b"x", left)),
        ("connect_unix_socket", ("/tmp/s", left, None)),
    ]


async def test_a_shorter_per_operation_timeout_is_kept_async() -> None:
    inner = AsyncBackend()
    backend = installed_async(inner)
    with deadline_in(60.0):
        stream = await backend.connect_tcp("h", 443, 0.5)
        await stream.read(10, 0.25)
        await stream.write(b"abc", 0.75)
        await stream.start_tls(CTX, None, 1.25)
        await backend.connect_unix_socket("/tmp/s", 1.5)
    assert [args for _, args in inner.calls] == [
        ("h", 443, 0.5, None, None),
        (10, 0.25),
        (b"abc", 0.75),
        (CTX, None, 1.25),
        ("/tmp/s", 1.5, None),
    ]


@pytest.mark.parametrize(
    ("operation", "error"),
    [
        ("connect_tcp", httpcore.ConnectTimeout),
        ("connect_unix_socket", httpcore.ConnectTimeout),
        ("read", httpcore.ReadTimeout),
        ("write", httpcore.WriteTimeout),
        ("start_tls", httpcore.ConnectTimeout),
    ],
)
async def test_a_passed_deadline_refuses_each_async_operation_with_its_timeout(
    operation: str, error: type[Exception]
) -> None:
    inner = AsyncBackend()
    backend = installed_async(inner)
    stream = await backend.connect_tcp("h", 443, 5.0)
    inner.calls.clear()
    calls: dict[str, typing.Callable[[], typing.Awaitable[object]]] = {
        "connect_tcp": lambda: backend.connect_tcp("h", 443, 5.0),
        "connect_unix_socket": lambda: backend.connect_unix_socket("/tmp/s", 5.0),
        "read": lambda: stream.read(10, 5.0),
        "write": lambda: stream.write(b"abc", 5.0),
        "start_tls": lambda: stream.start_tls(CTX, "h", 5.0),
    }
    with deadline_in(-0.5), pytest.raises(error):
        await calls[operation]()
    assert inner.calls == []


# -- install, and the budget of a timeout ------------------------------------------------


def test_install_returns_the_same_transport_with_a_wrapped_backend() -> None:
    sync = httpx.HTTPTransport()
    original = sync._pool._network_backend
    assert _deadline.install(sync) is sync
    assert sync._pool._network_backend is not original
    asynchronous = httpx.AsyncHTTPTransport()
    original_async = asynchronous._pool._network_backend
    assert _deadline.install(asynchronous) is asynchronous
    assert asynchronous._pool._network_backend is not original_async


def test_install_leaves_a_transport_without_a_known_pool_as_it_was() -> None:
    class Other:
        _pool = object()  # no network backend in it

    other = Other()
    assert _deadline.install(other) is other  # type: ignore[type-var]
    assert not hasattr(other._pool, "_network_backend")
    poolless = object()  # not even a pool
    assert _deadline.install(poolless) is poolless  # type: ignore[type-var]


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (None, None),
        (httpx.Timeout(5.0), 5.0),
        (httpx.Timeout(60.0, connect=10.0), 60.0),
        (httpx.Timeout(2.0, read=9.0), 9.0),
        (httpx.Timeout(2.0, pool=None), None),
        ({"connect": 1.0, "read": 2.0, "write": 3.0, "pool": 4.0}, 4.0),
        ({"connect": 4.0, "read": 3.0, "write": 2.0, "pool": 1.0}, 4.0),
        ({"connect": 1, "read": 1, "write": 1, "pool": 1}, 1.0),
        ({"connect": 1.0, "read": 2.0, "write": 3.0}, None),  # a part missing is unbounded
        ({"connect": 0.0, "read": 0.0, "write": 0.0, "pool": 0.0}, 0.0),
    ],
)
def test_a_calls_budget_is_its_longest_timeout_part(
    timeout: httpx.Timeout | dict[str, float] | None, expected: float | None
) -> None:
    got = _deadline.budget(timeout)
    assert got == expected
    assert got is None or isinstance(got, float)


def test_a_deadline_fixed_by_hand_is_kept_as_a_float() -> None:
    request = httpx.Request("GET", "http://example.test/", extensions={_deadline.DEADLINE: 12})
    got = _deadline.start(request)
    assert got == 12.0 and isinstance(got, float)
    assert request.extensions[_deadline.DEADLINE] == 12


def test_a_request_with_no_timeout_has_no_deadline() -> None:
    request = httpx.Request("GET", "http://example.test/")
    assert _deadline.start(request) is None
    assert _deadline.DEADLINE not in request.extensions


def test_a_fixed_deadline_is_recorded_on_the_request() -> None:
    request = httpx.Request(
        "GET", "http://example.test/", extensions={"timeout": httpx.Timeout(3.0).as_dict()}
    )
    first = _deadline.start(request)
    assert request.extensions[_deadline.DEADLINE] == first


def test_timeouts_just_within_the_slack_are_left_alone() -> None:
    parts = {"connect": 2.04, "read": 2.04, "write": 1.0, "pool": 2.0}
    request = httpx.Request("GET", "http://example.test/", extensions={"timeout": dict(parts)})
    _deadline.clamp_timeouts(request, _deadline.now() + 2.0)
    assert request.extensions["timeout"] == parts


def test_a_request_without_timeouts_gets_the_time_left_for_each() -> None:
    request = httpx.Request("GET", "http://example.test/")
    _deadline.clamp_timeouts(request, _deadline.now() + 2.0)
    parts = request.extensions["timeout"]
    assert set(parts) == {"connect", "read", "write", "pool"}
    assert all(1.5 < value <= 2.0 for value in parts.values())


def test_one_timeout_over_the_time_left_clamps_only_that_one() -> None:
    parts = {"connect": 0.5, "read": 30.0, "write": 1.0, "pool": 0.25}
    request = httpx.Request("GET", "http://example.test/", extensions={"timeout": dict(parts)})
    _deadline.clamp_timeouts(request, _deadline.now() + 2.0)
    clamped = request.extensions["timeout"]
    assert clamped["connect"] == 0.5 and clamped["write"] == 1.0 and clamped["pool"] == 0.25
    assert 1.5 < clamped["read"] <= 2.0
    assert parts["read"] == 30.0  # the caller's mapping is not changed in place


def test_a_timeout_exactly_at_the_slack_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_deadline, "now", lambda: 100.0)
    parts = dict.fromkeys(("connect", "read", "write", "pool"), 2.0 + _deadline._CLAMP_SLACK)
    request = httpx.Request("GET", "http://example.test/", extensions={"timeout": dict(parts)})
    _deadline.clamp_timeouts(request, 102.0)  # 2 s left
    assert request.extensions["timeout"] == parts
