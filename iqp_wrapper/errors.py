"""The errors this package raises, and how an HTTP error answer becomes one.

IQPError
├── ConfigError                  bad or missing configuration, found before any request
├── APIConnectionError           the API could not be reached, or the connection broke
│   └── APITimeoutError          the call's deadline passed before an answer
├── SubmissionUnknownError       a job submission's outcome cannot be told (see its tag)
├── IAMError                     IBM Cloud IAM would not issue a token
│   ├── IAMConnectionError       IAM could not be reached
│   └── IAMTimeoutError          IAM did not answer in time
├── APIError                     the Qiskit Runtime API answered with an error
│   ├── AuthenticationError      401
│   ├── PermissionDeniedError    403
│   ├── NotFoundError            404
│   ├── ConflictError            409
│   ├── RateLimitError           429 (with retry_after)
│   ├── ServerError              5xx
│   └── UnexpectedResponseError  a success the client could not read
│       └── ResponseTooLargeError    a body beyond max_response_bytes once decompressed
└── JobError                     a job did not get where the caller asked (iqp_wrapper.jobs)
    ├── JobTimeoutError          the wait ended first (also a built-in TimeoutError)
    ├── JobFailedError           the job ended Failed
    ├── JobCancelledError        the job ended Cancelled (by a user, or for running too long)
    └── ResultsNotReadyError     no final result yet (the API answered 204)

JobWaitInterrupted (a KeyboardInterrupt, not an IQPError): Ctrl-C during a wait; names the job.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field, fields
from email.utils import parsedate_to_datetime
from enum import Enum
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from iqp_wrapper._json import loads as strict_json
from iqp_wrapper._secret import scrub, scrub_bytes

if TYPE_CHECKING:
    from iqp_api.models.job_response_v3 import JobResponseV3

# Every error class takes its message as the only positional argument and everything else
# by keyword with a default: copy.copy() rebuilds an exception from its args, and the
# single-flight token exchange hands each waiter a copy of the one error.
#
# Messages and the fields that carry a server's words are scrubbed as the error is built
# (``_secret.scrub``): a server that echoes the request's Authorization header, or the API
# key, cannot put either into a message, repr or log line.
#
# An error with fields beyond its message declares them once, as a keyword-only dataclass:
# the constructor (with the signature help() and IDEs show), the copy and the scrubbing of
# the fields marked ``_said(...)`` follow from that one list, and a subclass adds its own
# fields to its parent's without restating them.


@dataclass(init=False, eq=False, repr=False)
class IQPError(Exception):
    """Base class of every error raised by iqp_wrapper."""

    # The message of a subclass that declares fields (a keyword-only dataclass): its
    # constructor takes the message first, then those fields, and hands the message to
    # __post_init__, which scrubs it and the fields marked ``_said(...)``.
    message: InitVar[str]

    def __init__(self, *args: object) -> None:
        super().__init__(*(scrub(arg) if isinstance(arg, str) else arg for arg in args))

    def __post_init__(self, message: str) -> None:
        IQPError.__init__(self, message)
        for each in fields(self):
            if each.metadata.get("scrub"):
                setattr(self, each.name, _scrubbed(getattr(self, each.name)))


def _said(default: object) -> Any:
    """A field holding what a server said (or a URL), scrubbed as the error is built."""
    return field(default=default, metadata={"scrub": True})


def _scrubbed(value: object) -> object:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, bytes):
        return scrub_bytes(value)
    if isinstance(value, ErrorDetail):
        parts = (value.code, value.message, value.more_info)
        return ErrorDetail(*(None if part is None else scrub(part) for part in parts))
    if isinstance(value, (tuple, list)):
        return tuple(_scrubbed(item) for item in value)
    return value  # None, or a number


class ClientClosedError(IQPError, RuntimeError):
    """The client was closed (``close()``, ``aclose()`` or the end of its ``with`` block).

    A closed client makes no more calls: make a new one with ``connect()``.
    """


class ConfigSource(str, Enum):
    """Where a setting's value came from, in the order ``connect()`` looks."""

    ARGUMENT = "argument"
    ENVIRONMENT = "environment"
    KEYRING = "keyring"
    SAVED_ACCOUNT = "saved account"
    DEFAULT = "default"


