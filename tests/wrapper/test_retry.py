"""RetryTransport: what is resent, after how long, and what never is."""

from __future__ import annotations

import asyncio
import email.utils
import ssl
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from iqp_wrapper import APIConnectionError, APITimeoutError, ConfigError, RetryPolicy, RetryTransport
from iqp_wrapper.transport.retry import NO_RETRIES

from .fakes import API_URL, FakeClock

WALL_NOW = 1_800_000_000.0  # the fake wall clock, for Retry-After dates
POLICY = RetryPolicy(max_attempts=4, max_elapsed=60.0, backoff=0.5, max_backoff=8.0, jitter=0.25)
JITTER_DRAW = 0.5  # the fake random(): each backoff is shortened by 0.25 * 0.5 = 12.5%

Outcome = int | tuple[int, dict[str, str]] | Exception


class Server:
    """Plays back outcomes (a status, a (status, headers) pair, or an exception to raise)
    and records every attempt's method, path and body."""

    def __init__(self, *outcomes: Outcome) -> None:
        self._outcomes: Iterator[Outcome] = iter(outcomes)
        self.attempts: list[tuple[str, str, bytes]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.attempts.append((request.method, request.url.path, request.read()))
        outcome = next(self._outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        status, headers = outcome if isinstance(outcome, tuple) else (outcome, {})
        return httpx.Response(status, headers=headers, json={"status": status})


class Harness:
    """A RetryTransport over a scripted server, with a fake clock its sleeps advance."""

    def __init__(self, server: Server, policy: RetryPolicy = POLICY) -> None:
        self.clock = FakeClock()
        self.sleeps: list[float] = []

        def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)
            self.clock.advance(seconds)

        async def async_sleep(seconds: float) -> None:
            sleep(seconds)

        mock = httpx.MockTransport(server)
        self.transport = RetryTransport(
            mock,
            mock,
            policy=policy,
            sleep=sleep,
            async_sleep=async_sleep,
            clock=self.clock,
            wall_clock=lambda: WALL_NOW,
            rng=lambda: JITTER_DRAW,
        )

    # No timeout: these tests are about the retry decisions, on a fake clock the call's
    # (real-time) deadline knows nothing of; tests/reliability checks the deadline.
    def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        with httpx.Client(transport=self.transport, base_url=API_URL, timeout=None) as client:
            return client.request(method, path, **kwargs)

    async def send_async(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async with httpx.AsyncClient(transport=self.transport, base_url=API_URL, timeout=None) as client:
            return await client.request(method, path, **kwargs)


def backoffs(n: int) -> list[float]:
    return [min(8.0, 0.5 * 2**i) * (1 - 0.25 * JITTER_DRAW) for i in range(n)]


@pytest.fixture(params=["sync", "async"])
def send(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Sends through the sync or the async path; every test here runs both ways."""

    def sync_send(harness: Harness, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if request.param == "sync":
            return harness.send(method, path, **kwargs)
        return asyncio.run(harness.send_async(method, path, **kwargs))

    return sync_send


@pytest.mark.parametrize("status", [502, 503, 504])
def test_idempotent_request_is_retried_on_gateway_errors(send: Any, status: int) -> None:
    server = Server(status, status, 200)
    harness = Harness(server)
    assert send(harness, "GET", "/v1/jobs").status_code == 200
    assert len(server.attempts) == 3
    assert harness.sleeps == backoffs(2)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "HEAD"])
def test_all_idempotent_methods_are_retried(send: Any, method: str) -> None:
    server = Server(503, 200)
    assert send(Harness(server), method, "/v1/jobs/abc").status_code == 200
    assert len(server.attempts) == 2


def test_attempts_are_bounded(send: Any) -> None:
    server = Server(*[503] * 10)
    harness = Harness(server)
    assert send(harness, "GET", "/v1/jobs").status_code == 503
    assert len(server.attempts) == POLICY.max_attempts
    assert harness.sleeps == backoffs(POLICY.max_attempts - 1)


def test_total_time_is_bounded(send: Any) -> None:
    policy = RetryPolicy(max_attempts=100, max_elapsed=10.0, backoff=1.0, max_backoff=100.0, jitter=0.0)
    server = Server(*[503] * 100)
    harness = Harness(server, policy)
    assert send(harness, "GET", "/v1/jobs").status_code == 503
    # Waits of 1, 2, 4 (7 s in all); the next, 8 s, would end past 10 s, so none is started.
    assert harness.sleeps == [1.0, 2.0, 4.0]
    assert len(server.attempts) == 4


def test_backoff_is_capped(send: Any) -> None:
    policy = RetryPolicy(max_attempts=7, max_elapsed=1000.0, backoff=1.0, max_backoff=5.0, jitter=0.0)
    harness = Harness(Server(*[503] * 6, 200), policy)
    send(harness, "GET", "/v1/jobs")
    assert harness.sleeps == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


def test_jitter_shortens_waits_by_the_random_draw() -> None:
    policy = RetryPolicy(backoff=2.0, jitter=0.5)
    assert policy.backoff_for(1, 0.0) == 2.0
    assert policy.backoff_for(1, 0.999) == pytest.approx(1.001)
    assert policy.backoff_for(3, 0.5) == 6.0


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_429_waits_for_retry_after_for_any_method(send: Any, method: str) -> None:
    server = Server((429, {"Retry-After": "7"}), 200)
    harness = Harness(server)
    assert send(harness, method, "/v1/sessions", json={"program_id": "sampler"}).status_code == 200
    assert harness.sleeps == [7.0]
    (_, _, first), (_, _, second) = server.attempts
    assert first == second == b'{"program_id":"sampler"}'


def test_429_retry_after_as_an_http_date(send: Any) -> None:
    when = email.utils.formatdate(WALL_NOW + 12, usegmt=True)
    harness = Harness(Server((429, {"Retry-After": when}), 200))
    send(harness, "GET", "/v1/jobs")
    assert harness.sleeps == [12.0]


def test_429_without_retry_after_backs_off(send: Any) -> None:
    harness = Harness(Server(429, 429, 200))
    assert send(harness, "POST", "/v1/sessions").status_code == 200
    assert harness.sleeps == backoffs(2)


@pytest.mark.parametrize("path", ["/v1/jobs", "/v1/jobs/"])
def test_429_to_a_job_submission_is_left_to_the_pacer(send: Any, path: str) -> None:
    # One owner: primitives/pacing.py bounds, reports and paces these waits.
    server = Server((429, {"Retry-After": "1"}), 200)
    harness = Harness(server)
    assert send(harness, "POST", path).status_code == 429
    assert harness.sleeps == []
    assert len(server.attempts) == 1


def test_429_asking_for_too_long_is_returned_to_the_caller(send: Any) -> None:
    server = Server((429, {"Retry-After": "3600"}))
    harness = Harness(server)
    response = send(harness, "POST", "/v1/jobs")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3600"
    assert harness.sleeps == []


def test_429_retry_after_beyond_the_time_budget_is_not_waited(send: Any) -> None:
    policy = RetryPolicy(max_elapsed=5.0)
    harness = Harness(Server((429, {"Retry-After": "6"})), policy)
    assert send(harness, "GET", "/v1/jobs").status_code == 429
    assert harness.sleeps == []


# -- never submit a job twice ---------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_job_submission_is_never_resent_after_a_server_error(send: Any, status: int) -> None:
    server = Server(status, 200)
    harness = Harness(server)
    assert send(harness, "POST", "/v1/jobs", json={"program_id": "sampler"}).status_code == status
    assert len(server.attempts) == 1
    assert harness.sleeps == []


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout("read timed out"),
        httpx.WriteTimeout("write timed out"),
        httpx.ReadError("connection reset"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
)
def test_job_submission_is_never_resent_after_it_may_have_arrived(send: Any, error: Exception) -> None:
    server = Server(error, 200)
    expected = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
    with pytest.raises(expected) as caught:
        send(Harness(server), "POST", "/v1/jobs", json={"program_id": "sampler"})
    assert len(server.attempts) == 1
    assert caught.value.may_have_reached_server is True
    assert caught.value.method == "POST"
    assert caught.value.url == f"{API_URL}/v1/jobs"
    assert type(error).__name__ in str(caught.value)


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.PoolTimeout("no connection free"),
    ],
)
def test_job_submission_is_resent_when_it_provably_never_left(send: Any, error: Exception) -> None:
    server = Server(error, 200)
    harness = Harness(server)
    assert send(harness, "POST", "/v1/jobs", json={"program_id": "sampler"}).status_code == 200
    assert len(server.attempts) == 2
    assert server.attempts[0][2] == server.attempts[1][2] == b'{"program_id":"sampler"}'


@pytest.mark.parametrize(
    "error",
    [httpx.ReadTimeout("read timed out"), httpx.ReadError("reset"), httpx.ConnectError("refused")],
)
def test_idempotent_request_is_retried_after_network_errors(send: Any, error: Exception) -> None:
    server = Server(error, 200)
    assert send(Harness(server), "GET", "/v1/jobs/abc").status_code == 200
    assert len(server.attempts) == 2


def test_errors_are_raised_once_attempts_run_out(send: Any) -> None:
    server = Server(*[httpx.ConnectError("refused")] * 4)
    with pytest.raises(APIConnectionError) as caught:
        send(Harness(server), "GET", "/v1/jobs")
    assert len(server.attempts) == 4
    assert caught.value.may_have_reached_server is False
    assert not isinstance(caught.value, APITimeoutError)


def test_a_certificate_failure_is_not_retried(send: Any) -> None:
    error = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    error.__cause__ = ssl.SSLCertVerificationError("certificate verify failed")
    server = Server(error, 200)
    with pytest.raises(APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        send(Harness(server), "GET", "/v1/jobs")
    assert len(server.attempts) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 500])
def test_other_statuses_are_not_retried(send: Any, status: int) -> None:
    server = Server(status, 200)
    assert send(Harness(server), "GET", "/v1/jobs").status_code == status
    assert len(server.attempts) == 1


def test_patch_is_treated_like_post(send: Any) -> None:
    server = Server(503, 200)
    assert send(Harness(server), "PATCH", "/v1/sessions/abc").status_code == 503
    assert len(server.attempts) == 1


def test_retries_can_be_switched_off(send: Any) -> None:
    server = Server(503, 200)
    harness = Harness(server, NO_RETRIES)
    assert send(harness, "GET", "/v1/jobs").status_code == 503
    assert len(server.attempts) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"max_elapsed": -1.0},
        {"backoff": -0.1},
        {"jitter": 1.5},
        {"max_retry_after": -1.0},
    ],
)
def test_bad_policies_are_config_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        RetryPolicy(**kwargs)


def test_retries_are_logged_without_the_query(caplog: pytest.LogCaptureFixture) -> None:
    harness = Harness(Server(503, 200))
    with caplog.at_level("INFO", logger="iqp_wrapper.transport.retry"):
        harness.send("GET", "/v1/jobs?signature=test-signature-not-real")
    assert "GET https://quantum.cloud.ibm.com/api/v1/jobs: HTTP 503; retry 1 of 3" in caplog.text
    assert "test-signature-not-real" not in caplog.text


def test_transport_closes_both_inner_transports() -> None:
    closed: list[str] = []

    class Inner(httpx.MockTransport):
        def close(self) -> None:
            closed.append("sync")

        async def aclose(self) -> None:
            closed.append("async")

    transport = RetryTransport(Inner(Server()), Inner(Server()))
    transport.close()
    asyncio.run(transport.aclose())
    assert closed == ["sync", "async"]
