"""LeanAsyncClient and LeanClient build exactly the requests httpx builds, URL byte for byte."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import httpx
import pytest

from iqp_wrapper import connect
from iqp_wrapper.transport._lean_client import URL_CACHE, LeanAsyncClient, LeanClient

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/abc123:inst-1::"
BASES = [
    "https://quantum.cloud.ibm.com/api",
    "https://host.example:8443/a%20b/",
    "http://127.0.0.1:9/",
    "https://a.example",
    "https://a.example:8443",
    "https://user:pw@a.example/api",
    "https://a.example/api#part",
]
CASES: list[tuple[str, dict[str, object] | None]] = [
    ("/v1/jobs/abc", {"exclude_params": False}),
    ("/v1/jobs", {"limit": 10, "offset": 0, "exclude_params": True, "pending": None}),
    ("/v1/jobs", {"tags": ["a b", "c&d", "é"], "created_after": "2026-01-01T00:00:00+01:00"}),
    ("/v1/jobs/a%2Fb/results", {}),
    ("/v1/jobs/é ü/x", None),
    ("/v1/sessions/s1", {"q": "a=b;c/d?e#f", "n": 1.5}),
    # Not for the shortcut: httpx's own way, and the same result.
    ("/v1/jobs?limit=3", {"offset": 1}),
    ("//other.example/x", None),
    ("https://other.example/x", {"a": 1}),
    ("v1/jobs", None),
]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(("url", "params"), CASES)
async def test_the_same_request_as_httpx(base: str, url: str, params: dict[str, object] | None) -> None:
    options: dict[str, Any] = {"base_url": base, "headers": {"Service-CRN": CRN}, "timeout": 7.0}
    query: Any = params
    async with LeanAsyncClient(**options) as lean, httpx.AsyncClient(**options) as plain:
        ours = lean.build_request("GET", url, params=query)
        theirs = plain.build_request("GET", url, params=query)
    assert ours.url.raw_path == theirs.url.raw_path
    assert str(ours.url) == str(theirs.url)
    assert ours.headers.multi_items() == theirs.headers.multi_items()
    assert ours.extensions == theirs.extensions


async def test_client_level_params_and_a_changed_base_url_are_honoured() -> None:
    async with LeanAsyncClient(base_url="https://a.example/api", params={"k": "v"}) as lean:
        assert str(lean.build_request("GET", "/x", params={"n": 1}).url) == "https://a.example/api/x?k=v&n=1"
        lean.params = {}
        lean.base_url = "https://b.example/other"
        assert str(lean.build_request("GET", "/x").url) == "https://b.example/other/x"


def test_connect_gives_a_lean_async_client() -> None:
    client = connect("key", service_crn=CRN, trust_env=False)
    assert isinstance(client.get_async_httpx_client(), LeanAsyncClient)


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(("url", "params"), CASES)
def test_the_sync_client_builds_the_same_request_as_httpx(
    base: str, url: str, params: dict[str, object] | None
) -> None:
    options: dict[str, Any] = {"base_url": base, "headers": {"Service-CRN": CRN}, "timeout": 7.0}
    query: Any = params
    with LeanClient(**options) as lean, httpx.Client(**options) as plain:
        ours = lean.build_request("GET", url, params=query)
        theirs = plain.build_request("GET", url, params=query)
    assert str(ours.url) == str(theirs.url) and ours.url.raw_path == theirs.url.raw_path
    assert ours.headers.multi_items() == theirs.headers.multi_items()
    assert ours.extensions == theirs.extensions


def test_connect_gives_a_lean_sync_client_that_keeps_cookies_and_frees_responses() -> None:
    assert isinstance(connect("key", service_crn=CRN, trust_env=False).get_httpx_client(), LeanClient)

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/set":
            return httpx.Response(200, headers=[("Set-Cookie", "a=1; Path=/")])
        return httpx.Response(200, json={"cookie": request.headers.get("cookie")})

    with LeanClient(base_url="https://a.example", transport=httpx.MockTransport(answer)) as lean:
        lean.get("/set")
        gc.disable()
        try:
            response = lean.get("/echo")
            assert response.json() == {"cookie": "a=1"}
            gone = weakref.ref(response)
            del response
            assert gone() is None
        finally:
            gc.enable()


async def test_cookies_a_response_sets_are_kept_and_sent_back() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/set":
            return httpx.Response(200, headers=[("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; Path=/")])
        return httpx.Response(200, json={"cookie": request.headers.get("cookie")})

    transport = httpx.MockTransport(answer)
    async with LeanAsyncClient(base_url="https://a.example", transport=transport, cookies={"z": "0"}) as lean:
        await lean.get("/plain")
        await lean.get("/set")
        echoed = (await lean.get("/echo")).json()["cookie"]
        assert dict(lean.cookies) == {"z": "0", "a": "1", "b": "2"}
    assert sorted(echoed.split("; ")) == ["a=1", "b=2", "z=0"]


async def test_a_repeated_url_is_parsed_once_and_the_cache_is_bounded() -> None:
    async with LeanAsyncClient(base_url="https://a.example/api") as lean:
        first = lean.build_request("GET", "/v1/jobs/x", params={"p": True}).url
        again = lean.build_request("GET", "/v1/jobs/x", params={"p": True}).url
        assert again == first and list(lean._urls) == ["https://a.example/api/v1/jobs/x?p=true"]
        for n in range(URL_CACHE + 5):
            lean.build_request("GET", f"/v1/jobs/{n}")
        assert len(lean._urls) <= URL_CACHE


async def test_a_read_response_is_freed_without_the_garbage_collector() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"id": "j1"}))
    async with LeanAsyncClient(base_url="https://a.example", transport=transport) as lean:
        gc.disable()
        try:
            response = await lean.get("/v1/jobs/j1")
            assert response.json() == {"id": "j1"}
            assert (await response.aread()) == b'{"id":"j1"}'  # read again: the body is kept
            with pytest.raises(httpx.StreamConsumed):
                [chunk async for chunk in response.aiter_raw()]
            gone = weakref.ref(response)
            del response
            assert gone() is None  # no reference cycle left for the collector
        finally:
            gc.enable()
        async with lean.stream("GET", "/v1/jobs/j1") as streamed:  # streams are left alone
            assert b"".join([chunk async for chunk in streamed.aiter_bytes()]) == b'{"id":"j1"}'
