"""Retries, all decided here: an httpx transport that resends what is safe to resend.

- 429: any method, after the Retry-After the API asked for (a rejected request did not run),
  except a job submission (``POST /v1/jobs``): the submission pacer owns those.
- 502, 503, 504 and errors after the request may have left: idempotent methods only.
- Errors before the request left (connection refused, connect timeout, no pooled
  connection free): any method.

So a POST, ``POST /v1/jobs`` included, is resent only when it provably never ran: a job is
never submitted twice. Waits back off exponentially with jitter and are bounded in number
and in total time.

The body is read here too, so that a connection lost while it arrives is retried like one
lost before the headers (idempotent methods), and so that its decompressed size is capped.
Every attempt, and every wait between them, fits within the call's deadline (``timeout``
bounds the whole call: see ``_deadline``). When no retry is left, an httpx transport error
becomes APIConnectionError or APITimeoutError, saying whether the request may have reached
the server.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import random
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from iqp_wrapper._secret import install_log_scrubbing
from iqp_wrapper.errors import (
    APIConnectionError,
    APITimeoutError,
    ConfigError,
    ConfigSource,
    IQPError,
    UnexpectedResponseError,
    parse_retry_after,
)
from iqp_wrapper.transport import _bodies, _deadline
from iqp_wrapper.transport.network import TransportPair

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
RETRYABLE_STATUSES = frozenset({502, 503, 504})

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to retry.

    Attributes:
        max_attempts: attempts in all, the first included (1 disables retries).
        max_elapsed: seconds from the first attempt after which no retry is started, and
            beyond which no wait may reach.
        backoff: the first backoff wait, in seconds; it doubles with each retry.
        max_backoff: the longest backoff wait.
        jitter: the fraction of each backoff wait that is randomised away, in [0, 1], so
            that many clients do not retry in lockstep.
        max_retry_after: the longest Retry-After honoured; a 429 asking for more is
            returned to the caller (as RateLimitError with ``retry_after``) instead.
    """

    max_attempts: int = 4
    max_elapsed: float = 60.0
    backoff: float = 0.5
    max_backoff: float = 8.0
    jitter: float = 0.25
    max_retry_after: float = 60.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigError(
                "RetryPolicy.max_attempts should be at least 1 (1: no retries).",
                setting="retries",
                source=ConfigSource.ARGUMENT,
                problem="out_of_range",
            )
        if min(self.max_elapsed, self.backoff, self.max_backoff, self.max_retry_after) < 0:
            raise ConfigError(
                "RetryPolicy times should not be negative.",
                setting="retries",
                source=ConfigSource.ARGUMENT,
                problem="out_of_range",
            )
        if not 0.0 <= self.jitter <= 1.0:
            raise ConfigError(
                "RetryPolicy.jitter should be between 0 and 1.",
                setting="retries",
                source=ConfigSource.ARGUMENT,
                problem="out_of_range",
            )

    def backoff_for(self, retry: int, rnd: float) -> float:
        """The wait before retry number ``retry`` (1 for the first), ``rnd`` in [0, 1)."""
        base = min(self.max_backoff, self.backoff * 2.0 ** (retry - 1))
        return base * (1.0 - self.jitter * rnd)


NO_RETRIES = RetryPolicy(max_attempts=1)


