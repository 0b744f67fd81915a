"""A 401 again after the token was replaced is an AuthenticationError that says so."""

from __future__ import annotations

import logging

import httpx
import pytest

from iqp_wrapper import AuthenticationError, IAMAuth
from iqp_wrapper.transport.network import Network
from tests.wrapper.fakes import SyncAndAsync

from .fakes import API_KEY, API_URL, IAM_URL, iam_body

BODY = {"errors": [{"code": "1201", "message": "Invalid token", "more_info": ""}], "trace": "test-trace-401"}


def rejecting_client(calls: list[str]) -> httpx.Client:
    def iam(request: httpx.Request) -> httpx.Response:
        calls.append("iam")
        return httpx.Response(200, json=iam_body(len(calls)))

    def api(request: httpx.Request) -> httpx.Response:
        calls.append("api")
        return httpx.Response(401, json=BODY)

    async def iam_async(request: httpx.Request) -> httpx.Response:
        return iam(request)

    network = Network(
        fixed_transport=SyncAndAsync(httpx.MockTransport(iam), httpx.MockTransport(iam_async)),
    )
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network)
    return httpx.Client(transport=httpx.MockTransport(api), auth=auth)


def test_two_401s_raise_one_error_naming_both(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []
    with (
        caplog.at_level(logging.INFO, logger="iqp_wrapper.auth.flow"),
        pytest.raises(AuthenticationError) as caught,
    ):
        rejecting_client(calls).get(f"{API_URL}/v1/jobs")
    error = caught.value
    assert str(error) == (
        "The API answered 401 again after the IAM token was replaced: "
        "HTTP 401 Unauthorized: Invalid token (1201) [trace test-trace-401]"
    )
    assert (error.status_code, error.trace, error.errors[0].code) == (401, "test-trace-401", "1201")
    assert calls == ["iam", "api", "iam", "api"]
    assert "the API answered 401; refreshing the IAM token and resending" in caplog.messages


async def test_two_401s_raise_the_same_error_async(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []
    sync_client = rejecting_client(calls)
    auth = sync_client.auth

    async def api(request: httpx.Request) -> httpx.Response:
        calls.append("api")
        return httpx.Response(401, json=BODY)

    async with httpx.AsyncClient(transport=httpx.MockTransport(api), auth=auth) as http:
        with (
            caplog.at_level(logging.INFO, logger="iqp_wrapper.auth.flow"),
            pytest.raises(AuthenticationError) as caught,
        ):
            await http.get(f"{API_URL}/v1/jobs")
    assert str(caught.value).startswith("The API answered 401 again after the IAM token was replaced: ")
    assert calls == ["iam", "api", "iam", "api"]
    assert "the API answered 401; refreshing the IAM token and resending" in caplog.messages
