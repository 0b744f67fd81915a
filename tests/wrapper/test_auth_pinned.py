"""IAMAuth: behaviour that mutation testing found unpinned (docs/mutation.md)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest

from iqp_wrapper import AuthenticationError, ConfigError, IAMAuth, IAMError, IAMTimeoutError
from iqp_wrapper.errors import ConfigSource
from iqp_wrapper.transport.network import Network

from .fakes import API_KEY, API_URL, IAM_URL, FakeClock, IAMStub, SyncAndAsync, iam_body, token
from .test_auth_resends import Scene

LIFETIME = 100.0
JOBS_URL = f"{API_URL}/v1/jobs"
REFUSED = {"errorCode": "BXNIM0438E", "errorMessage": "temporarily refused"}
INVALID = {"errors": [{"code": "1201", "message": "Invalid token"}]}


async def test_a_refresh_that_fails_after_a_401_dropped_the_token_keeps_nothing() -> None:
    """Token 1 is past its refresh point; A leads the refresh. While IAM is answering A, B's
    request with token 1 is refused (401), which drops token 1, and B waits for A's
    exchange. IAM then refuses A: token 1 is not kept as a fallback (it was dropped), and
    both calls end with IAM's error."""
    clock = FakeClock()
    calls = 0
    b_task: list[asyncio.Task[Any]] = []
    seen: list[str] = []

    async def iam(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return httpx.Response(200, json=iam_body(1, expires_in=LIFETIME))
        b_task.append(asyncio.create_task(http.get(JOBS_URL)))
        for _ in range(50):  # B is refused, drops token 1 and waits for this exchange
            await asyncio.sleep(0)
        return httpx.Response(400, json=REFUSED)

    async def api(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"].removeprefix("Bearer "))
        return httpx.Response(401 if len(seen) > 1 else 200, json=INVALID)

    network = Network(fixed_transport=httpx.MockTransport(iam))
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network, clock=clock, timeout=600.0)
    async with httpx.AsyncClient(transport=httpx.MockTransport(api), auth=auth) as http:
        assert (await http.get(JOBS_URL)).status_code == 200
        clock.advance(80.0)  # past the refresh point (79.2 s), well before expiry (99 s)
        with pytest.raises(IAMError):
            await asyncio.wait_for(http.get(JOBS_URL), 10.0)
        assert b_task
        with pytest.raises(IAMError):
            await asyncio.wait_for(b_task[0], 10.0)
    assert seen == [token(1), token(1)]  # B's request was refused, and never resent
    assert calls == 2


class RefusingThirdIAM:
    """Tokens 1 and 2, then a refusal that carries IAM's request id."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls <= 2:
            return httpx.Response(200, json=iam_body(self.calls, expires_in=LIFETIME))
        return httpx.Response(400, json={**REFUSED, "context": {"requestId": "test-request-id"}})


def assert_is_iams_refusal(error: BaseException) -> None:
    assert type(error) is IAMError
    assert (error.status_code, error.error_code) == (400, "BXNIM0438E")
    assert (error.error_message, error.request_id) == ("temporarily refused", "test-request-id")


def test_a_401_to_a_token_whose_refresh_failed_is_iams_fault() -> None:
    """Request A carries token 1; meanwhile another request renews it (token 2). A is
    refused; token 2, no longer young, is renewed for A's resend, but IAM refuses, so token 2
    is kept and A is resent with it. Refused again: the error is IAM's refusal (the token
    could not be replaced), with IAM's status, code, message and request id."""
    clock = FakeClock()
    iam = RefusingThirdIAM()

    async def iam_async(request: httpx.Request) -> httpx.Response:
        return iam(request)

    network = Network(fixed_transport=SyncAndAsync(httpx.MockTransport(iam), httpx.MockTransport(iam_async)))
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network, clock=clock)
    other = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)), auth=auth)
    seen: list[str] = []

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"].removeprefix("Bearer "))
        if len(seen) == 1:
            clock.advance(90.0)  # token 1 is past its refresh point: the other request renews it
            other.get(JOBS_URL)
            clock.advance(50.0)  # token 2 is no longer young when A's 401 arrives
        return httpx.Response(401, json=INVALID)

    with (
        httpx.Client(transport=httpx.MockTransport(api), auth=auth) as http,
        pytest.raises(IAMError) as caught,
    ):
        http.get(JOBS_URL)
    assert_is_iams_refusal(caught.value)
    assert "BXNIM0438E" in str(caught.value)  # the message carries IAM's answer
    assert seen == [token(1), token(2)]
    assert iam.calls == 3


