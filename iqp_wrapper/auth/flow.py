"""IAMAuth: the httpx auth flow that puts a current IAM bearer token on API requests.

One object serves sync and async clients, any number of threads and tasks at once.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass, replace
from typing import TypedDict

import httpx

from iqp_wrapper._secret import Secret
from iqp_wrapper.auth import iam
from iqp_wrapper.auth._singleflight import Abandoned, Flight
from iqp_wrapper.errors import (
    AuthenticationError,
    ConfigError,
    ConfigSource,
    IAMError,
    IAMTimeoutError,
    api_error,
)
from iqp_wrapper.transport import _deadline
from iqp_wrapper.transport.headers import API_ONLY_HEADERS, AUTHORIZATION
from iqp_wrapper.transport.network import Network
from iqp_wrapper.transport.retry import RetryPolicy

DEFAULT_REFRESH_FRACTION = 0.8
DEFAULT_IAM_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""The IAM token exchange's timeout when none is given (the one definition of it)."""

_log = logging.getLogger(__name__)
_DEFAULT_PORTS = {"https": 443, "http": 80}
# After a failed refresh while the old token still works, try again no sooner than this.
_MIN_REFRESH_RETRY = 1.0
# IAM writes iat and exp in whole seconds, flooring the issue time: a token may expire up
# to this much before ``expires_in`` counted from when we sent the request says.
_ISSUE_TIME_ROUNDING = 1.0
# Resends after a 401: one always, more only for tokens that expired in transit (a 401
# that says nothing against the key), within the call's deadline. Seven more: on a
# starved event loop with second-long tokens, three were not enough to get one through.
_MAX_401_RESENDS = 8
# A leader's exchange that failed with this little left of its call's time was cut short
# by that call's deadline.
_MIN_DEADLINE_SLACK = 0.05


@dataclass(frozen=True)
class _Token:
    value: Secret
    serial: int  # identifies the token for invalidate-if-same, without comparing secrets
    refresh_at: float  # monotonic: from here on, one caller fetches a successor
    expires_at: float  # monotonic: from here on, the token is never sent
    young_until: float  # monotonic: before this, good for the resend after a 401
    # Set on a token kept in use because its refresh failed: if the API then refuses it,
    # the fault is IAM's, and the caller is told so rather than that the token was refused.
    refresh_failure: IAMError | None = None


class _ExchangeOptions(TypedDict):
    """What a leader passes to ``iam.exchange`` / ``iam.exchange_async`` besides the key."""

    iam_url: str
    network: Network
    timeout: httpx.Timeout
    policy: RetryPolicy
    deadline: float | None


@dataclass(frozen=True)
class _Lead:
    flight: Flight[_Token]
    fallback: _Token | None  # still valid: usable if the refresh fails


@dataclass(frozen=True)
class _Wait:
    flight: Flight[_Token]


