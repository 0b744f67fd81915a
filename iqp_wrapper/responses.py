"""unwrap(): a generated Response turned into its parsed body, or into the right error.

Generated operations return ``parsed=None`` for a status the document does not list and
return the error model for one it does, so a caller has to check both. ``unwrap`` is the
one check: it returns the success body, typed without the error models, or raises an
APIError subclass carrying the API's error list and trace id.
"""

from __future__ import annotations

import time
from typing import Any, TypeVar, overload

from iqp_api.models.error_container import ErrorContainer
from iqp_api.models.generic_error_dto import GenericErrorDto
from iqp_api.types import Response
from iqp_wrapper.errors import UnexpectedResponseError, api_error

_T = TypeVar("_T")


# The overloads remove the error models from the return type, so that
# unwrap(get_job.sync_detailed(...)) is typed as the job, not "job or error".
@overload
def unwrap(response: Response[ErrorContainer | _T]) -> _T: ...
@overload
def unwrap(response: Response[GenericErrorDto | _T]) -> _T: ...
@overload
def unwrap(response: Response[_T]) -> _T: ...
def unwrap(response: Response[Any]) -> Any:
    """The parsed body of a successful ``response``; otherwise raise its APIError.

    Raises:
        AuthenticationError, PermissionDeniedError, NotFoundError, ConflictError,
        RateLimitError, ServerError or APIError: for an error status.
        UnexpectedResponseError: for a success whose body the client could not parse.
    """
    status = int(response.status_code)
    if status >= 300:
        raise api_error(status, response.content, response.headers, wall_now=time.time())
    if response.parsed is not None or not response.content:
        return response.parsed  # None only for operations that answer with no body (204)
    raise unexpected_response(
        status, response.content, "a status or shape the OpenAPI document does not describe"
    )


def unexpected_response(status: int, content: bytes, reason: str) -> UnexpectedResponseError:
    """The error for a success answer (``status``, body ``content``) the client cannot read."""
    return UnexpectedResponseError(
        f"HTTP {status}: the request succeeded, but this client could not read the answer "
        f"({reason}). Do not simply resend it; the raw body is in .content, and "
        "regenerating the client may help.",
        status_code=status,
        content=content,
    )
