"""The IAM token exchange: an API key in, a bearer token and its lifetime out.

This is the only module that reveals the API key, and only into the form body of a
request to ``{iam_url}/identity/token``.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import httpx

from iqp_wrapper._deprecation import deprecated_name
from iqp_wrapper._flow import Flow, Io, awaiting, blocking
from iqp_wrapper._json import JSONRefused
from iqp_wrapper._secret import Secret, scrub
from iqp_wrapper.errors import (
    APIConnectionError,
    APITimeoutError,
    IAMConnectionError,
    IAMError,
    IAMTimeoutError,
    UnexpectedResponseError,
)
from iqp_wrapper.transport import _deadline
from iqp_wrapper.transport.headers import USER_AGENT
from iqp_wrapper.transport.network import Network
from iqp_wrapper.transport.retry import RetryPolicy, RetryTransport

DEFAULT_IAM_URL = "https://iam.cloud.ibm.com"
GRANT_TYPE = "urn:ibm:params:oauth:grant-type:apikey"
TOKEN_PATH = "/identity/token"

_log = logging.getLogger(__name__)

# IAM's failures worth another try: any 5xx (IAM answers 500 under load), and 429 after
# its Retry-After. The exchange creates nothing, so resending it is always safe.
_RETRY_STATUSES = frozenset(range(500, 600))
# A token answer is a few kilobytes; anything near this is not one.
_MAX_TOKEN_RESPONSE = 1 << 20

# IAM error codes worth a specific hint; anything else gets IAM's own message.
_HINTS = {
    "BXNIM0415E": "the API key was not found: it may be mistyped, deleted or from another account",
    "BXNIM0416E": "the API key is locked or disabled",
}


@dataclass(frozen=True)
class IssuedToken:
    """What IAM issued. ``expiration`` (epoch seconds) is deliberately not kept: only
    ``expires_in``, counted from our own monotonic clock, is immune to a wrong local clock.
    """

    access_token: Secret
    expires_in: float


def _exchange(
    api_key: Secret,
    *,
    iam_url: str,
    network: Network,
    timeout: httpx.Timeout,
    policy: RetryPolicy | None = None,
    deadline: float | None = None,
) -> Flow[IssuedToken]:
    """Exchange ``api_key`` for a token. Raises IAMError or a subclass.

    Failures IAM may recover from are retried under ``policy``; all of it, retries and
    waits included, ends by ``deadline`` (monotonic) and within ``timeout``'s budget.
    """
    url = iam_url + TOKEN_PATH
    _log.debug("requesting an IAM token from %s", url)
    failure: IAMError | None = None
    try:
        response: httpx.Response = yield _POST(
            url, network, policy, timeout, _limits(timeout, deadline), api_key
        )
    except (APIConnectionError, UnexpectedResponseError) as exc:
        failure = _transport_failure(exc, iam_url)
    # Raised outside the except block so the error does not keep the httpx exception
    # (and through it the request, key and all) as its __context__.
    if failure is not None:
        raise failure
    return _parse(response, api_key)


exchange = blocking(_exchange, "exchange")
async_exchange = awaiting(
    _exchange, "async_exchange", "Exchange ``api_key`` for a token without blocking the event loop."
)


async def exchange_async(api_key: Secret, **settings: Any) -> IssuedToken:
    """Deprecated spelling of ``async_exchange`` (async twins are ``async_`` names)."""
    deprecated_name("iam.exchange_async", "iam.async_exchange")
    return await async_exchange(api_key, **settings)


# A client per exchange: one every ~45 minutes costs nothing, and nothing is left open that
# would need closing or that could outlive its event loop (asyncio.run() twice with one
# client would otherwise break). The answer is read in full before the client closes.


def _post(
    url: str, network: Network, policy: RetryPolicy | None, timeout: httpx.Timeout, limits: Any, key: Secret
) -> httpx.Response:
    transport = _retrying(network.transport(url), None, policy)
    with httpx.Client(transport=transport, timeout=timeout, trust_env=False) as http:
        return http.post(url, data=_form(key), headers=_HEADERS, extensions=limits)


async def _async_post(
    url: str, network: Network, policy: RetryPolicy | None, timeout: httpx.Timeout, limits: Any, key: Secret
) -> httpx.Response:
    transport = _retrying(None, network.async_transport(url), policy)
    async with httpx.AsyncClient(transport=transport, timeout=timeout, trust_env=False) as http:
        return await http.post(url, data=_form(key), headers=_HEADERS, extensions=limits)


_POST = Io(_post, _async_post)


def _retrying(
    transport: httpx.BaseTransport | None,
    async_transport: httpx.AsyncBaseTransport | None,
    policy: RetryPolicy | None,
) -> RetryTransport:
    return RetryTransport(
        transport,
        async_transport,
        policy=policy or RetryPolicy(),
        max_response_bytes=_MAX_TOKEN_RESPONSE,
        resend_posts=True,
        retry_statuses=_RETRY_STATUSES,
    )


def _limits(timeout: httpx.Timeout, deadline: float | None) -> dict[str, Any]:
    """The exchange's deadline: the caller's, or IAM's own budget if that ends first."""
    budget = _deadline.budget(timeout)
    own = None if budget is None else _deadline.now() + budget
    limit = _deadline.earliest(own, deadline)
    return {} if limit is None else {_deadline.DEADLINE: limit}


