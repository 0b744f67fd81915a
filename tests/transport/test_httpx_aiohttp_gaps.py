"""Where httpx-aiohttp 0.2.0 behaves differently from our AiohttpTransport, measured.

Each test runs one scenario over both transports, against the raw server of conftest.py,
and pins what each does. They are the evidence for keeping our transport (the table in
docs/async-scaling.md): if a new httpx-aiohttp closes a gap, its test fails here and the
decision should be made again. The library is a dev dependency only.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import httpx_aiohttp
import pytest

from iqp_wrapper.errors import APIConnectionError
from iqp_wrapper.transport.aiohttp_transport import AiohttpTransport
from iqp_wrapper.transport.retry import RetryPolicy, RetryTransport

from .conftest import OK_JSON, RawServer, Received, raw_server

OURS, LIBRARY = "ours", "httpx-aiohttp"
MAKERS: dict[str, Callable[[], httpx.AsyncBaseTransport]] = {
    OURS: AiohttpTransport,
    LIBRARY: httpx_aiohttp.AiohttpTransport,
}
POLICY = RetryPolicy(max_attempts=3, backoff=0.0, max_backoff=0.0)


def retrying(which: str) -> httpx.AsyncClient:
    """An httpx client over our retry layer over ``which`` transport, as connect() builds it."""
    return httpx.AsyncClient(transport=RetryTransport(httpx.HTTPTransport(), MAKERS[which](), policy=POLICY))


def cut_first(server: RawServer, path: str, reply: bytes = b"") -> None:
    """The first request to ``path`` gets ``reply`` (nothing by default), then the connection closes."""
    cut: list[Received] = []

    def answer(request: Received) -> bytes:
        if request.line.split()[1] == path and not cut:
            cut.append(request)
            return reply
        return OK_JSON

    server.answer = answer
    server.close_after = lambda request: any(request is dropped for dropped in cut)


def sent(server: RawServer, method: str) -> int:
    return sum(1 for got in server.received if got.line.startswith(method + " "))


@pytest.mark.parametrize(("which", "posts_received"), [(OURS, 1), (LIBRARY, 2)])
async def test_a_submission_cut_off_after_it_arrived_is_resent_only_by_the_library(
    server: RawServer, which: str, posts_received: int
) -> None:
    # The server read the POST (a job may exist) and closed without answering. The library
    # calls that ConnectTimeout ("never sent"), so the retry layer sends it again: two jobs.
    cut_first(server, "/v1/jobs")
    async with retrying(which) as http:
        if which == OURS:
            with pytest.raises(APIConnectionError) as caught:
                await http.post(server.url + "/v1/jobs", content=b"{}")
            assert caught.value.may_have_reached_server and "RemoteProtocolError" in caught.value.detail
        else:
            assert (await http.post(server.url + "/v1/jobs", content=b"{}")).status_code == 200
    assert sent(server, "POST") == posts_received


@pytest.mark.parametrize(("which", "error"), [(OURS, httpx.ConnectError), (LIBRARY, httpx.ConnectTimeout)])
async def test_a_refused_connection_is_a_timeout_only_to_the_library(
    which: str, error: type[httpx.TransportError]
) -> None:
    # A refusal typed as a timeout becomes our APITimeoutError: "no answer in time".
    async with raw_server() as gone:
        url = gone.url
    async with httpx.AsyncClient(transport=MAKERS[which]()) as http:
        with pytest.raises(httpx.TransportError) as caught:
            await http.get(url + "/x")
    assert type(caught.value) is error


@pytest.mark.parametrize(("which", "values"), [(OURS, ["one", "two"]), (LIBRARY, ["one, two"])])
async def test_repeated_request_headers_are_joined_by_the_library(
    server: RawServer, which: str, values: list[str]
) -> None:
    async with httpx.AsyncClient(transport=MAKERS[which]()) as http:
        await http.get(server.url + "/x", headers=[("X-Tag", "one"), ("X-Tag", "two")])
    assert server.received[0].values("X-Tag") == values


@pytest.mark.parametrize(("which", "added"), [(OURS, []), (LIBRARY, ["application/octet-stream"])])
async def test_the_library_adds_a_content_type_to_a_streamed_body(
    server: RawServer, which: str, added: list[str]
) -> None:
    async def parts() -> AsyncIterator[bytes]:
        yield b"{}"

    async with httpx.AsyncClient(transport=MAKERS[which]()) as http:
        await http.post(server.url + "/upload", content=parts())
    assert server.received[0].values("Content-Type") == added


@pytest.mark.parametrize(("which", "second_loop_works"), [(OURS, True), (LIBRARY, False)])
def test_one_client_across_two_event_loops_works_only_with_ours(which: str, second_loop_works: bool) -> None:
    # asyncio.run() twice with one client (a notebook cell run again, a script with two runs):
    # the library keeps the first loop's aiohttp session and fails in the second.
    http = httpx.AsyncClient(transport=MAKERS[which]())

    async def call() -> int:
        async with raw_server() as server:
            return (await http.get(server.url + "/x")).status_code

    assert asyncio.run(call()) == 200
    if second_loop_works:
        assert asyncio.run(call()) == 200
    else:
        with pytest.raises(RuntimeError):
            asyncio.run(call())


def test_ci_runs_the_whole_reliability_suite_through_our_aiohttp_transport() -> None:
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "IQP_AIOHTTP_TRANSPORT=ours-everywhere" in ci
    assert "-p tests.transport.async_transport_swap tests/reliability" in ci