class IAMAuth(httpx.Auth):
    """Exchanges an IBM Cloud API key for IAM tokens and authorises API requests.

    - Tokens are cached and refreshed once ``refresh_fraction`` of their lifetime has
      passed, measured on ``clock`` (monotonic) from when the exchange was sent. The
      lifetime counted is ``expires_in`` less one second, as IAM floors the issue time to
      the second. IAM's ``expiration`` timestamp is ignored, so a wrong local clock changes
      nothing. A token is never sent at or after its expiry.
    - The exchange is retried under ``retries`` (IAM's 5xx, 429 after its Retry-After,
      connection failures) and bounded by the calling request's deadline.
    - Single flight: whatever the number of threads and tasks needing a token, one IAM
      exchange is in progress; its outcome, after its retries, is handed to every waiter
      at once. Each waiter waits no longer than its own call's deadline; if the leader
      gives up because its own deadline passed, a waiter leads a new exchange.
    - After a 401 the token is dropped if it is still the one that failed (so concurrent
      401s cause one refresh), and the request is sent once more, body and all, with a
      token in the first half of its refresh period. A second 401 raises
      AuthenticationError, unless that token had itself expired (on our clock) by the time
      the answer came: then the request spent its token's life in transit, and is resent
      again (at most eight resends in all, within the call's deadline). If the API still
      refuses a token kept because IAM failed to replace it, IAM's error is raised.
    - Requests to any origin other than ``api_url``'s get no Authorization, Service-CRN or
      IBM-API-Version header, and the API key itself goes only to IAM.

    Args:
        api_key: the IBM Cloud API key.
        api_url: the API base URL; its scheme, host and port receive the token.
        iam_url: the IAM root URL.
        refresh_fraction: how far into a token's lifetime to replace it, in (0, 1].
        timeout: the IAM exchange's timeout (an auth flow's requests get none from the
            client): each attempt's, and its longest part bounds the exchange, retries
            included.
        network: TLS and proxy settings for reaching IAM.
        clock: a monotonic clock in seconds; tests inject a fake one.
        retries: the retry policy for the exchange (the API's, from ``connect``).
    """

    def __init__(
        self,
        api_key: str | Secret,
        *,
        api_url: str,
        iam_url: str = iam.DEFAULT_IAM_URL,
        refresh_fraction: float = DEFAULT_REFRESH_FRACTION,
        timeout: float | httpx.Timeout = DEFAULT_IAM_TIMEOUT,
        network: Network | None = None,
        clock: Callable[[], float] = time.monotonic,
        retries: RetryPolicy | None = None,
    ) -> None:
        if not 0.0 < refresh_fraction <= 1.0:
            raise ConfigError(
                f"refresh_fraction should be in (0, 1], for example 0.8; got {refresh_fraction!r}.",
                setting="refresh_fraction",
                source=ConfigSource.ARGUMENT,
                problem="out_of_range",
            )
        self._api_key = api_key if isinstance(api_key, Secret) else Secret(api_key)
        self._api_origin = _origin(httpx.URL(api_url))
        self._iam_url = iam_url.rstrip("/")
        self._fraction = refresh_fraction
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._network = network or Network()
        self._clock = clock
        self._retries = retries or RetryPolicy()
        # Guards the three fields below; held for a few instructions, never across I/O.
        self._lock = threading.Lock()
        self._token: _Token | None = None
        self._flight: Flight[_Token] | None = None
        self._serials = itertools.count(1)
        # How long a waiter waits for someone else's exchange before giving up: the most
        # the exchange itself may take, retries included.
        self._wait_limit = _deadline.budget(self._timeout)

    def __repr__(self) -> str:
        host = self._api_origin[1]
        return f"IAMAuth(api_key='***', api_host={host!r}, iam_url={self._iam_url!r})"

    # -- the flows ----------------------------------------------------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if not self._for_api(request):
            _strip(request)
            yield request
            return
        request.read()  # buffered, so the one resend after a 401 can repeat the body
        deadline = _deadline.start(request)  # the call's clock starts before the token wait
        token = self._token_sync(deadline)
        _attach(request, token)
        response = yield request
        resends = 0
        while response.status_code == 401:
            if not self._resend_after_401(token, resends):
                response.read()
                raise self._rejected(response, token)
            self._invalidate(token)
            token = self._token_sync(deadline, fresh=True)
            _attach(request, token)
            response = yield request
            resends += 1

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if not self._for_api(request):
            _strip(request)
            yield request
            return
        await request.aread()
        deadline = _deadline.start(request)
        token = await self._token_async(deadline)
        _attach(request, token)
        response = yield request
        resends = 0
        while response.status_code == 401:
            if not self._resend_after_401(token, resends):
                await response.aread()
                raise self._rejected(response, token)
            self._invalidate(token)
            token = await self._token_async(deadline, fresh=True)
            _attach(request, token)
            response = yield request
            resends += 1

    # -- getting a token ----------------------------------------------------------------

    def _token_sync(self, deadline: float | None = None, *, fresh: bool = False) -> _Token:
        while True:
            step = self._next_step(fresh)
            if isinstance(step, _Token):
                return step
            if isinstance(step, _Lead):
                return self._lead_sync(step, deadline)
            limit = self._wait_for(deadline)
            if not step.flight.wait(limit):
                raise self._gave_up(limit)
            if not step.flight.abandoned:
                return step.flight.result()

    async def _token_async(self, deadline: float | None = None, *, fresh: bool = False) -> _Token:
        while True:
            step = self._next_step(fresh)
            if isinstance(step, _Token):
                return step
            if isinstance(step, _Lead):
                return await self._lead_async(step, deadline)
            limit = self._wait_for(deadline)
            if not await step.flight.wait_async(limit):
                raise self._gave_up(limit)
            if not step.flight.abandoned:
                return step.flight.result()

    def _wait_for(self, deadline: float | None) -> float | None:
        """How long a waiter may wait: the exchange's budget, or less if its call ends first."""
        left = _deadline.remaining(deadline)
        if left is None:
            return self._wait_limit
        left = max(left, 0.0)
        return left if self._wait_limit is None else min(left, self._wait_limit)

    def _next_step(self, fresh: bool = False) -> _Token | _Lead | _Wait:
        """Use the cached token, lead a new exchange, or wait for the one in progress.

        ``fresh`` (the resend after a 401, the last try): only a token in the first half of
        its refresh period is used; an older one is replaced first, even while it is still
        valid. A request can take a while to reach the server (a busy event loop, a loaded
        machine), and an older token may meet it expired.
        """
        with self._lock:
            now = self._clock()
            token = self._token
            if token is not None and now < (token.young_until if fresh else token.refresh_at):
                return token
            valid = token if token is not None and now < token.expires_at else None
            if self._flight is None:
                self._flight = Flight()
                return _Lead(self._flight, valid)
            # Someone is already refreshing: keep using a still-valid token meanwhile.
            return valid if valid is not None and not fresh else _Wait(self._flight)

    def _lead_sync(self, lead: _Lead, deadline: float | None = None) -> _Token:
        sent_at = self._clock()
        try:
            issued = iam.exchange(self._api_key, **self._exchange_options(deadline))
        except BaseException as exc:
            return self._lead_raised(lead, exc, deadline)
        return self._lead_succeeded(lead, issued, sent_at)

    async def _lead_async(self, lead: _Lead, deadline: float | None = None) -> _Token:
        sent_at = self._clock()
        try:
            issued = await iam.async_exchange(self._api_key, **self._exchange_options(deadline))
        except BaseException as exc:
            return self._lead_raised(lead, exc, deadline)
        return self._lead_succeeded(lead, issued, sent_at)

    def _exchange_options(self, deadline: float | None) -> _ExchangeOptions:
        return {
            "iam_url": self._iam_url,
            "network": self._network,
            "timeout": self._timeout,
            "policy": self._retries,
            "deadline": deadline,
        }

    def _lead_raised(self, lead: _Lead, exc: BaseException, deadline: float | None) -> _Token:
        """The leader's exchange raised ``exc``: an IAM answer is settled by ``_lead_failed``;
        anything else is raised again, after releasing the waiters."""
        if isinstance(exc, IAMError):
            return self._lead_failed(lead, exc, deadline)
        # A bug, not an IAM answer: the waiters share it rather than repeat it. Cancelled or
        # interrupted (not an Exception): the waiters elect a new leader.
        self._finish_failed(lead, exc if isinstance(exc, Exception) else Abandoned())
        raise exc

    def _lead_succeeded(self, lead: _Lead, issued: iam.IssuedToken, sent_at: float) -> _Token:
        # Counted from when the request left, not when the answer came: the token's
        # lifetime started somewhere in between, so this errs on the early side. One more
        # second off for IAM's whole-second issue time (never more than half a very short
        # lifetime).
        lifetime = max(issued.expires_in - _ISSUE_TIME_ROUNDING, issued.expires_in / 2)
        token = _Token(
            value=issued.access_token,
            serial=next(self._serials),
            refresh_at=sent_at + self._fraction * lifetime,
            expires_at=sent_at + lifetime,
            young_until=sent_at + self._fraction * lifetime / 2,
        )
        with self._lock:
            self._token = token
            self._flight = None
        lead.flight.resolve(token)
        _log.debug(
            "IAM token #%d cached; refresh in %.0fs, expiry in %.0fs",
            token.serial,
            token.refresh_at - sent_at,
            lifetime,
        )
        return token

    def _lead_failed(self, lead: _Lead, exc: IAMError, deadline: float | None = None) -> _Token:
        if isinstance(exc, IAMTimeoutError) and self._own_deadline_cut(deadline):
            # The exchange ran out of this caller's time, not IAM's: the waiters, whose
            # calls may have longer, elect a new leader instead of sharing this timeout.
            self._finish_failed(lead, Abandoned())
            raise exc
        with self._lock:
            self._flight = None
            now = self._clock()
            keep = lead.fallback
            if keep is None or self._token is None or self._token.serial != keep.serial:
                keep = None  # there was no valid token, or a 401 has since dropped it
            elif now >= keep.expires_at:
                keep = None
            else:
                # Keep the old token and try again later, halving the time left each time
                # so that a few attempts still fit before it expires.
                retry_at = now + max(_MIN_REFRESH_RETRY, (keep.expires_at - now) / 2)
                keep = replace(keep, refresh_at=min(retry_at, keep.expires_at), refresh_failure=exc)
                self._token = keep
        lead.flight.fail(exc)
        if keep is None:
            raise exc
        _log.warning(
            "refreshing the IAM token failed (%s); the current token stays in use for its remaining %.0fs",
            exc,
            keep.expires_at - now,
        )
        return keep

    def _own_deadline_cut(self, deadline: float | None) -> bool:
        left = _deadline.remaining(deadline)
        return left is not None and left <= _MIN_DEADLINE_SLACK

    def _finish_failed(self, lead: _Lead, error: BaseException) -> None:
        with self._lock:
            self._flight = None
        lead.flight.fail(error)

    def _invalidate(self, used: _Token) -> None:
        """Drop ``used`` if it is still current; if it was already replaced, keep the new one."""
        with self._lock:
            if self._token is not None and self._token.serial == used.serial:
                self._token = None

    def _gave_up(self, waited: float | None) -> IAMTimeoutError:
        return IAMTimeoutError(
            f"Waited {waited or 0:.3g}s (all the call's timeout allowed) for another request's "
            f"IAM token exchange with {self._iam_url}, without an answer."
        )

    # -- requests -------------------------------------------------------------------------

    def _for_api(self, request: httpx.Request) -> bool:
        return _origin(request.url) == self._api_origin

    def _resend_after_401(self, used: _Token, resends: int) -> bool:
        """Whether a 401 to a request carrying ``used`` is worth a resend with a new token.

        The first 401 always is. A later one only if ``used`` has expired by now on our own
        clock: the request took so long to reach the server (a starved event loop, a loaded
        machine) that the token died on the way, which says nothing against the key. A
        401 to a token that should still be good is a real refusal.
        """
        if resends == 0:
            _log.info("the API answered 401; refreshing the IAM token and resending")
            return True
        if resends < _MAX_401_RESENDS and self._clock() >= used.expires_at:
            _log.info("the API answered 401 to a token that expired on the way; resending")
            return True
        return False

    def _rejected(self, response: httpx.Response, used: _Token) -> IAMError | AuthenticationError:
        """The error for the last 401: IAM's, if it failed to give a new token; otherwise
        an AuthenticationError that says whether the token died on the way."""
        if used.refresh_failure is not None:
            failure = used.refresh_failure
            return type(failure)(
                f"The API refused the IAM token, and IAM failed to issue a new one: {failure}",
                status_code=failure.status_code,
                error_code=failure.error_code,
                error_message=failure.error_message,
                request_id=failure.request_id,
            )
        error = api_error(401, response.content, response.headers)
        if self._clock() >= used.expires_at:
            message = (
                f"The API answered 401 to a request whose IAM token expired before the request "
                f"reached it, {_MAX_401_RESENDS + 1} times: requests wait too long to be sent (an "
                "overloaded event loop, thread pool or connection pool, or tokens too short-lived "
                f"for the load); IAM accepted the key. {error}"
            )
        else:
            message = f"The API answered 401 again after the IAM token was replaced: {error}"
        return AuthenticationError(message, status_code=401, errors=error.errors, trace=error.trace)


def _attach(request: httpx.Request, token: _Token) -> None:
    request.headers[AUTHORIZATION] = f"Bearer {token.value.reveal()}"


def _strip(request: httpx.Request) -> None:
    for name in API_ONLY_HEADERS:
        request.headers.pop(name, None)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme)