@dataclass(eq=False, repr=False, kw_only=True)
class ConfigError(IQPError, ValueError):
    """The configuration is missing or wrong. The message says what to change.

    Code that needs to know *which* problem this is reads the fields, never the message.

    Attributes:
        setting: the setting at fault (``api_key``, ``service_crn``, ``url``...), if one is.
        source: where its value came from, if it came from somewhere.
        problem: a stable code for the problem (``missing``, ``malformed``...).
    """

    setting: str | None = None
    source: ConfigSource | None = None
    problem: str | None = None


@dataclass(eq=False, repr=False, kw_only=True)
class APIConnectionError(IQPError):
    """The request did not get a complete answer: refused, reset, TLS or proxy failure.

    Attributes:
        method: the request's HTTP method.
        url: the request's URL (it never holds a secret).
        may_have_reached_server: False only when the request provably was not sent; a
            True for a job submission means the job may exist.
        detail: the underlying failure, as ``Kind: text`` (``ReadTimeout``,
            ``ConnectError: [Errno 111] Connection refused``...).
    """

    method: str = ""
    url: str = _said("")
    may_have_reached_server: bool = True
    detail: str = _said("")


class APITimeoutError(APIConnectionError, TimeoutError):
    """The call's deadline passed before a complete answer arrived."""


@dataclass(eq=False, repr=False, kw_only=True)
class SubmissionUnknownError(IQPError):
    """A job submission may or may not have created a job, and the client could not tell.

    Look the job up by ``tag`` (``GET /v1/jobs?tags=...``) before submitting again.
    """

    tag: str = ""


@dataclass(eq=False, repr=False, kw_only=True)
class IAMError(IQPError):
    """IBM Cloud IAM did not exchange the API key for a token.

    Attributes:
        status_code: IAM's HTTP status, or None when no answer arrived.
        error_code: IAM's ``errorCode`` (for example ``BXNIM0415E``), if it sent one.
        error_message: IAM's ``errorMessage``, if it sent one.
        request_id: IAM's request id, for IBM support.
    """

    status_code: int | None = None
    error_code: str | None = _said(None)
    error_message: str | None = _said(None)
    request_id: str | None = _said(None)


class IAMConnectionError(IAMError):
    """IAM could not be reached: DNS, refused connection, TLS or proxy failure."""


class IAMTimeoutError(IAMError, TimeoutError):
    """IAM did not answer within the IAM timeout, or within the deadline of the call waiting."""


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of the API's ``errors`` list."""

    code: str | None = None
    message: str | None = None
    more_info: str | None = None


@dataclass(eq=False, repr=False, kw_only=True)
class APIError(IQPError):
    """The API answered with an error status.

    Attributes:
        status_code: the HTTP status.
        errors: the API's error list, as sent.
        trace: the API's trace id; quote it to IBM support.
    """

    status_code: int = 0
    errors: tuple[ErrorDetail, ...] = _said(())
    trace: str | None = _said(None)


class AuthenticationError(APIError):
    """401: the API did not accept the token, even a freshly issued one."""


class PermissionDeniedError(APIError):
    """403: the key's identity may not use this instance or operation."""


class NotFoundError(APIError):
    """404: no such resource, or it belongs to another instance or region."""


class ConflictError(APIError):
    """409: the request conflicts with the resource's state."""


@dataclass(eq=False, repr=False, kw_only=True)
class RateLimitError(APIError):
    """429: too many requests. ``retry_after`` is the wait the API asked for, in seconds."""

    status_code: int = 429
    retry_after: float | None = None


class ServerError(APIError):
    """5xx: the service failed. Retries have already been spent where they were safe."""


@dataclass(eq=False, repr=False, kw_only=True)
class UnexpectedResponseError(APIError):
    """A success status the operation does not declare, or whose body this client could not parse.

    The request did succeed: do not blindly send it again (a job may have been created).
    ``content`` holds the raw body.
    """

    content: bytes = _said(b"")


@dataclass(eq=False, repr=False, kw_only=True)
class ResponseTooLargeError(UnexpectedResponseError):
    """An answer's body grew beyond ``limit`` bytes once decompressed; it was not read further.

    ``content`` is empty. Raise the limit with ``connect(max_response_bytes=...)`` if the
    answer is genuine (a very large job result).
    """

    limit: int = 0


@dataclass(eq=False, repr=False, kw_only=True)
class JobError(IQPError):
    """A job did not reach the state the caller asked for.

    Attributes:
        job_id: the job's ID.
        job: the job as last seen, if it was read.
        status: its status as last seen (``Queued``, ``Running``, ``Failed``...), if known.
        reason: the reason the API gave for that status, if any.
        reason_code: its numeric code, if any.
    """

    job_id: str = ""
    job: JobResponseV3 | None = None
    status: str | None = None
    reason: str | None = _said(None)
    reason_code: int | None = None