class RetryTransport(TransportPair):
    """Wraps a sync and an async transport, so one object serves both httpx clients.

    ``sleep``, ``async_sleep``, ``clock``, ``wall_clock`` and ``rng`` are injectable so
    tests can run retries without waiting.

    Args:
        transport, async_transport: what sends each attempt (either may be None when only
            the other kind of client uses this transport).
        policy: how hard to retry.
        max_response_bytes: the cap on a body's decompressed size (None: no cap).
        resend_posts: treat every method as idempotent (the IAM token exchange, which
            creates nothing, is safe to resend).
        retry_statuses: the statuses retried for idempotent requests (429 always is).
    """

    def __init__(
        self,
        transport: httpx.BaseTransport | None,
        async_transport: httpx.AsyncBaseTransport | None,
        *,
        policy: RetryPolicy = RetryPolicy(),
        max_response_bytes: int | None = _bodies.DEFAULT_MAX_RESPONSE_BYTES,
        resend_posts: bool = False,
        retry_statuses: frozenset[int] = RETRYABLE_STATUSES,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(transport, async_transport)
        self.policy = policy
        self._max_body = max_response_bytes
        self._resend_posts = resend_posts
        self._retry_statuses = retry_statuses
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._random = rng
        install_log_scrubbing()  # httpcore logs response headers, which a server may fill

    def __repr__(self) -> str:
        return f"RetryTransport(policy={self.policy!r})"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        inner = self._sync_inner()
        request.read()  # buffered, so that a retry sends the same body
        deadline = _deadline.start(request)
        started = self._clock()
        attempt = 1
        while True:
            bound = self._begin_attempt(request, deadline, attempt)
            delay: float | None
            try:
                response = _bodies.read(inner.handle_request(request), request, self._max_body)
            except httpx.TransportError as exc:
                delay = self._retry_or_raise(request, exc, attempt, started, deadline)
            except httpx.DecodingError as exc:
                raise _undecodable(exc, request) from None
            else:
                delay = self._after_response(request, response, attempt, started, deadline)
                if delay is None:
                    return response
            finally:
                _deadline.leave(bound)
            self._sleep(delay)
            attempt += 1

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        inner = self._async_inner()
        await request.aread()
        deadline = _deadline.start(request)
        started = self._clock()
        attempt = 1
        while True:
            bound = self._begin_attempt(request, deadline, attempt)
            delay: float | None
            try:
                raw = await inner.handle_async_request(request)
                response = await _bodies.aread(raw, request, self._max_body)
            except httpx.TransportError as exc:
                delay = self._retry_or_raise(request, exc, attempt, started, deadline)
            except httpx.DecodingError as exc:
                raise _undecodable(exc, request) from None
            else:
                delay = self._after_response(request, response, attempt, started, deadline)
                if delay is None:
                    return response
            finally:
                _deadline.leave(bound)
            await self._async_sleep(delay)
            attempt += 1

    # -- the decisions ------------------------------------------------------------------

    def _begin_attempt(
        self, request: httpx.Request, deadline: float | None, attempt: int
    ) -> contextvars.Token[float | None]:
        """Refuse an attempt the deadline leaves no time for, fit its timeouts to the time
        left, and bind its sockets to the deadline (until ``_deadline.leave``)."""
        # A POST is retried only after attempts that provably did not run; anything else
        # retried may have reached the server on an earlier attempt.
        _out_of_time(request, deadline, attempt > 1 and self._idempotent(request))
        _deadline.clamp_timeouts(request, deadline)
        return _deadline.enter(deadline)

    def _retry_or_raise(
        self,
        request: httpx.Request,
        exc: httpx.TransportError,
        attempt: int,
        started: float,
        deadline: float | None,
    ) -> float:
        """The wait before the next attempt after ``exc``, or the error to raise."""
        delay = self._after_error(request, exc, attempt, started, deadline)
        if delay is None:
            raise connection_error(exc, request) from None
        return delay

    def _idempotent(self, request: httpx.Request) -> bool:
        return self._resend_posts or request.method in IDEMPOTENT_METHODS

    def _after_response(
        self,
        request: httpx.Request,
        response: httpx.Response,
        attempt: int,
        started: float,
        deadline: float | None,
    ) -> float | None:
        status = response.status_code
        if status == 429 and _is_job_submission(request):
            # The pacer owns these (primitives/pacing.py): it bounds the wait, tells the
            # caller's progress and paces the submissions that follow.
            return None
        if status == 429:
            asked = parse_retry_after(response.headers.get("retry-after"), wall_now=self._wall_clock())
            if asked is not None and asked > self.policy.max_retry_after:
                return None
            delay = asked if asked is not None else self._backoff(attempt)
        elif status in self._retry_statuses and self._idempotent(request):
            delay = self._backoff(attempt)
        else:
            return None
        return self._within_budget(request, f"HTTP {status}", delay, attempt, started, deadline)

    def _after_error(
        self,
        request: httpx.Request,
        exc: httpx.TransportError,
        attempt: int,
        started: float,
        deadline: float | None,
    ) -> float | None:
        if _caused_by(exc, ssl.SSLCertVerificationError):
            return None  # a certificate that fails verification fails the same way next time
        if not _never_sent(exc) and (not isinstance(exc, _MAYBE_SENT) or not self._idempotent(request)):
            # A POST that may have reached the server is not resent: it may have run.
            return None
        delay = self._backoff(attempt)
        return self._within_budget(request, type(exc).__name__, delay, attempt, started, deadline)

    def _backoff(self, attempt: int) -> float:
        return self.policy.backoff_for(attempt, self._random())

    def _within_budget(
        self,
        request: httpx.Request,
        why: str,
        delay: float,
        attempt: int,
        started: float,
        deadline: float | None,
    ) -> float | None:
        policy = self.policy
        if attempt >= policy.max_attempts:
            return None
        if self._clock() - started + delay > policy.max_elapsed:
            return None
        left = _deadline.remaining(deadline)
        if left is not None and delay >= left:
            return None  # the wait alone would outlast the call's deadline
        # The query is left out of the log: on a presigned storage URL it is a signature.
        _log.info(
            "%s %s: %s; retry %d of %d in %.2fs",
            request.method,
            request.url.copy_with(query=None),
            why,
            attempt,
            policy.max_attempts - 1,
            delay,
        )
        return delay


# Failures after which the request may or may not have reached the server.
_MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _is_job_submission(request: httpx.Request) -> bool:
    return request.method == "POST" and request.url.path.rstrip("/").endswith("/v1/jobs")


def _never_sent(exc: httpx.TransportError) -> bool:
    """True if ``exc`` proves the request never left: no connection was ever made."""
    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    for _ in range(10):  # a cause chain is short; the bound guards against cycles
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    """The typed error for a transport failure of ``request`` that will not be retried."""
    sent = not _never_sent(exc)
    kind = type(exc).__name__
    # Async httpx errors often have no text at all; the kind always says something.
    detail = str(exc).strip()
    what = f"{kind}: {detail}" if detail else kind
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    if cls is APITimeoutError:
        headline = "no complete answer within the call's timeout"
    else:
        headline = "the connection failed"
    outcome = "the request may have reached the server" if sent else "the request was not sent"
    url = _safe_url(request)
    return cls(
        f"{request.method} {url}: {headline} ({what}); {outcome}.",
        method=request.method,
        url=url,
        may_have_reached_server=sent,
        detail=what,
    )


def _out_of_time(request: httpx.Request, deadline: float | None, reached: bool) -> None:
    left = _deadline.remaining(deadline)
    if left is not None and left <= 0:
        url = _safe_url(request)
        raise APITimeoutError(
            f"{request.method} {url}: the call's timeout passed before "
            + ("a retry could be sent." if reached else "the request could be sent."),
            method=request.method,
            url=url,
            may_have_reached_server=reached,
            detail="the call's deadline passed",
        )


def _undecodable(exc: httpx.DecodingError, request: httpx.Request) -> IQPError:
    return UnexpectedResponseError(
        f"{request.method} {_safe_url(request)}: the answer's body could not be decoded "
        f"({type(exc).__name__}: {exc}).",
    )


def _safe_url(request: httpx.Request) -> str:
    """The URL without query or user info: a presigned URL's query is its signature."""
    return str(request.url.copy_with(query=None, username=None, password=None))
