"""A client whose API answers come from a function in the test; IAM answers itself."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from iqp_wrapper import AsyncIQPClient, IQPClient, async_connect, connect
from iqp_wrapper.transport.retry import NO_RETRIES

API_KEY = "test-key-not-real"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/test-account-not-real:test-instance-not-real::"

Handler = Callable[[httpx.Request], httpx.Response]


def _with_iam(api: Handler) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/identity/token":
            body = {"access_token": "token-not-real", "expires_in": 3600, "expiration": 2**40}
            return httpx.Response(200, json=body)
        return api(request)

    return handle


def scripted(api: Handler, **options: Any) -> IQPClient:
    """A sync client whose every API request ``api`` answers."""
    options.setdefault("retries", NO_RETRIES)
    return connect(API_KEY, service_crn=CRN, transport=httpx.MockTransport(_with_iam(api)), **options)


def scripted_async(api: Handler, **options: Any) -> AsyncIQPClient:
    """The async twin of ``scripted``."""
    options.setdefault("retries", NO_RETRIES)
    return async_connect(API_KEY, service_crn=CRN, transport=httpx.MockTransport(_with_iam(api)), **options)


def json_answer(status: int, body: Any) -> httpx.Response:
    headers = {"content-type": "application/json"}
    return httpx.Response(status, content=json.dumps(body).encode(), headers=headers)


PAYLOADS = Path(__file__).parents[1] / "fixtures" / "payloads"
JOB: dict[str, Any] = json.loads((PAYLOADS / "job_response_extra_fields.json").read_text())
"""A job as GET /v1/jobs/{id} answers it (a recorded payload)."""
