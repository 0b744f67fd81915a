"""The error tree and unwrap()."""

from __future__ import annotations

import copy
import email.utils
import inspect
import json
from http import HTTPStatus
from typing import Any

import httpx
import pytest

from iqp_api.models.error_container import ErrorContainer
from iqp_api.types import Response
from iqp_wrapper import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    ConfigError,
    ConfigSource,
    ConflictError,
    ErrorDetail,
    IAMConnectionError,
    IAMError,
    IAMTimeoutError,
    IQPError,
    JobError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    SubmissionUnknownError,
    UnexpectedResponseError,
    unwrap,
)
from iqp_wrapper._secret import scrub
from iqp_wrapper.errors import api_error, parse_retry_after

ERROR_BODY = {
    "errors": [
        {"code": "1234", "message": "Job not found", "more_info": "https://example.test/docs"},
        {"code": "5678", "message": "Also this"},
    ],
    "trace": "test-trace-id",
}


def response(
    status: int, body: Any = None, parsed: Any = None, headers: dict[str, str] | None = None
) -> Response[Any]:
    content = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    return Response(
        status_code=HTTPStatus(status),
        content=content,
        headers=httpx.Headers(headers or {}),
        parsed=parsed,
    )


def test_the_tree() -> None:
    for cls in (ConfigError, IAMError, APIError):
        assert issubclass(cls, IQPError)
    assert issubclass(ConfigError, ValueError)
    for cls in (IAMConnectionError, IAMTimeoutError):
        assert issubclass(cls, IAMError)
    for cls in (
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        RateLimitError,
        ServerError,
        UnexpectedResponseError,
    ):
        assert issubclass(cls, APIError)


def test_unwrap_returns_the_parsed_body() -> None:
    parsed = object()
    assert unwrap(response(200, {"id": "x"}, parsed=parsed)) is parsed


def test_unwrap_returns_none_for_an_empty_success() -> None:
    assert unwrap(response(204)) is None


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, APIError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
    ],
)
def test_unwrap_raises_by_status_with_errors_and_trace(status: int, kind: type[APIError]) -> None:
    # Whether the generated code parsed the body (documented status) or not (parsed=None).
    for parsed in (ErrorContainer.from_dict(ERROR_BODY), None):
        with pytest.raises(kind) as caught:
            unwrap(response(status, ERROR_BODY, parsed=parsed))
        error = caught.value
        assert type(error) is kind
        assert error.status_code == status
        assert error.trace == "test-trace-id"
        assert error.errors == (
            ErrorDetail(code="1234", message="Job not found", more_info="https://example.test/docs"),
            ErrorDetail(code="5678", message="Also this", more_info=None),
        )
        text = str(error)
        assert f"HTTP {status}" in text and "Job not found (1234)" in text and "test-trace-id" in text


def test_numeric_codes_and_flat_bodies_are_read() -> None:
    error = api_error(400, json.dumps({"code": 3211, "message": "Bad input"}).encode(), {})
    assert error.errors == (ErrorDetail(code="3211", message="Bad input"),)
    nested = api_error(400, json.dumps({"errors": [{"code": 17, "message": "m"}]}).encode(), {})
    assert nested.errors == (ErrorDetail(code="17", message="m"),)


def test_a_gateway_page_is_summarised_not_quoted() -> None:
    page = b"<html>502 Bad Gateway; your request: Authorization: Bearer test-token-1-not-real</html>"
    error = api_error(502, page, {})
    assert isinstance(error, ServerError)
    assert error.errors == () and error.trace is None
    assert "HTTP 502 Bad Gateway" in str(error)
    assert "test-token-1-not-real" not in str(error)


def test_rate_limit_error_carries_retry_after() -> None:
    with pytest.raises(RateLimitError) as caught:
        unwrap(response(429, ERROR_BODY, headers={"Retry-After": "42"}))
    assert caught.value.retry_after == 42.0
    with pytest.raises(RateLimitError) as caught:
        unwrap(response(429, ERROR_BODY))
    assert caught.value.retry_after is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        (email.utils.formatdate(1_000_030, usegmt=True), 30.0),
        (email.utils.formatdate(999_000, usegmt=True), 0.0),
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_parsing(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, wall_now=1_000_000.0) == expected


