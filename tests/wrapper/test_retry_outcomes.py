"""What RetryTransport raises when it stops, and how a call's deadline bounds its attempts.

Each failure becomes a typed error saying what happened and whether the request may have
reached the server; a passed deadline stops before sending; each attempt's timeouts shrink
to the time left. Sync and async alike.
"""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from iqp_wrapper import RetryPolicy, RetryTransport
from iqp_wrapper.errors import APIConnectionError, APITimeoutError, UnexpectedResponseError
from iqp_wrapper.transport._deadline import DEADLINE

URL = "https://user:pw-not-real@api.example.test/api/v1/jobs?signature=sig-not-real"
SAFE_URL = "https://api.example.test/api/v1/jobs"
Handler = Callable[[httpx.Request], httpx.Response]


class Server:
    """Answers each attempt with the next of ``outcomes`` (the last repeats): a status, an
    exception to raise, or a callable; records what each attempt was sent with."""

    def __init__(self, *outcomes: Any) -> None:
        self.outcomes = outcomes
        self.seen: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(dict(request.extensions))
        outcome = self.outcomes[min(len(self.seen), len(self.outcomes)) - 1]
        if isinstance(outcome, BaseException):
            raise outcome
        if callable(outcome):
            result: httpx.Response = outcome(request)
            return result
        return httpx.Response(outcome, json={"n": len(self.seen)})

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        return self(request)


def make(server: Server, policy: RetryPolicy | None = None, **kwargs: Any) -> RetryTransport:
    kwargs.setdefault("sleep", lambda seconds: None)
    kwargs.setdefault("rng", lambda: 0.0)

    async def no_wait(seconds: float) -> None:
        kwargs["sleep"](seconds)

    kwargs.setdefault("async_sleep", no_wait)
    return RetryTransport(
        httpx.MockTransport(server),
        httpx.MockTransport(server.handle_async),
        policy=policy or RetryPolicy(backoff=0.01, max_backoff=0.01),
        **kwargs,
    )


def request(
    method: str = "GET", *, deadline_in: float | None = None, timeout: float | None = None
) -> httpx.Request:
    extensions: dict[str, Any] = {}
    if timeout is not None:
        extensions["timeout"] = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
    if deadline_in is not None:
        extensions[DEADLINE] = time.monotonic() + deadline_in
    return httpx.Request(method, URL, content=b"{}" if method == "POST" else None, extensions=extensions)


def send_sync(transport: RetryTransport, req: httpx.Request) -> httpx.Response:
    return transport.handle_request(req)


def send_async(transport: RetryTransport, req: httpx.Request) -> httpx.Response:
    return asyncio.run(transport.handle_async_request(req))


SENDS = pytest.mark.parametrize("send", [send_sync, send_async], ids=["sync", "async"])
ONCE = RetryPolicy(max_attempts=1)


# -- transport failures become typed errors ---------------------------------------------------


@SENDS
@pytest.mark.parametrize(
    ("method", "error", "kind", "headline", "sent"),
    [
        ("GET", httpx.ConnectError("refused"), APIConnectionError, "the connection failed", False),
        (
            "POST",
            httpx.ReadTimeout("slow"),
            APITimeoutError,
            "no complete answer within the call's timeout",
            True,
        ),
        (
            "GET",
            httpx.ConnectTimeout("slow"),
            APITimeoutError,
            "no complete answer within the call's timeout",
            False,
        ),
        ("DELETE", httpx.ReadError("reset"), APIConnectionError, "the connection failed", True),
        (
            "POST",
            httpx.PoolTimeout("full"),
            APITimeoutError,
            "no complete answer within the call's timeout",
            False,
        ),
    ],
)
def test_a_transport_failure_is_typed_and_says_whether_it_was_sent(
    send: Any,
    method: str,
    error: httpx.TransportError,
    kind: type[APIConnectionError],
    headline: str,
    sent: bool,
) -> None:
    with pytest.raises(APIConnectionError) as caught:
        send(make(Server(error), ONCE), request(method))
    raised = caught.value
    assert type(raised) is kind
    name = type(error).__name__
    outcome = "the request may have reached the server" if sent else "the request was not sent"
    assert str(raised) == f"{method} {SAFE_URL}: {headline} ({name}: {error}); {outcome}."
    assert (raised.method, raised.url, raised.may_have_reached_server) == (method, SAFE_URL, sent)
    assert raised.detail == f"{name}: {error}"
    assert raised.__cause__ is None and raised.__suppress_context__  # no request (and key) inside


@SENDS
def test_a_failure_without_text_is_named_by_its_kind(send: Any) -> None:
    with pytest.raises(APIConnectionError) as caught:
        send(make(Server(httpx.RemoteProtocolError("  ")), ONCE), request())
    assert caught.value.detail == "RemoteProtocolError"
    assert "(RemoteProtocolError);" in str(caught.value)


