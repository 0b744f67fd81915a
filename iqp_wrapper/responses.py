"""The one decision from an answer to a result or an error, and ``unwrap`` built on it.

Every path to an answer ends here: the generated namespace methods (``client.jobs.get``,
through ``IQPClient._answer``), ``unwrap`` for the functions of ``iqp_api.api``, and so
every helper built on either. The rule is the same everywhere:

- a success status the operation declares: its parsed body;
- an error status (3xx and above): the APIError subclass for it, with the API's errors
  and trace id;
- a 2xx the operation does not declare (a 202 with a body for a GET), or a declared one
  whose body cannot be read: UnexpectedResponseError. A method typed to return a model
  never returns None.
"""

from __future__ import annotations

import time
from collections.abc import Container, Mapping
from typing import Any, TypeVar, overload

from iqp_api.models.error_container import ErrorContainer
from iqp_api.models.generic_error_dto import GenericErrorDto
from iqp_api.types import Response
from iqp_wrapper.errors import IQPError, UnexpectedResponseError, api_error

_T = TypeVar("_T")

NO_CONTENT = 204


def answer_error(status: int, content: bytes, headers: Mapping[str, str]) -> IQPError:
    """The error for an answer that is not a success the operation declares."""
    if 200 <= status < 300:
        return unexpected_response(status, content, f"status {status}, which this operation does not declare")
    return api_error(status, content, headers, wall_now=time.time())


# The overloads remove the error models from the return type, so that
# unwrap(get_job.sync_detailed(...)) is typed as the job, not "job or error".
@overload
def unwrap(response: Response[ErrorContainer | _T], declared: Container[int] | None = None) -> _T: ...
@overload
def unwrap(response: Response[GenericErrorDto | _T], declared: Container[int] | None = None) -> _T: ...
@overload
def unwrap(response: Response[_T], declared: Container[int] | None = None) -> _T: ...
def unwrap(response: Response[Any], declared: Container[int] | None = None) -> Any:
    """The parsed body of a successful ``response``; otherwise raise its error.

    ``declared`` is the operation's success statuses; by default the response's own
    ``declared`` (set by a namespace's ``with_raw_response``). When neither says, as for a
    response from a function of ``iqp_api.api``, a success counts as declared if a body was
    parsed for it, or if it is a 204 with no body (an undeclared status parses to None).

    Raises:
        AuthenticationError, PermissionDeniedError, NotFoundError, ConflictError,
        RateLimitError, ServerError or APIError: for an error status.
        UnexpectedResponseError: for a success status the operation does not declare.
    """
    status = int(response.status_code)
    if declared is None:
        declared = response.declared
    if declared is None:
        declared = (status,) if _looks_declared(status, response) else ()
    if status not in declared:
        raise answer_error(status, response.content, response.headers)
    return response.parsed


def _looks_declared(status: int, response: Response[Any]) -> bool:
    if response.parsed is not None:
        return 200 <= status < 300
    return status == NO_CONTENT and not response.content


def unexpected_response(status: int, content: bytes, reason: str) -> UnexpectedResponseError:
    """The error for a success answer (``status``, body ``content``) the client cannot read."""
    return UnexpectedResponseError(
        f"HTTP {status}: the request succeeded, but this client could not read the answer "
        f"({reason}). Do not simply resend it; the raw body is in .content, and "
        "regenerating the client may help.",
        status_code=status,
        content=content,
    )