def test_an_unreadable_success_is_not_passed_off_as_none() -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        unwrap(response(202, {"id": "job-1"}, parsed=None))
    assert caught.value.status_code == 202
    assert caught.value.content == b'{"id": "job-1"}'
    assert "Do not simply resend" in str(caught.value)


def test_errors_survive_copying_with_their_fields() -> None:
    # The single-flight token exchange hands each waiter a copy of the leader's error.
    original = IAMError("m", status_code=400, error_code="BXNIM0415E", error_message="x", request_id="r")
    clone = copy.copy(original)
    assert type(clone) is IAMError and str(clone) == "m"
    assert (clone.status_code, clone.error_code, clone.error_message, clone.request_id) == (
        400,
        "BXNIM0415E",
        "x",
        "r",
    )
    limited = copy.copy(RateLimitError("m", retry_after=3.0, trace="t"))
    assert limited.retry_after == 3.0 and limited.trace == "t" and limited.status_code == 429


ECHO = "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmnop"
"""What a server that echoes the request might put into any field it fills."""


def test_a_subclass_takes_its_parents_fields_then_its_own_all_by_keyword() -> None:
    def parameters(kind: type[IQPError]) -> list[tuple[str, str, object]]:
        signature = inspect.signature(kind)
        return [(p.name, p.kind.name, p.default) for p in signature.parameters.values()]

    parent = parameters(APIError)
    assert parent[0] == ("message", "POSITIONAL_OR_KEYWORD", inspect.Parameter.empty)
    assert all(kind == "KEYWORD_ONLY" for _, kind, _ in parent[1:])
    assert parameters(UnexpectedResponseError) == [*parent, ("content", "KEYWORD_ONLY", b"")]
    assert parameters(ResponseTooLargeError) == [
        *parameters(UnexpectedResponseError),
        ("limit", "KEYWORD_ONLY", 0),
    ]
    # RateLimitError keeps status_code in its place, with its own default.
    assert [name for name, _, _ in parameters(RateLimitError)] == [*(p[0] for p in parent), "retry_after"]
    assert RateLimitError("m").status_code == 429
    with pytest.raises(TypeError):
        ConfigError("m", "setting")  # type: ignore[call-arg]


def test_every_field_a_server_fills_is_scrubbed_and_the_others_are_kept_as_given() -> None:
    masked = scrub(ECHO)
    assert masked != ECHO
    large = ResponseTooLargeError(
        ECHO,
        status_code=200,
        errors=[ErrorDetail(ECHO, ECHO, ECHO)],  # type: ignore[arg-type]  # a list, as a caller may pass
        trace=ECHO,
        content=ECHO.encode(),
        limit=7,
    )
    assert (str(large), large.trace, large.content) == (masked, masked, masked.encode())
    assert large.errors == (ErrorDetail(masked, masked, masked),) and large.limit == 7
    connection = APIConnectionError(ECHO, method="GET", url=ECHO, detail=ECHO, may_have_reached_server=False)
    assert (connection.url, connection.detail, connection.method) == (masked, masked, "GET")
    assert connection.may_have_reached_server is False
    iam = IAMError("m", status_code=400, error_code=ECHO, error_message=ECHO, request_id=ECHO)
    assert (iam.error_code, iam.error_message, iam.request_id, iam.status_code) == (
        masked,
        masked,
        masked,
        400,
    )
    job = JobError("m", job_id="j", status="Failed", reason=ECHO, reason_code=5)
    assert (job.reason, job.job_id, job.status, job.reason_code) == (masked, "j", "Failed", 5)
    config = ConfigError("m", setting="url", source=ConfigSource.ARGUMENT, problem="malformed")
    assert config.source is ConfigSource.ARGUMENT  # an enum stays an enum
    assert (config.setting, config.problem, SubmissionUnknownError("m", tag="t").tag) == (
        "url",
        "malformed",
        "t",
    )


def test_errors_compare_and_hash_by_identity_and_repr_as_exceptions() -> None:
    one, other = ConfigError("m", setting="x"), ConfigError("m", setting="x")
    assert one != other and len({one, other}) == 2
    assert repr(one) == "ConfigError('m')"