# No Authorization, Service-CRN or IBM-API-Version: those are for the API only.
_HEADERS = {"Accept": "application/json", "User-Agent": USER_AGENT}


def _form(api_key: Secret) -> dict[str, str]:
    return {"grant_type": GRANT_TYPE, "apikey": api_key.reveal()}


def _transport_failure(exc: APIConnectionError | UnexpectedResponseError, iam_url: str) -> IAMError:
    if isinstance(exc, APITimeoutError):
        return IAMTimeoutError(
            f"IAM at {iam_url} did not answer in time ({exc.detail}). Check the network or proxy, "
            "or allow more time with iam_timeout= (or timeout=)."
        )
    if isinstance(exc, UnexpectedResponseError):
        return IAMError(f"IAM at {iam_url} sent an answer that could not be read ({exc}).")
    return IAMConnectionError(
        f"Could not reach IAM at {iam_url} ({exc.detail}). Check the network, proxy and TLS "
        "settings (verify=)."
    )


def _parse(response: httpx.Response, api_key: Secret) -> IssuedToken:
    body = _json(response)
    if response.status_code != 200:
        raise _refusal(response.status_code, body, api_key)
    token = body.get("access_token")
    expires_in = body.get("expires_in")
    token_type = body.get("token_type", "Bearer")
    if not isinstance(token, str) or not token:
        raise IAMError("IAM answered 200 without an access_token.", status_code=200)
    if not _header_safe(token):
        # Never quote it: it is a secret, however broken.
        raise IAMError(
            "IAM answered 200 with an access_token that is not printable ASCII (control "
            "characters, spaces or non-ASCII): it cannot be sent in a header.",
            status_code=200,
        )
    if (
        isinstance(expires_in, bool)
        or not isinstance(expires_in, (int, float))
        or not math.isfinite(expires_in)
        or expires_in <= 0
    ):
        raise IAMError(
            f"IAM answered 200 without a usable expires_in (a finite positive number of "
            f"seconds; got {expires_in!r}).",
            status_code=200,
        )
    if not isinstance(token_type, str) or token_type.lower() != "bearer":
        raise IAMError(f"IAM issued a {token_type!r} token, not a Bearer one.", status_code=200)
    _log.debug("IAM issued a token valid for %ss", expires_in)
    return IssuedToken(access_token=Secret(token), expires_in=float(expires_in))


def _header_safe(token: str) -> bool:
    """True if every character is visible ASCII, as a bearer token's are."""
    return all("!" <= char <= "~" for char in token)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except JSONRefused as refused:
        if response.status_code != 200:
            return {}
        # JSON with NaN, an infinity or a repeated key: say so rather than "no token".
        raise IAMError(
            f"IAM answered 200 with JSON this client refuses: {refused}.", status_code=200
        ) from None
    except (ValueError, RecursionError):
        return {}
    return body if isinstance(body, dict) else {}


def _refusal(status: int, body: dict[str, Any], api_key: Secret) -> IAMError:
    # IAM does not echo the key today; make sure no future answer can carry it into a
    # message, its code included.
    code = body.get("errorCode")
    code = scrub(code).replace(api_key.reveal(), "***") if isinstance(code, str) else None
    said = body.get("errorMessage")
    said = scrub(said).replace(api_key.reveal(), "***") if isinstance(said, str) else None
    context = body.get("context")
    request_id = context.get("requestId") if isinstance(context, dict) else None
    request_id = request_id if isinstance(request_id, str) else None

    if status >= 500:
        what = f"IAM is unavailable (HTTP {status}); try again shortly"
    elif code in _HINTS:
        what = f"IAM refused the API key (HTTP {status}): {_HINTS[code]}"
    else:
        what = f"IAM refused the token request (HTTP {status})"
    details = ": ".join(part for part in (code, said) if part)
    message = f"{what}. IAM said: {details}" if details else f"{what}."
    if status < 500:
        message += " Check the key, or create one at https://cloud.ibm.com/iam/apikeys."
    return IAMError(
        message,
        status_code=status,
        error_code=code,
        error_message=said,
        request_id=request_id,
    )
