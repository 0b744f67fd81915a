"""Error statuses whose body is not the documented JSON still reach the caller as errors."""

from __future__ import annotations

import pytest
from pytest_httpx import HTTPXMock

from iqp_api import AuthenticatedClient
from iqp_api.api.jobs import delete_job, get_job
from iqp_api.models import ErrorContainer
from iqp_wrapper import PermissionDeniedError, ServerError, unwrap

BASE = "https://api.example.test/api"


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (403, b"<html><body>Forbidden by proxy</body></html>", PermissionDeniedError),
        (404, b"", None),
        (401, b'["not", "an", "object"]', None),
    ],
)
def test_non_json_error_body_parses_to_none(
    status: int, body: bytes, error: type[Exception] | None, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(status_code=status, content=body)
    with AuthenticatedClient(base_url=BASE, token="test-token") as client:
        response = get_job.sync_detailed("job-1", client=client)
    assert response.status_code == status
    assert response.parsed is None
    assert response.content == body
    if error is not None:
        with pytest.raises(error):
            unwrap(response)


def test_documented_error_body_still_parses(httpx_mock: HTTPXMock) -> None:
    body = {"errors": [{"code": "1234", "message": "Job not found", "more_info": "x"}], "trace": "t-1"}
    httpx_mock.add_response(status_code=404, json=body)
    with AuthenticatedClient(base_url=BASE, token="test-token") as client:
        response = get_job.sync_detailed("job-1", client=client)
    assert isinstance(response.parsed, ErrorContainer)
    assert response.parsed.to_dict() == body


async def test_gateway_html_on_a_documented_500(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=500, content=b"<html>upstream error</html>")
    async with AuthenticatedClient(base_url=BASE, token="test-token") as client:
        response = await delete_job.asyncio_detailed("job-1", client=client)
    assert response.parsed is None
    with pytest.raises(ServerError):
        unwrap(response)
