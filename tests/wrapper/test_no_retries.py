"""``RetryPolicy(max_attempts=1)``, the documented "no retries", sends every request exactly once.

Through ``connect()``, sync and async, for every kind of failure the default policy would
retry; a policy of two attempts beside it shows the same failures are retryable at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from iqp_wrapper import IQPClient, IQPError, RetryPolicy, connect
from tests.wrapper.fakes import SyncAndAsync

from .fakes import API_KEY, CRN, iam_body

Failure = Callable[[httpx.Request], httpx.Response]


def status(code: int, **headers: str) -> Failure:
    return lambda request: httpx.Response(code, headers=headers, json={"errors": [], "trace": "t"})


def raising(error: type[httpx.TransportError]) -> Failure:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error("test failure", request=request)

    return fail


# (method, failure): each is retried by the default policy. Sent to /v1/sessions: a 429 to
# a job submission (POST /v1/jobs) is the submission pacer's, not the transport's.
RETRYABLE = {
    "GET 503": ("GET", status(503)),
    "GET 502": ("GET", status(502)),
    "GET 429": ("GET", status(429, **{"retry-after": "0"})),
    "POST 429": ("POST", status(429, **{"retry-after": "0"})),
    "POST connect refused": ("POST", raising(httpx.ConnectError)),
    "GET read timeout": ("GET", raising(httpx.ReadTimeout)),
    "DELETE connection reset": ("DELETE", raising(httpx.RemoteProtocolError)),
}


class API:
    """IAM answers; every API request meets ``failure``. Counts API attempts."""

    def __init__(self, failure: Failure) -> None:
        self.failure = failure
        self.attempts = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/identity/token":
            return httpx.Response(200, json=iam_body(1))
        self.attempts += 1
        return self.failure(request)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        return self(request)


def client(api: API, policy: RetryPolicy | bool) -> IQPClient:
    return connect(
        api_key=API_KEY,
        service_crn=CRN,
        retries=policy,
        transport=SyncAndAsync(httpx.MockTransport(api), httpx.MockTransport(api.handle_async)),
    )


def send_sync(c: IQPClient, method: str) -> int | str:
    try:
        return c.get_httpx_client().request(method, "/v1/sessions").status_code
    except (httpx.TransportError, IQPError) as exc:
        return type(exc).__name__


def send_async(c: IQPClient, method: str) -> int | str:
    async def go() -> int | str:
        try:
            return (await c.get_async_httpx_client().request(method, "/v1/sessions")).status_code
        except (httpx.TransportError, IQPError) as exc:
            return type(exc).__name__

    return asyncio.run(go())


NO_WAIT = {"backoff": 0.0, "max_backoff": 0.0}


@pytest.mark.parametrize("case", list(RETRYABLE))
@pytest.mark.parametrize("send", [send_sync, send_async], ids=["sync", "async"])
def test_one_attempt_means_no_retry(case: str, send: Callable[[IQPClient, str], int | str]) -> None:
    method, failure = RETRYABLE[case]
    once, twice = API(failure), API(failure)
    outcome = send(client(once, RetryPolicy(max_attempts=1)), method)
    assert once.attempts == 1
    # The same failure under a two-attempt policy is retried once, and ends the same way.
    assert send(client(twice, RetryPolicy(max_attempts=2, **NO_WAIT)), method) == outcome
    assert twice.attempts == 2


@pytest.mark.parametrize("case", ["GET 503", "POST connect refused"])
def test_retries_false_is_the_same_as_one_attempt(case: str) -> None:
    method, failure = RETRYABLE[case]
    api = API(failure)
    send_sync(client(api, False), method)
    assert api.attempts == 1


def test_one_attempt_is_a_valid_policy_and_zero_is_not() -> None:
    assert RetryPolicy(max_attempts=1).max_attempts == 1
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