class JobTimeoutError(JobError, TimeoutError):
    """The wait ended before the job did; the job itself goes on (cancel it if need be)."""


class JobFailedError(JobError):
    """The job ended Failed; ``reason`` says why, when the API says."""


class JobCancelledError(JobError):
    """The job ended Cancelled, by a user or by the service (``Cancelled - Ran too long``)."""


class ResultsNotReadyError(JobError):
    """The job has no final result yet (the API answered 204): it is still queued or running."""


class JobWaitInterrupted(KeyboardInterrupt):
    """Ctrl-C (or another KeyboardInterrupt) while waiting for a job: the wait stopped, the
    job did not. A KeyboardInterrupt still, so code that lets Ctrl-C end the program
    keeps doing so, and the message says which job goes on and how to cancel it.

    Attributes:
        job_id: the job that goes on.
        status: its status as last seen, if it was read.
    """

    def __init__(self, message: str, *, job_id: str = "", status: str | None = None) -> None:
        super().__init__(message)
        self.job_id = job_id
        self.status = status


_BY_STATUS: dict[int, type[APIError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
}


def api_error(
    status_code: int,
    content: bytes,
    headers: Mapping[str, str],
    *,
    wall_now: float | None = None,
) -> APIError:
    """The error for an API answer with status ``status_code`` and body ``content``.

    The body is read leniently: most operations send ``{"errors": [...], "trace": ...}``,
    a few a numeric ``code``, and a gateway in between may send HTML.
    """
    errors, trace = _read_error_body(content)
    message = _describe(status_code, errors, trace, content)
    if status_code == 429:
        return RateLimitError(
            message,
            status_code=status_code,
            errors=errors,
            trace=trace,
            retry_after=parse_retry_after(headers.get("retry-after"), wall_now=wall_now),
        )
    cls = _BY_STATUS.get(status_code)
    if cls is None:
        cls = ServerError if status_code >= 500 else APIError
    return cls(message, status_code=status_code, errors=errors, trace=trace)


def parse_retry_after(value: str | None, *, wall_now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None.

    None also for a value that is not a finite number (``inf``, ``nan``); a negative one
    is 0.

    ``wall_now`` (epoch seconds) is needed only for the date form; without it a date
    cannot be turned into a wait and None is returned.
    """
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        # "inf" and "nan" parse as floats but are no wait anyone can honour; a negative
        # wait means none.
        return max(0.0, seconds) if math.isfinite(seconds) else None
    if wall_now is None:
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - wall_now)


def _read_error_body(content: bytes) -> tuple[tuple[ErrorDetail, ...], str | None]:
    try:
        body: Any = strict_json(content)
    except ValueError:
        return (), None
    if not isinstance(body, dict):
        return (), None
    trace = body.get("trace")
    raw_errors = body.get("errors")
    details: list[ErrorDetail] = []
    if isinstance(raw_errors, list):
        for item in raw_errors:
            if isinstance(item, dict):
                details.append(
                    ErrorDetail(
                        code=_text(item.get("code")),
                        message=_text(item.get("message")),
                        more_info=_text(item.get("more_info") or item.get("moreInfo")),
                    )
                )
    elif "message" in body or "code" in body:
        details.append(ErrorDetail(code=_text(body.get("code")), message=_text(body.get("message"))))
    return tuple(details), _text(trace)


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return scrub(str(value))


def _describe(
    status_code: int,
    errors: tuple[ErrorDetail, ...],
    trace: str | None,
    content: bytes,
) -> str:
    try:
        reason = HTTPStatus(status_code).phrase
    except ValueError:
        reason = ""
    head = f"HTTP {status_code} {reason}".rstrip()
    parts = [
        f"{e.message} ({e.code})" if e.code and e.message else (e.message or e.code or "") for e in errors
    ]
    said = "; ".join(p for p in parts if p)
    if not said and content and not errors:
        # Not the API's JSON (a proxy or gateway page). Its text stays out of the message:
        # some proxies echo the request, Authorization header included.
        said = f"a body of {len(content)} bytes that is not the API's error JSON"
    text = f"{head}: {said}" if said else head
    if trace:
        text += f" [trace {trace}]"
    return text