async def test_a_401_to_a_token_whose_refresh_failed_is_iams_fault_async() -> None:
    clock = FakeClock()
    iam = RefusingThirdIAM()

    async def iam_async(request: httpx.Request) -> httpx.Response:
        return iam(request)

    network = Network(fixed_transport=httpx.MockTransport(iam_async))
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network, clock=clock)
    other = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(200)), auth=auth)
    seen: list[str] = []

    async def api(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"].removeprefix("Bearer "))
        if len(seen) == 1:
            clock.advance(90.0)
            await other.get(JOBS_URL)
            clock.advance(50.0)
        return httpx.Response(401, json=INVALID)

    async with httpx.AsyncClient(transport=httpx.MockTransport(api), auth=auth) as http:
        with pytest.raises(IAMError) as caught:
            await http.get(JOBS_URL)
    await other.aclose()
    assert_is_iams_refusal(caught.value)
    assert seen == [token(1), token(2)]
    assert iam.calls == 3


def test_under_an_unbounded_iam_timeout_a_waiter_still_ends_with_its_own_call() -> None:
    """IAMAuth(timeout=Timeout(None)): the exchange has no time limit of its own, so a caller
    waiting for someone else's exchange is bounded only by its own call's timeout."""
    arrived, release = threading.Event(), threading.Event()

    def iam(request: httpx.Request) -> httpx.Response:
        arrived.set()
        release.wait(10.0)
        return httpx.Response(200, json=iam_body(1))

    network = Network(fixed_transport=httpx.MockTransport(iam))
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network, timeout=httpx.Timeout(None))
    api = httpx.MockTransport(lambda r: httpx.Response(200))
    outcome: list[int] = []

    def lead() -> None:
        with httpx.Client(transport=api, auth=auth, timeout=None) as http:
            outcome.append(http.get(JOBS_URL).status_code)

    leader = threading.Thread(target=lead, daemon=True)
    leader.start()
    try:
        assert arrived.wait(10.0)
        with httpx.Client(transport=api, auth=auth, timeout=0.2) as http, pytest.raises(IAMTimeoutError):
            http.get(JOBS_URL)
        assert leader.is_alive()  # the waiter gave up on its own; the exchange goes on
    finally:
        release.set()
        leader.join(10.0)
    assert outcome == [200]


def test_a_very_short_lifetime_is_counted_as_half_of_it() -> None:
    """IAM's whole-second rounding is taken off a lifetime, but never more than half of it:
    a 1.5 s token counts 0.75 s, so it is refreshed 0.6 s in (0.8 of it), not before."""
    clock = FakeClock()
    iam = IAMStub(expires_in=1.5)
    network = Network(fixed_transport=httpx.MockTransport(iam))
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network, clock=clock)
    with httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)), auth=auth) as http:
        http.get(JOBS_URL)
        clock.advance(0.55)
        http.get(JOBS_URL)
        assert iam.calls == 1
        clock.advance(0.1)
        http.get(JOBS_URL)
        assert iam.calls == 2


@pytest.mark.parametrize("fraction", [0.0, -0.5, 1.001])
def test_a_refresh_fraction_out_of_range_is_refused_by_its_fields(fraction: float) -> None:
    with pytest.raises(ConfigError) as caught:
        IAMAuth(API_KEY, api_url=API_URL, refresh_fraction=fraction)
    error = caught.value
    assert (error.setting, error.source, error.problem) == (
        "refresh_fraction",
        ConfigSource.ARGUMENT,
        "out_of_range",
    )


def test_a_refresh_fraction_of_one_is_accepted() -> None:
    IAMAuth(API_KEY, api_url=API_URL, refresh_fraction=1.0)


@pytest.mark.parametrize("transit", ["instant", "at expiry"])
def test_the_last_401s_error_carries_the_apis_answer(transit: str) -> None:
    """Refused for good (the token replaced, or expired on the way each time): the error is the
    API's 401, its errors and trace kept, and its message carries the API's answer."""
    scene = Scene(transit)
    http = httpx.Client(transport=httpx.MockTransport(scene.api), auth=scene.auth())
    with pytest.raises(AuthenticationError) as caught:
        http.get(JOBS_URL)
    error = caught.value
    assert error.status_code == 401
    assert [e.code for e in error.errors] == ["1201"]
    assert "Invalid token" in str(error) and "1201" in str(error)
