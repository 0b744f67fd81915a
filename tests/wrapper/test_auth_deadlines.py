"""An API call's timeout bounds the token it waits for: its own IAM exchange, or its wait
for someone else's; a leader cut short by its own call's deadline hands the exchange over.

IAM here is a real server on 127.0.0.1 (so httpx's socket timeouts apply) that keeps its
first connection open without a word and answers every later one. PATIENCE bounds each
wait so that a regression fails the test instead of hanging it; it is not a performance
figure.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from iqp_wrapper import IAMAuth, IAMTimeoutError

from .fakes import API_KEY, API_URL, iam_body, token

PATIENCE = 10.0
IAM_TIMEOUT = 60.0  # far beyond PATIENCE: only the call's own timeout can end these waits
CALL_TIMEOUT = 0.3
LEADER_TIMEOUT = 2.0  # longer than the waiter's call, so the waiter's own timeout ends its wait
JOBS_URL = f"{API_URL}/v1/jobs"


class IAMServer:
    """The first connection is held silent; later ones get a token each."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections = 0
        self.first_arrived = threading.Event()
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.05)
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            self.connections += 1
            if self.connections == 1:
                self._held.append(conn)
                self.first_arrived.set()
                continue
            threading.Thread(target=self._answer, args=(conn, self.connections), daemon=True).start()

    def _answer(self, conn: socket.socket, n: int) -> None:
        with conn:
            conn.settimeout(PATIENCE)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            while len(body) < length:
                body += conn.recv(65536)
            answer = json.dumps(iam_body(n - 1)).encode()
            conn.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n"
                + f"content-length: {len(answer)}\r\n\r\n".encode()
                + answer
            )

    def close(self) -> None:
        self._stop.set()
        self._thread.join(PATIENCE)
        for conn in self._held:
            conn.close()
        self.listener.close()


@pytest.fixture
def iam() -> Iterator[IAMServer]:
    server = IAMServer()
    yield server
    server.close()


def api(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"token": request.headers["authorization"].removeprefix("Bearer ")})


async def api_async(request: httpx.Request) -> httpx.Response:
    return api(request)


def new_auth(iam: IAMServer) -> IAMAuth:
    return IAMAuth(API_KEY, api_url=API_URL, iam_url=iam.url, timeout=IAM_TIMEOUT)


