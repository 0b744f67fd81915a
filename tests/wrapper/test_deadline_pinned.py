"""Whole-call deadlines at the socket: what mutation testing found unpinned (docs/mutation.md).

A tiny server on 127.0.0.1 that stalls or drips its answer; the client is plain httpx with
the deadline-bound network backend installed, so each test takes well under a second.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from iqp_wrapper.transport import _deadline

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 20\r\nConnection: close\r\n\r\n"


class SlowServer:
    """Answers every connection with HEAD, then 20 body bytes: after ``stall`` seconds in
    one piece, or one byte every ``drip`` seconds."""

    def __init__(self, *, stall: float = 0.0, drip: float = 0.0) -> None:
        self.stall, self.drip = stall, drip
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(HEAD)
                time.sleep(self.stall)
                for _ in range(20):
                    conn.sendall(b"x" if self.drip else b"x" * 20)
                    if not self.drip:
                        break
                    time.sleep(self.drip)
            except OSError:
                pass

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def dripping() -> Iterator[SlowServer]:
    server = SlowServer(drip=0.05)  # a whole second for the body; no read waits over 0.05 s
    yield server
    server.close()


@pytest.fixture
def stalling() -> Iterator[SlowServer]:
    server = SlowServer(stall=0.8)
    yield server
    server.close()


def test_an_installed_transport_ends_a_dripping_answer_at_the_deadline(dripping: SlowServer) -> None:
    # Without the deadline the answer would arrive whole after a second (next test).
    token = _deadline.enter(_deadline.now() + 0.25)
    try:
        with (
            httpx.Client(transport=_deadline.install(httpx.HTTPTransport()), timeout=5.0) as client,
            pytest.raises(httpx.TimeoutException),
        ):
            client.get(dripping.url)
    finally:
        _deadline.leave(token)


async def test_an_installed_async_transport_ends_a_dripping_answer_at_the_deadline(
    dripping: SlowServer,
) -> None:
    transport = _deadline.install(httpx.AsyncHTTPTransport())
    async with httpx.AsyncClient(transport=transport, timeout=5.0) as client:
        token = _deadline.enter(_deadline.now() + 0.25)
        try:
            with pytest.raises(httpx.TimeoutException):
                await client.get(dripping.url)
        finally:
            _deadline.leave(token)


def test_without_a_deadline_the_drip_is_read_to_the_end(dripping: SlowServer) -> None:
    with httpx.Client(transport=_deadline.install(httpx.HTTPTransport()), timeout=5.0) as client:
        assert client.get(dripping.url).text == "x" * 20


@pytest.mark.parametrize("is_async", [False, True])
async def test_a_per_read_timeout_shorter_than_the_time_left_still_applies(
    stalling: SlowServer, is_async: bool
) -> None:
    # 5 s left before the deadline, reads limited to 0.2 s: the 0.8 s stall is a read timeout.
    timeout = httpx.Timeout(5.0, read=0.2)
    token = _deadline.enter(_deadline.now() + 5.0)
    try:
        with pytest.raises(httpx.ReadTimeout):
            if is_async:
                transport = _deadline.install(httpx.AsyncHTTPTransport())
                async with httpx.AsyncClient(transport=transport, timeout=timeout) as client:
                    await client.get(stalling.url)
            else:
                with httpx.Client(transport=_deadline.install(httpx.HTTPTransport()), timeout=timeout) as c:
                    c.get(stalling.url)
    finally:
        _deadline.leave(token)


def test_a_passed_deadline_refuses_to_connect() -> None:
    token = _deadline.enter(_deadline.now() - 1.0)
    try:
        with (
            httpx.Client(transport=_deadline.install(httpx.HTTPTransport())) as client,
            pytest.raises(httpx.ConnectTimeout),
        ):
            client.get("http://127.0.0.1:9/")  # never reached: the deadline has passed
    finally:
        _deadline.leave(token)


# -- clamping a request's timeouts to the time left ------------------------------------


def _request(timeout: httpx.Timeout) -> httpx.Request:
    return httpx.Request("GET", "http://example.test/", extensions={"timeout": timeout.as_dict()})


def test_timeouts_are_clamped_to_the_time_left() -> None:
    request = _request(httpx.Timeout(30.0))
    _deadline.clamp_timeouts(request, _deadline.now() + 2.0)
    parts = request.extensions["timeout"]
    assert set(parts) == {"connect", "read", "write", "pool"}
    assert all(1.5 < value <= 2.0 for value in parts.values())


def test_a_passed_deadline_clamps_every_timeout_to_zero() -> None:
    request = _request(httpx.Timeout(30.0))
    _deadline.clamp_timeouts(request, _deadline.now() - 5.0)
    assert request.extensions["timeout"] == dict.fromkeys(("connect", "read", "write", "pool"), 0.0)


def test_shorter_timeouts_and_no_deadline_are_left_alone() -> None:
    request = _request(httpx.Timeout(1.0, connect=0.5))
    before = dict(request.extensions["timeout"])
    _deadline.clamp_timeouts(request, _deadline.now() + 10.0)
    assert request.extensions["timeout"] == before
    _deadline.clamp_timeouts(request, None)
    assert request.extensions["timeout"] == before


def test_an_unbounded_part_is_bounded_by_the_deadline() -> None:
    request = _request(httpx.Timeout(1.0, pool=None))
    _deadline.clamp_timeouts(request, _deadline.now() + 3.0)
    parts = request.extensions["timeout"]
    assert parts["connect"] == parts["read"] == parts["write"] == 1.0
    assert 2.5 < parts["pool"] <= 3.0


def test_a_calls_deadline_is_fixed_once() -> None:
    request = _request(httpx.Timeout(4.0))
    first = _deadline.start(request)
    assert first is not None and 3.5 < first - _deadline.now() <= 4.0
    time.sleep(0.01)
    assert _deadline.start(request) == first
    assert _deadline.start(_request(httpx.Timeout(None))) is None


def test_earliest_and_remaining() -> None:
    assert _deadline.earliest(None, 5.0, 3.0, None) == 3.0
    assert _deadline.earliest(None, None) is None
    assert _deadline.remaining(None) is None
    assert -0.1 < _deadline.remaining(_deadline.now()) <= 0.0  # type: ignore[operator]


async def test_a_passed_deadline_refuses_to_connect_async() -> None:
    token = _deadline.enter(_deadline.now() - 1.0)
    try:
        async with httpx.AsyncClient(transport=_deadline.install(httpx.AsyncHTTPTransport())) as client:
            with pytest.raises(httpx.ConnectTimeout):
                await client.get("http://127.0.0.1:9/")
    finally:
        _deadline.leave(token)


@pytest.mark.parametrize("is_async", [False, True])
async def test_no_client_timeout_is_still_bounded_by_the_deadline(
    dripping: SlowServer, is_async: bool
) -> None:
    token = _deadline.enter(_deadline.now() + 0.25)
    try:
        with pytest.raises(httpx.TimeoutException):
            if is_async:
                transport = _deadline.install(httpx.AsyncHTTPTransport())
                async with httpx.AsyncClient(transport=transport, timeout=None) as client:
                    await client.get(dripping.url)
            else:
                with httpx.Client(transport=_deadline.install(httpx.HTTPTransport()), timeout=None) as c:
                    c.get(dripping.url)
    finally:
        _deadline.leave(token)
