"""Errors the fake API answers with, and the two body layouts the document gives them.

Most operations answer ``ErrorContainer`` (``errors[].code`` a string); the instance
usage operation answers ``GenericErrorDto`` (a numeric ``code`` plus ``solution``). A
handler raises ``ApiError``; the app renders it in the layout of the operation.

The codes are the fake's own, stable words (``instance_not_found``, ``job_not_found``...),
not IBM's numbers: match on the HTTP status first, the code second.
"""

from __future__ import annotations

from typing import Any, Literal

from iqp_wrapper.testing.fake.wire import Response, json_response

ErrorStyle = Literal["container", "generic"]

MORE_INFO = "https://quantum.cloud.ibm.com/docs/en/errors"


class ApiError(Exception):
    """An error answer: raised by handlers, rendered by the app."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        solution: str = "",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.solution = solution
        self.headers = headers

    def render(self, style: ErrorStyle, trace: str) -> Response:
        """The error as a response in ``style``, tagged with ``trace``."""
        return json_response(self.status, error_body(self, style, trace), *self.headers)


def error_body(error: ApiError, style: ErrorStyle, trace: str) -> dict[str, Any]:
    """The JSON body of ``error`` in the layout ``style``."""
    if style == "generic":
        item: dict[str, Any] = {
            "code": error.status,
            "message": error.message,
            "solution": error.solution or "See the message.",
            "more_info": MORE_INFO,
        }
    else:
        item = {"code": error.code, "message": error.message, "more_info": MORE_INFO}
    return {"errors": [item], "trace": trace}


def bad_request(message: str, code: str = "bad_request") -> ApiError:
    """400: the request itself is wrong."""
    return ApiError(400, code, message, solution="Fix the request and send it again.")


def not_found(code: str, message: str) -> ApiError:
    """404: no such thing (job, session, backend, instance)."""
    return ApiError(404, code, message)


def conflict(code: str, message: str) -> ApiError:
    """409: the request contradicts the current state."""
    return ApiError(409, code, message)
