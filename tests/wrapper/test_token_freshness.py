"""An expired token is never handed out, not even while another caller is fetching its successor.

A caller arriving during someone else's refresh may keep using the current token only while it
is still valid; once it has expired, the caller waits for the new one. Sync and async.
"""

from __future__ import annotations

import asyncio
import threading

import httpx

from iqp_wrapper import IAMAuth
from iqp_wrapper.transport.network import Network
from tests.wrapper.fakes import SyncAndAsync

from .fakes import API_KEY, API_URL, IAM_URL, FakeClock, iam_body, token

LIFETIME = 100.0
PATIENCE = 10.0  # the longest any step may take before the test fails instead of hanging


class SlowSecondIAM:
    """IAM: the first exchange answers at once; the second waits until ``release`` is set."""

    def __init__(self) -> None:
        self.calls = 0
        self.second_started = threading.Event()
        self.release = threading.Event()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        n = self.calls
        if n == 2:
            self.second_started.set()
            assert self.release.wait(PATIENCE), "the test never released the second exchange"
        return httpx.Response(200, json=iam_body(n, expires_in=LIFETIME))

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        n = self.calls
        if n == 2:
            self.second_started.set()
            while not self.release.is_set():  # released by the test from the same loop
                await asyncio.sleep(0.005)
        return httpx.Response(200, json=iam_body(n, expires_in=LIFETIME))


class Recorder:
    """The API: records the bearer token of each request."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.tokens.append(request.headers["authorization"].removeprefix("Bearer "))
        return httpx.Response(200, json={"ok": True})

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        return self(request)


def make_auth(iam: SlowSecondIAM, clock: FakeClock) -> IAMAuth:
    network = Network(
        fixed_transport=SyncAndAsync(httpx.MockTransport(iam), httpx.MockTransport(iam.handle_async)),
    )
    return IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network, clock=clock)


def fetch(http: httpx.Client) -> None:
    assert http.get(f"{API_URL}/v1/jobs").status_code == 200


def sync_case(past_expiry: float, *, expect_wait: bool) -> list[str]:
    """Token 1, then the clock moves ``past_expiry`` seconds beyond its lifetime; one thread
    leads the refresh, another asks meanwhile and should (``expect_wait``) or should not
    wait for it. Returns the tokens the API saw."""
    clock, iam, api = FakeClock(), SlowSecondIAM(), Recorder()
    http = httpx.Client(transport=httpx.MockTransport(api), auth=make_auth(iam, clock))
    fetch(http)
    clock.advance(LIFETIME + past_expiry)
    leader = threading.Thread(target=fetch, args=(http,), daemon=True)
    leader.start()
    assert iam.second_started.wait(PATIENCE)
    other = threading.Thread(target=fetch, args=(http,), daemon=True)
    other.start()
    if expect_wait:
        other.join(0.2)  # handed the old token, it would have finished by now
        assert other.is_alive(), "a caller did not wait for the new token"
    else:
        other.join(PATIENCE)
        assert not other.is_alive(), "a caller waited although the token was still valid"
    iam.release.set()
    for thread in (leader, other):
        thread.join(PATIENCE)
        assert not thread.is_alive()
    return api.tokens


def test_at_expiry_a_caller_waits_for_the_new_token() -> None:
    # Our clock ends a token's life one second early (IAM rounds its issue time): -1.0 is
    # exactly the expiry the client counts; 0.0 is the lifetime IAM stated.
    assert sync_case(past_expiry=-1.0, expect_wait=True) == [token(1), token(2), token(2)]
    assert sync_case(past_expiry=0.0, expect_wait=True) == [token(1), token(2), token(2)]


def test_long_after_expiry_a_caller_waits_for_the_new_token() -> None:
    assert sync_case(past_expiry=5000.0, expect_wait=True) == [token(1), token(2), token(2)]


def test_a_still_valid_token_serves_callers_during_the_refresh() -> None:
    # 85% into its lifetime: past the refresh point (80%), not expired.
    tokens = sync_case(past_expiry=-0.15 * LIFETIME, expect_wait=False)
    assert tokens == [token(1), token(1), token(2)]  # the caller meanwhile kept token 1


async def async_case(past_expiry: float) -> list[str]:
    clock, iam, api = FakeClock(), SlowSecondIAM(), Recorder()
    auth = make_auth(iam, clock)
    async with httpx.AsyncClient(transport=httpx.MockTransport(api.handle_async), auth=auth) as http:

        async def get() -> None:
            assert (await http.get(f"{API_URL}/v1/jobs")).status_code == 200

        await get()
        clock.advance(LIFETIME + past_expiry)
        leader = asyncio.create_task(get())
        while not iam.second_started.is_set():
            await asyncio.sleep(0.001)
        other = asyncio.create_task(get())
        if past_expiry >= -1.0:  # expired on our clock: the caller waits for the new token
            done, _ = await asyncio.wait({other}, timeout=0.2)
            assert not done and api.tokens == [token(1)]
        else:  # still valid: the caller is served at once with the current token
            await asyncio.wait_for(asyncio.shield(other), PATIENCE)
        iam.release.set()
        await asyncio.wait_for(asyncio.gather(leader, other), PATIENCE)
    return api.tokens


async def test_async_at_and_after_expiry_callers_wait_for_the_new_token() -> None:
    assert await async_case(past_expiry=-1.0) == [token(1), token(2), token(2)]
    assert await async_case(past_expiry=0.0) == [token(1), token(2), token(2)]
    assert await async_case(past_expiry=5000.0) == [token(1), token(2), token(2)]


async def test_async_a_still_valid_token_serves_callers_during_the_refresh() -> None:
    assert await async_case(past_expiry=-0.15 * LIFETIME) == [token(1), token(1), token(2)]
