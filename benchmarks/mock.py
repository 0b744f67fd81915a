"""Clients that reach a fixed-payload httpx.MockTransport instead of the network.

The iqp client is what ``connect()`` returns, given the mock as its transport: the real
IAMAuth flow (its one IAM exchange is answered by the mock, then the token is cached),
the RetryTransport with the default policy, the fixed headers.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from benchmarks.payloads import Payloads
from iqp_api.client import AuthenticatedClient
from iqp_wrapper import IQPClient, connect
from iqp_wrapper.testing.fake import DEFAULT_API_KEY

Handler = Callable[[httpx.Request], httpx.Response]
JSON_HEADERS = {"Content-Type": "application/json"}


def handler_for(payloads: Payloads) -> Handler:
    """Answers IAM's token path, the job list and any single job with fixed bodies."""
    token, job, jobs = (text.encode() for text in (payloads.token, payloads.job, payloads.jobs))

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = token if path == "/identity/token" else jobs if path.endswith("/v1/jobs") else job
        return httpx.Response(200, headers=JSON_HEADERS, content=body)

    return answer


def iqp_client(payloads: Payloads, handler: Handler) -> IQPClient:
    """``connect(key, service_crn=...)`` with the mock as its transport, IAM's included."""
    mock = httpx.MockTransport(handler)
    return connect(DEFAULT_API_KEY, service_crn=payloads.crn, trust_env=False, transport=mock)


def static_client(payloads: Payloads, handler: Handler, base_url: str) -> AuthenticatedClient:
    """The generated client alone: a static bearer header, no IAM flow, no retries."""
    return AuthenticatedClient(
        base_url=base_url,
        token=payloads.access_token,
        headers=floor_headers(payloads, with_token=False),
        httpx_args={"transport": httpx.MockTransport(handler)},
    )


def floor_headers(payloads: Payloads, *, with_token: bool = True) -> dict[str, str]:
    """The headers an API call needs, set by hand."""
    headers = {"Service-CRN": payloads.crn, "IBM-API-Version": payloads.api_version}
    if with_token:
        headers["Authorization"] = f"Bearer {payloads.access_token}"
    return headers


def loads(response: httpx.Response) -> object:
    """The floor's parse: the body through json.loads, nothing else."""
    return json.loads(response.content)
