"""The retry transport binds each attempt's sockets to the call's deadline (docs/mutation.md).

A server on 127.0.0.1 that drips its answer a byte every 0.05 s never trips a per-read
timeout; only the whole-call deadline, which the retry transport hands to the network
backend for the attempt, ends it.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from iqp_wrapper.errors import IQPError
from iqp_wrapper.transport import _deadline
from iqp_wrapper.transport.retry import RetryPolicy, RetryTransport

from .test_deadline_pinned import SlowServer

ONE_ATTEMPT = RetryPolicy(max_attempts=1)


@pytest.fixture
def dripping() -> Iterator[SlowServer]:
    server = SlowServer(drip=0.05)  # a whole second for the body
    yield server
    server.close()


@pytest.mark.parametrize("is_async", [False, True])
async def test_an_attempt_ends_at_the_calls_deadline_however_the_answer_drips(
    dripping: SlowServer, is_async: bool
) -> None:
    with pytest.raises(IQPError):
        if is_async:
            transport = RetryTransport(
                None, _deadline.install(httpx.AsyncHTTPTransport()), policy=ONE_ATTEMPT
            )
            async with httpx.AsyncClient(transport=transport, timeout=0.3) as client:
                await client.get(dripping.url)
        else:
            transport = RetryTransport(_deadline.install(httpx.HTTPTransport()), None, policy=ONE_ATTEMPT)
            with httpx.Client(transport=transport, timeout=0.3) as client:
                client.get(dripping.url)


def test_without_a_timeout_the_drip_is_read_to_the_end(dripping: SlowServer) -> None:
    transport = RetryTransport(_deadline.install(httpx.HTTPTransport()), None, policy=ONE_ATTEMPT)
    with httpx.Client(transport=transport, timeout=None) as client:
        assert client.get(dripping.url).text == "x" * 20
