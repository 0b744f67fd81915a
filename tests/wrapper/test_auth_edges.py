"""IAMAuth at its edges: which token a resend after a 401 carries, what a failed refresh keeps
and for how long, who receives the token, and how a leader that stops hands over."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

import httpx
import pytest

from iqp_wrapper import IAMAuth, IAMError
from iqp_wrapper.transport.network import Network
from tests.wrapper.fakes import SyncAndAsync

from .fakes import API_KEY, API_URL, IAM_URL, FakeClock, iam_body, token

LIFETIME = 100.0  # IAM's expires_in; our clock counts 99 s (one second off for IAM's rounding)
JOBS_URL = f"{API_URL}/v1/jobs"
PATIENCE = 10.0


def network_for(iam: Any) -> Network:
    async def iam_async(request: httpx.Request) -> httpx.Response:
        result: httpx.Response = iam(request)
        return result

    return Network(
        fixed_transport=SyncAndAsync(httpx.MockTransport(iam), httpx.MockTransport(iam_async)),
    )


# -- the token a resend carries -------------------------------------------------------------


@pytest.mark.parametrize(("age", "resent_with"), [(30.0, 2), (50.0, 3)])
def test_a_resend_reuses_a_successor_only_while_it_is_young(age: float, resent_with: int) -> None:
    """Request A goes out with token 1; while it is in flight another request fetches token 2;
    A is refused. A's resend takes token 2 if it is young (under 40% of its lifetime: half
    the refresh point), else a new token 3."""
    clock = FakeClock()
    issued: list[float] = []

    def iam(request: httpx.Request) -> httpx.Response:
        issued.append(clock.now)
        return httpx.Response(200, json=iam_body(len(issued), expires_in=LIFETIME))

    seen: list[str] = []
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network_for(iam), clock=clock)
    other = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)), auth=auth)

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"].removeprefix("Bearer "))
        if len(seen) > 1:
            return httpx.Response(200)
        clock.advance(90.0)  # token 1 is past its refresh point: the other request renews it
        other.get(JOBS_URL)
        clock.advance(age)  # token 2's age when A's 401 arrives
        return httpx.Response(401, json={"errors": [{"code": "1201", "message": "Invalid token"}]})

    with httpx.Client(transport=httpx.MockTransport(api), auth=auth) as http:
        assert http.get(JOBS_URL).status_code == 200
    assert seen == [token(1), token(resent_with)]
    assert len(issued) == resent_with


# -- a failed refresh ------------------------------------------------------------------------


class FlakyIAM:
    """Token 1, then refusals (moving the clock to ``fail_at`` when set), then tokens again."""

    def __init__(self, clock: FakeClock, failures: int, fail_at: float | None = None) -> None:
        self.clock = clock
        self.failures = failures
        self.fail_at = fail_at
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if 1 < self.calls <= 1 + self.failures:
            if self.fail_at is not None:
                self.clock.now = self.fail_at
            return httpx.Response(
                400, json={"errorCode": "BXNIM0438E", "errorMessage": "temporarily refused"}
            )
        return httpx.Response(200, json=iam_body(self.calls, expires_in=LIFETIME))


def test_a_failed_refresh_keeps_the_token_and_tries_again_halfway_to_expiry(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    iam = FlakyIAM(clock, failures=1)
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network_for(iam), clock=clock)
    seen: list[str] = []

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"].removeprefix("Bearer "))
        return httpx.Response(200)

    http = httpx.Client(transport=httpx.MockTransport(api), auth=auth)
    start = clock.now
    http.get(JOBS_URL)
    clock.now = start + 80.0  # past the refresh point (79.2 s), 19 s before expiry (99 s)
    with caplog.at_level(logging.WARNING, logger="iqp_wrapper.auth.flow"):
        http.get(JOBS_URL)  # the refresh fails; token 1 still serves
    assert caplog.messages == [
        "refreshing the IAM token failed (IAM refused the token request (HTTP 400). IAM said: BXNIM0438E: "
        "temporarily refused Check the key, or create one at https://cloud.ibm.com/iam/apikeys.); the "
        "current token stays in use for its remaining 19s"
    ]
    clock.now = start + 88.0  # before the next try, halfway to expiry (80 + 9.5)
    http.get(JOBS_URL)
    assert iam.calls == 2
    clock.now = start + 90.0
    http.get(JOBS_URL)
    assert iam.calls == 3
    assert seen == [token(1), token(1), token(1), token(3)]


def test_a_refresh_that_fails_as_the_token_expires_keeps_nothing() -> None:
    clock = FakeClock()
    start = clock.now
    iam = FlakyIAM(clock, failures=1, fail_at=start + LIFETIME - 1.0)  # the answer comes at expiry
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network_for(iam), clock=clock)
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)), auth=auth)
    http.get(JOBS_URL)
    clock.now = start + 80.0
    with pytest.raises(IAMError):
        http.get(JOBS_URL)


# -- who receives the token -------------------------------------------------------------------


def test_an_explicit_port_must_match_exactly() -> None:
    auth = IAMAuth(
        API_KEY,
        api_url="https://api.example.test:8443/api",
        iam_url=IAM_URL,
        network=network_for(lambda r: None),
    )
    seen: list[str | None] = []

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return httpx.Response(200)

    httpx.Client(transport=httpx.MockTransport(api), auth=auth).get("https://api.example.test:9443/x")
    assert seen == [None]


def test_the_iam_url_loses_only_its_trailing_slash() -> None:
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url="http://127.0.0.1:9/iamX/")
    assert repr(auth).endswith("iam_url='http://127.0.0.1:9/iamX')")


# -- leaders that stop -------------------------------------------------------------------------


class HeldFirst:
    """IAM whose first exchange waits for ``go``, then does ``first`` (raise or answer)."""

    def __init__(self, first: BaseException) -> None:
        self.first = first
        self.calls = 0
        self.started = threading.Event()
        self.go = threading.Event()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls == 1:
            self.started.set()
            self.go.wait(PATIENCE)
            raise self.first
        return httpx.Response(200, json=iam_body(self.calls - 1))


def call_in_thread(auth: IAMAuth) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []

    def run() -> None:
        try:
            with httpx.Client(
                transport=httpx.MockTransport(lambda r: httpx.Response(200)), auth=auth
            ) as http:
                outcome.append(http.get(JOBS_URL).status_code)
        except BaseException as exc:  # the leader's KeyboardInterrupt included
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize(
    ("first", "waiter_gets"),
    [(KeyboardInterrupt(), 200), (RuntimeError("a bug in the exchange"), RuntimeError)],
)
def test_an_interrupted_leader_hands_over_and_a_bug_is_shared(first: BaseException, waiter_gets: Any) -> None:
    iam = HeldFirst(first)
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network_for(iam), timeout=600.0)
    leader, led = call_in_thread(auth)
    assert iam.started.wait(PATIENCE)
    waiter, waited = call_in_thread(auth)
    time.sleep(0.2)  # let the waiter park on the leader's exchange
    iam.go.set()
    for thread in (leader, waiter):
        thread.join(PATIENCE)
        assert not thread.is_alive(), "a waiter was left waiting after its leader stopped"
    assert isinstance(led[0], type(first))
    if waiter_gets == 200:
        assert waited == [200] and iam.calls == 2  # the waiter led a new exchange
    else:
        assert isinstance(waited[0], RuntimeError) and iam.calls == 1  # shared, not repeated


async def test_an_async_leaders_bug_is_shared_with_its_waiters() -> None:
    calls = 0
    go = asyncio.Event()

    async def iam(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        await go.wait()
        raise RuntimeError("a bug in the exchange")

    network = Network(fixed_transport=httpx.MockTransport(iam))
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network, timeout=600.0)

    async def call() -> Any:
        async with httpx.AsyncClient(
            transport=httpx.MockTransport(lambda r: httpx.Response(200)), auth=auth
        ) as h:
            return (await h.get(JOBS_URL)).status_code

    leader = asyncio.create_task(call())
    while calls == 0:
        await asyncio.sleep(0.001)
    waiter = asyncio.create_task(call())
    for _ in range(20):
        await asyncio.sleep(0)
    go.set()
    results = await asyncio.wait_for(asyncio.gather(leader, waiter, return_exceptions=True), PATIENCE)
    assert all(isinstance(r, RuntimeError) for r in results)
    assert calls == 1


@pytest.mark.parametrize(("age", "resent_with"), [(30.0, 2), (50.0, 3)])
async def test_a_resend_reuses_a_successor_only_while_it_is_young_async(age: float, resent_with: int) -> None:
    clock = FakeClock()
    issued: list[float] = []

    def iam(request: httpx.Request) -> httpx.Response:
        issued.append(clock.now)
        return httpx.Response(200, json=iam_body(len(issued), expires_in=LIFETIME))

    seen: list[str] = []
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network_for(iam), clock=clock)

    async def ok(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200)

    other = httpx.AsyncClient(transport=httpx.MockTransport(ok), auth=auth)

    async def api(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"].removeprefix("Bearer "))
        if len(seen) > 1:
            return httpx.Response(200)
        clock.advance(90.0)
        await other.get(JOBS_URL)
        clock.advance(age)
        return httpx.Response(401, json={"errors": [{"code": "1201", "message": "Invalid token"}]})

    async with httpx.AsyncClient(transport=httpx.MockTransport(api), auth=auth) as http:
        assert (await http.get(JOBS_URL)).status_code == 200
    await other.aclose()
    assert seen == [token(1), token(resent_with)]
    assert len(issued) == resent_with


def test_a_new_token_is_logged_with_its_refresh_and_expiry(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    iam = FlakyIAM(clock, failures=0)
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network_for(iam), clock=clock)
    with caplog.at_level(logging.DEBUG, logger="iqp_wrapper.auth.flow"):
        httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)), auth=auth).get(JOBS_URL)
    assert "IAM token #1 cached; refresh in 79s, expiry in 99s" in caplog.messages
