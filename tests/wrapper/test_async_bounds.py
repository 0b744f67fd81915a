"""Async callers never wait without bound for a token, and a leader that stops hands over.

- A task waiting for another caller's IAM exchange gives up with IAMTimeoutError once the
  exchange has had its whole time limit.
- The async IAM exchange itself times out with IAMTimeoutError against a server that accepts
  the connection and never answers (a real socket on 127.0.0.1, so httpx's timeouts apply).
- A leader that fails wakes its waiters at once with the failure; a leader that is cancelled
  leaves the exchange to a waiter, which then gets a token.

PATIENCE bounds every wait, so a regression fails the test instead of hanging it; it is
not a performance figure.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from iqp_wrapper import IAMAuth, IAMError, IAMTimeoutError
from iqp_wrapper.transport.network import Network
from tests.wrapper.fakes import SyncAndAsync

from .fakes import API_KEY, API_URL, IAM_URL, iam_body, token

PATIENCE = 10.0
JOBS_URL = f"{API_URL}/v1/jobs"


def api(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"token": request.headers["authorization"].removeprefix("Bearer ")})


async def api_async(request: httpx.Request) -> httpx.Response:
    return api(request)


class HeldIAM:
    """IAM whose first exchange is held until ``release``; later ones answer at once."""

    def __init__(self, first: httpx.Response | None = None) -> None:
        self.calls = 0
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.first = first

    def _answer(self, n: int) -> httpx.Response:
        if n == 1 and self.first is not None:
            return self.first
        return httpx.Response(200, json=iam_body(n))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        n = self.calls
        if n == 1:
            self.first_started.set()
            self.release.wait(PATIENCE)
        return self._answer(n)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        n = self.calls
        if n == 1:
            self.first_started.set()
            while not self.release.is_set():
                await asyncio.sleep(0.005)
        return self._answer(n)


def auth_with(iam: HeldIAM, timeout: float) -> IAMAuth:
    network = Network(
        fixed_transport=SyncAndAsync(httpx.MockTransport(iam), httpx.MockTransport(iam.handle_async)),
    )
    return IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network, timeout=timeout)


def sync_get(auth: IAMAuth) -> None:
    with httpx.Client(transport=httpx.MockTransport(api), auth=auth, timeout=None) as http:
        http.get(JOBS_URL)


async def async_get(auth: IAMAuth) -> str:
    # No timeout on the API call: only IAM's own timeout may end these exchanges.
    async with httpx.AsyncClient(transport=httpx.MockTransport(api_async), auth=auth, timeout=None) as http:
        response = await http.get(JOBS_URL)
    token_seen: str = response.json()["token"]
    return token_seen


def lead_in_a_thread(auth: IAMAuth) -> threading.Thread:
    def run() -> None:
        # The leader's own fate is not what these tests check.
        with contextlib.suppress(IAMError):
            sync_get(auth)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


# -- waiters ------------------------------------------------------------------------------


async def test_an_async_waiter_gives_up_when_the_exchange_overruns_its_time_limit() -> None:
    iam = HeldIAM()
    auth = auth_with(iam, timeout=0.05)  # a stuck exchange must be given up on within ~0.2 s
    leader = lead_in_a_thread(auth)
    assert iam.first_started.wait(PATIENCE)
    started = time.monotonic()
    with pytest.raises(IAMTimeoutError):
        await asyncio.wait_for(async_get(auth), PATIENCE)
    waited = time.monotonic() - started
    iam.release.set()
    leader.join(PATIENCE)
    assert waited < PATIENCE
    assert iam.calls == 1  # the waiter gave up; it did not start an exchange of its own


async def test_an_async_waiter_gets_the_leaders_failure_at_once_not_at_its_time_limit() -> None:
    refusal = httpx.Response(
        400, json={"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."}
    )
    iam = HeldIAM(first=refusal)
    auth = auth_with(iam, timeout=600.0)  # waiting out the limit would blow PATIENCE
    leader = lead_in_a_thread(auth)
    assert iam.first_started.wait(PATIENCE)
    waiter = asyncio.create_task(async_get(auth))
    for _ in range(20):  # let the task reach its wait
        await asyncio.sleep(0)
    iam.release.set()
    with pytest.raises(IAMError) as caught:
        await asyncio.wait_for(waiter, PATIENCE)
    assert not isinstance(caught.value, IAMTimeoutError)
    leader.join(PATIENCE)
    assert iam.calls == 1


async def test_a_cancelled_async_leader_hands_the_exchange_to_a_waiter() -> None:
    iam = HeldIAM()
    auth = auth_with(iam, timeout=600.0)
    leader = asyncio.create_task(async_get(auth))
    while not iam.first_started.is_set():
        await asyncio.sleep(0.001)
    waiter = asyncio.create_task(async_get(auth))
    for _ in range(20):
        await asyncio.sleep(0)
    leader.cancel()
    assert await asyncio.wait_for(waiter, PATIENCE) == token(2)
    assert leader.cancelled()
    assert iam.calls == 2
    iam.release.set()


async def test_after_a_failed_leader_the_next_async_caller_tries_again() -> None:
    # A refusal (IAM's 5xx would be retried within the exchange).
    iam = HeldIAM(first=httpx.Response(400, json={"errorCode": "BXNIM0415E", "errorMessage": "not found"}))
    auth = auth_with(iam, timeout=600.0)
    iam.release.set()
    with pytest.raises(IAMError):
        await async_get(auth)
    assert await async_get(auth) == token(2)


# -- the async exchange's own timeout ----------------------------------------------------------


@pytest.fixture
def silent_iam() -> Iterator[str]:
    """A server on 127.0.0.1 that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(PATIENCE)
    for conn in held:
        conn.close()
    listener.close()


async def test_the_async_exchange_times_out_on_a_silent_iam(silent_iam: str) -> None:
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=silent_iam, timeout=0.2)
    with pytest.raises(IAMTimeoutError):
        await asyncio.wait_for(async_get(auth), PATIENCE)


def test_the_sync_exchange_times_out_on_a_silent_iam(silent_iam: str) -> None:
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=silent_iam, timeout=0.2)
    done: list[BaseException] = []

    def run() -> None:
        try:
            sync_get(auth)
        except BaseException as exc:
            done.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(PATIENCE)
    assert not thread.is_alive(), "the sync exchange did not time out"
    assert len(done) == 1 and isinstance(done[0], IAMTimeoutError)
