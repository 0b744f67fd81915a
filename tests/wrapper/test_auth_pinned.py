"""IAMAuth: behaviour that mutation testing found unpinned (docs/mutation.md)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from iqp_wrapper import IAMAuth, IAMError
from iqp_wrapper.network import Network

from .fakes import API_KEY, API_URL, IAM_URL, FakeClock, iam_body, token

LIFETIME = 100.0
JOBS_URL = f"{API_URL}/v1/jobs"
REFUSED = {"errorCode": "BXNIM0438E", "errorMessage": "temporarily refused"}
INVALID = {"errors": [{"code": "1201", "message": "Invalid token"}]}


async def test_a_refresh_that_fails_after_a_401_dropped_the_token_keeps_nothing() -> None:
    """Token 1 is past its refresh point; A leads the refresh. While IAM is answering A, B's
    request with token 1 is refused (401), which drops token 1, and B waits for A's
    exchange. IAM then refuses A: token 1 is not kept as a fallback (it was dropped), and
    both calls end with IAM's error."""
    clock = FakeClock()
    calls = 0
    b_task: list[asyncio.Task[Any]] = []
    seen: list[str] = []

    async def iam(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return httpx.Response(200, json=iam_body(1, expires_in=LIFETIME))
        b_task.append(asyncio.create_task(http.get(JOBS_URL)))
        for _ in range(50):  # B is refused, drops token 1 and waits for this exchange
            await asyncio.sleep(0)
        return httpx.Response(400, json=REFUSED)

    async def api(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"].removeprefix("Bearer "))
        return httpx.Response(401 if len(seen) > 1 else 200, json=INVALID)

    network = Network(fixed_transport=httpx.MockTransport(iam))
    auth = IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network, clock=clock, timeout=600.0)
    async with httpx.AsyncClient(transport=httpx.MockTransport(api), auth=auth) as http:
        assert (await http.get(JOBS_URL)).status_code == 200
        clock.advance(80.0)  # past the refresh point (79.2 s), well before expiry (99 s)
        with pytest.raises(IAMError):
            await asyncio.wait_for(http.get(JOBS_URL), 10.0)
        assert b_task
        with pytest.raises(IAMError):
            await asyncio.wait_for(b_task[0], 10.0)
    assert seen == [token(1), token(1)]  # B's request was refused, and never resent
    assert calls == 2
