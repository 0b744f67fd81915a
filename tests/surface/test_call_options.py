"""Per-call ``timeout=`` (the whole call's deadline) and ``extra_headers=`` on every method."""

from __future__ import annotations

import inspect
import time
from typing import Any

import httpx
import pytest

from iqp_api.resources import AsyncResourceClient, ResourceClient
from iqp_wrapper.transport._deadline import DEADLINE

from .scripted import JOB, json_answer, scripted, scripted_async

CLIENT_TIMEOUT = 30.0


class Seen:
    """What each API request carried: its headers, timeouts and deadline."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return json_answer(200, JOB)

    def left(self) -> float:
        return float(self.requests[-1].extensions[DEADLINE]) - time.monotonic()

    def timeouts(self) -> dict[str, Any]:
        return dict(self.requests[-1].extensions["timeout"])


def test_a_per_call_timeout_is_that_calls_whole_deadline() -> None:
    seen = Seen()
    client = scripted(seen, timeout=CLIENT_TIMEOUT)
    client.jobs.get("job-1")
    assert 25 < seen.left() <= CLIENT_TIMEOUT
    client.jobs.get("job-1", timeout=0.5)
    assert 0 < seen.left() <= 0.5
    assert all(value is not None and value <= 0.5 for value in seen.timeouts().values())
    client.jobs.get("job-1", timeout=httpx.Timeout(2.0, connect=1.0))
    assert 1 < seen.left() <= 2.0
    client.jobs.get("job-1")  # the next call is back to the client's
    assert seen.left() > 25


def test_timeout_none_means_no_deadline_for_that_call() -> None:
    seen = Seen()
    client = scripted(seen, timeout=CLIENT_TIMEOUT)
    client.jobs.get("job-1", timeout=None)
    assert DEADLINE not in seen.requests[-1].extensions


def test_extra_headers_reach_the_request_and_keep_the_required_ones() -> None:
    seen = Seen()
    client = scripted(seen)
    client.jobs.get("job-1", extra_headers={"X-Trace": "t-1"})
    headers = seen.requests[-1].headers
    assert headers["X-Trace"] == "t-1"
    assert headers["Service-CRN"] and headers["IBM-API-Version"] and headers["Authorization"]
    client.jobs.get("job-1")
    assert "X-Trace" not in seen.requests[-1].headers  # per call, not sticky
    client.jobs.with_raw_response.get("job-1", extra_headers={"X-Raw": "1"}, timeout=0.5)
    assert seen.requests[-1].headers["X-Raw"] == "1"
    assert seen.left() <= 0.5


def test_an_operations_own_header_parameter_survives_extra_headers() -> None:
    seen = Seen()
    client = scripted(lambda r: (seen(r), httpx.Response(204))[1])
    client.jobs.cancel("job-1", parent_job_id="parent-1", extra_headers={"X-Other": "o"})
    headers = seen.requests[-1].headers
    assert headers["Parent-Job-Id"] == "parent-1"
    assert headers["X-Other"] == "o"


async def test_async_methods_take_the_same_options() -> None:
    seen = Seen()
    async with scripted_async(seen, timeout=CLIENT_TIMEOUT) as client:
        await client.jobs.get("job-1", timeout=0.5, extra_headers={"X-Trace": "a"})
        assert seen.requests[-1].headers["X-Trace"] == "a"
        assert 0 < seen.left() <= 0.5


@pytest.mark.parametrize("client_class", [ResourceClient, AsyncResourceClient])
def test_every_generated_method_takes_timeout_and_extra_headers(client_class: type[Any]) -> None:
    checked = 0
    client = scripted(Seen()) if client_class is ResourceClient else scripted_async(Seen())
    for name, prop in inspect.getmembers(client_class, lambda m: isinstance(m, property)):
        namespace = prop.fget(client)
        for variant in (namespace, namespace.with_raw_response):
            for method_name, method in inspect.getmembers(variant, inspect.ismethod):
                if method_name.startswith("_"):
                    continue
                parameters = inspect.signature(method).parameters
                assert parameters["timeout"].kind is inspect.Parameter.KEYWORD_ONLY, (name, method_name)
                assert parameters["extra_headers"].kind is inspect.Parameter.KEYWORD_ONLY
                checked += 1
    assert checked >= 60  # 30 operations, each plain and raw