@SENDS
def test_a_body_that_does_not_decode_is_an_unexpected_response(send: Any) -> None:
    def garbled(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-encoding": "gzip"}, content=b"not gzip at all")

    with pytest.raises(UnexpectedResponseError) as caught:
        send(make(Server(garbled)), request())
    assert str(caught.value).startswith(
        f"GET {SAFE_URL}: the answer's body could not be decoded (DecodingError: "
    )
    assert caught.value.__cause__ is None


@SENDS
def test_a_gzip_body_is_decoded(send: Any) -> None:
    def zipped(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-encoding": "gzip"}, content=gzip.compress(b'{"n": 1}'))

    assert send(make(Server(zipped)), request()).json() == {"n": 1}


@SENDS
def test_the_body_cap_is_the_one_given(send: Any) -> None:
    big = Server(lambda request: httpx.Response(200, content=b"x" * 100))
    with pytest.raises(Exception, match="passed 10 bytes"):
        send(make(big, max_response_bytes=10), request())
    assert send(make(big, max_response_bytes=100), request()).content == b"x" * 100


@SENDS
def test_resend_posts_makes_a_post_retryable(send: Any) -> None:
    server = Server(503, 200)
    assert send(make(server, resend_posts=True), request("POST")).status_code == 200
    assert len(server.seen) == 2
    plain = Server(503, 200)
    assert send(make(plain), request("POST")).status_code == 503
    assert len(plain.seen) == 1


@pytest.mark.parametrize(
    ("send", "kind"),
    [(send_sync, "a sync transport"), (send_async, "an async transport")],
    ids=["sync", "async"],
)
def test_a_transport_missing_for_that_kind_of_client_says_so(send: Any, kind: str) -> None:
    server = Server(200)
    only_other = (
        RetryTransport(None, httpx.MockTransport(server.handle_async))
        if kind.startswith("a sync")
        else RetryTransport(httpx.MockTransport(server), None)
    )
    with pytest.raises(RuntimeError) as caught:
        send(only_other, request())
    assert str(caught.value) == f"this RetryTransport was built without {kind}"


# -- the call's deadline --------------------------------------------------------------------


@SENDS
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_passed_deadline_sends_nothing(send: Any, method: str) -> None:
    server = Server(200)
    with pytest.raises(APITimeoutError) as caught:
        send(make(server), request(method, deadline_in=-0.001))
    assert server.seen == []
    error = caught.value
    assert str(error) == f"{method} {SAFE_URL}: the call's timeout passed before the request could be sent."
    assert (error.method, error.url, error.may_have_reached_server) == (method, SAFE_URL, False)
    assert error.detail == "the call's deadline passed"


@SENDS
@pytest.mark.parametrize(
    ("method", "first", "reached", "when"),
    [
        ("GET", 503, True, "a retry could be sent"),
        ("POST", httpx.ConnectError("refused"), False, "the request could be sent"),
    ],
)
def test_a_deadline_passed_during_the_wait_stops_the_retry(
    send: Any, method: str, first: Any, reached: bool, when: str
) -> None:
    server = Server(first, 200)
    # The wait asked for is short, but the machine takes longer than the whole deadline.
    overslept = make(server, sleep=lambda seconds: time.sleep(0.3))
    with pytest.raises(APITimeoutError) as caught:
        send(overslept, request(method, deadline_in=0.2))
    assert len(server.seen) == 1
    assert str(caught.value) == f"{method} {SAFE_URL}: the call's timeout passed before {when}."
    assert caught.value.may_have_reached_server is reached


@SENDS
def test_no_wait_is_started_that_would_outlast_the_deadline(send: Any) -> None:
    server = Server(503, 200)
    slow_backoff = RetryPolicy(backoff=5.0, max_backoff=5.0, jitter=0.0)
    assert send(make(server, slow_backoff), request(deadline_in=2.0)).status_code == 503
    assert len(server.seen) == 1
    server = Server(503, 200)
    assert send(make(server, slow_backoff), request(deadline_in=30.0)).status_code == 200


@SENDS
def test_each_attempt_gets_only_the_time_left(send: Any) -> None:
    server = Server(200)
    send(make(server), request(timeout=60.0, deadline_in=5.0))
    timeouts = server.seen[0]["timeout"]
    assert set(timeouts) == {"connect", "read", "write", "pool"}
    assert all(0.0 < value <= 5.0 for value in timeouts.values())


@SENDS
def test_a_timeout_without_a_deadline_becomes_one(send: Any) -> None:
    server = Server(200)
    before = time.monotonic()
    send(make(server), request(timeout=3.0))
    deadline = server.seen[0][DEADLINE]
    assert before + 3.0 <= deadline <= time.monotonic() + 3.0
    unbounded = Server(200)
    send(make(unbounded), request())
    assert DEADLINE not in unbounded.seen[0]


# -- budgets at their edges -------------------------------------------------------------------


@SENDS
def test_a_wait_that_exactly_fills_max_elapsed_is_taken(send: Any) -> None:
    server = Server(503, 200)
    edge = RetryPolicy(max_elapsed=1.0, backoff=1.0, max_backoff=1.0, jitter=0.0)
    assert send(make(server, edge, clock=lambda: 100.0), request()).status_code == 200
    assert len(server.seen) == 2


@SENDS
def test_retry_after_equal_to_the_maximum_is_honoured(send: Any) -> None:
    waits: list[float] = []
    server = Server(lambda r: httpx.Response(429, headers={"Retry-After": "5"}), 200)
    policy = RetryPolicy(max_retry_after=5.0)
    assert send(make(server, policy, sleep=waits.append), request()).status_code == 200
    assert waits == [5.0]


@SENDS
def test_a_cyclic_cause_chain_is_still_retried(send: Any) -> None:
    error = httpx.ConnectError("refused")
    first, second = ValueError("a"), ValueError("b")
    error.__cause__, first.__cause__, second.__cause__ = first, second, first
    server = Server(error, 200)
    assert send(make(server), request()).status_code == 200
    assert len(server.seen) == 2


@SENDS
def test_a_failure_whose_retry_wait_would_outlast_the_deadline_is_raised_at_once(send: Any) -> None:
    waits: list[float] = []
    server = Server(httpx.ConnectError("refused"), 200)
    slow_backoff = RetryPolicy(backoff=5.0, max_backoff=5.0, jitter=0.0)
    with pytest.raises(APIConnectionError) as caught:
        send(make(server, slow_backoff, sleep=waits.append), request(deadline_in=2.0))
    assert type(caught.value) is APIConnectionError  # the failure itself, not a timeout after a wait
    assert waits == [] and len(server.seen) == 1