def in_thread(auth: IAMAuth, timeout: float | None) -> tuple[threading.Thread, list[Any]]:
    """Make one API call from a thread; the list gets its token, or the error it raised."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            with httpx.Client(transport=httpx.MockTransport(api), auth=auth, timeout=timeout) as http:
                outcome.append(http.get(JOBS_URL).json()["token"])
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def finish(thread: threading.Thread) -> None:
    thread.join(PATIENCE)
    assert not thread.is_alive(), "still waiting: the call's timeout did not bound it"


def test_a_leaders_exchange_ends_with_its_calls_timeout(iam: IAMServer) -> None:
    thread, outcome = in_thread(new_auth(iam), CALL_TIMEOUT)
    finish(thread)
    assert len(outcome) == 1 and isinstance(outcome[0], IAMTimeoutError)


async def test_an_async_leaders_exchange_ends_with_its_calls_timeout(iam: IAMServer) -> None:
    auth = new_auth(iam)
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(api_async), auth=auth, timeout=CALL_TIMEOUT
    ) as http:
        with pytest.raises(IAMTimeoutError):
            await asyncio.wait_for(http.get(JOBS_URL), PATIENCE)


def test_a_waiter_gives_up_when_its_own_call_times_out(iam: IAMServer) -> None:
    auth = new_auth(iam)
    leader, _ = in_thread(auth, LEADER_TIMEOUT)
    assert iam.first_arrived.wait(PATIENCE)
    waiter, outcome = in_thread(auth, CALL_TIMEOUT)
    finish(waiter)
    assert leader.is_alive()  # the waiter's own timeout ended its wait, not the leader's end
    finish(leader)
    assert len(outcome) == 1 and isinstance(outcome[0], IAMTimeoutError)
    assert "for another request's IAM token exchange" in str(outcome[0])
    # It waited what its call allowed (a few tenths of a second), and says so.
    assert re.match(r"^Waited 0\.[0-3]\d*s \(all the call's timeout allowed\)", str(outcome[0]))
    assert iam.connections == 1  # the waiter waited; it did not start an exchange of its own


async def test_an_async_waiter_gives_up_when_its_own_call_times_out(iam: IAMServer) -> None:
    auth = new_auth(iam)
    leader, _ = in_thread(auth, LEADER_TIMEOUT)
    assert iam.first_arrived.wait(PATIENCE)
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(api_async), auth=auth, timeout=CALL_TIMEOUT
    ) as http:
        with pytest.raises(IAMTimeoutError) as caught:
            await asyncio.wait_for(http.get(JOBS_URL), PATIENCE)
    # Its own timeout ended the wait, well before the leader's exchange gave up.
    assert leader.is_alive()
    assert re.match(r"^Waited 0\.[0-3]\d*s \(all the call's timeout allowed\)", str(caught.value))
    finish(leader)
    assert iam.connections == 1


@pytest.mark.parametrize("waiter_timeout", [None, 30.0])
def test_a_leader_cut_short_by_its_own_call_hands_over_to_a_waiter(
    iam: IAMServer, waiter_timeout: float | None
) -> None:
    auth = new_auth(iam)
    leader, led = in_thread(auth, CALL_TIMEOUT)
    assert iam.first_arrived.wait(PATIENCE)
    waiter, waited = in_thread(auth, waiter_timeout)
    finish(leader)
    finish(waiter)
    assert isinstance(led[0], IAMTimeoutError)
    # The waiter's call had time left: it led a new exchange instead of sharing the timeout.
    assert waited == [token(1)]
    assert iam.connections == 2


def test_repr_names_the_api_host_and_iam_only() -> None:
    auth = IAMAuth(
        API_KEY, api_url="https://eu-de.quantum.cloud.ibm.com/api", iam_url="https://iam.cloud.ibm.com/"
    )
    assert repr(auth) == (
        "IAMAuth(api_key='***', api_host='eu-de.quantum.cloud.ibm.com', iam_url='https://iam.cloud.ibm.com')"
    )


async def test_an_async_leader_cut_short_by_its_own_call_hands_over(iam: IAMServer) -> None:
    auth = new_auth(iam)
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(api_async), auth=auth, timeout=CALL_TIMEOUT
    ) as http:
        leader = asyncio.create_task(http.get(JOBS_URL))
        while not iam.first_arrived.is_set():
            await asyncio.sleep(0.005)
        waiter, waited = in_thread(auth, None)
        with pytest.raises(IAMTimeoutError):
            await asyncio.wait_for(leader, PATIENCE)
    finish(waiter)
    assert waited == [token(1)]
    assert iam.connections == 2


class SilentSecondIAM(IAMServer):
    """Answers the first connection; holds every later one silent."""

    def _serve(self) -> None:
        self.listener.settimeout(0.05)
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            self.connections += 1
            if self.connections == 1:
                threading.Thread(target=self._answer, args=(conn, 2), daemon=True).start()
            else:
                self._held.append(conn)


def api_401(request: httpx.Request) -> httpx.Response:
    return httpx.Response(401, json={"errors": [{"code": "1201", "message": "Invalid token"}]})


async def api_401_async(request: httpx.Request) -> httpx.Response:
    return api_401(request)


def test_the_token_for_a_resend_is_bounded_by_the_calls_timeout() -> None:
    iam = SilentSecondIAM()
    try:
        outcome: list[Exception] = []
        auth = new_auth(iam)

        def run() -> None:
            try:
                with httpx.Client(
                    transport=httpx.MockTransport(api_401), auth=auth, timeout=CALL_TIMEOUT
                ) as h:
                    h.get(JOBS_URL)
            except Exception as exc:
                outcome.append(exc)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        finish(thread)
        assert len(outcome) == 1 and isinstance(outcome[0], IAMTimeoutError)
    finally:
        iam.close()


async def test_the_token_for_an_async_resend_is_bounded_by_the_calls_timeout() -> None:
    iam = SilentSecondIAM()
    try:
        auth = new_auth(iam)
        transport = httpx.MockTransport(api_401_async)
        async with httpx.AsyncClient(transport=transport, auth=auth, timeout=CALL_TIMEOUT) as http:
            with pytest.raises(IAMTimeoutError):
                await asyncio.wait_for(http.get(JOBS_URL), PATIENCE)
    finally:
        iam.close()
