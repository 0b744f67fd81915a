"""AiohttpTransport under an httpx client: what crosses the wire, and what comes back.

Against a raw server on 127.0.0.1 that records requests byte for byte: the request goes
out as httpx built it (headers in order and repeated, bodies whole or chunked, nothing
added), the answer comes back as the server sent it (repeated headers, undecoded bodies
that httpx decodes), and aiohttp's failures arrive as the httpx errors the retry layer
decides on.
"""

from __future__ import annotations

import asyncio
import gzip
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from iqp_wrapper.errors import APIConnectionError
from iqp_wrapper.transport.aiohttp_transport import PRELOAD_LIMIT, AiohttpTransport
from iqp_wrapper.transport.network import Network
from iqp_wrapper.transport.retry import RetryPolicy, RetryTransport

from .conftest import OK_JSON, RawServer, Received, raw_server


def client(transport: httpx.AsyncBaseTransport, **options: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=transport, **options)  # type: ignore[arg-type]


async def test_headers_go_out_as_httpx_built_them_repeats_included(server: RawServer) -> None:
    headers = httpx.Headers([("X-Tag", "one"), ("X-Tag", "two"), ("Service-CRN", "crn:v1:x")])
    async with client(AiohttpTransport()) as http:
        request = http.build_request("GET", server.url + "/v1/jobs?limit=2&tag=a%20b", headers=headers)
        response = await http.send(request)
    assert response.json() == {"ok": True}
    (got,) = server.received
    assert got.line == "GET /v1/jobs?limit=2&tag=a%20b HTTP/1.1"
    assert got.values("X-Tag") == ["one", "two"]
    # Nothing added or dropped: the same names, in the order httpx put them.
    sent = [name.lower() for name, _ in request.headers.multi_items()]
    assert [name.lower() for name, _ in got.headers] == sent


async def test_repeated_response_headers_and_the_status_come_back(server: RawServer) -> None:
    server.answer = lambda _: (
        b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nX-Seen: a\r\nX-Seen: b\r\n"
        b"Content-Length: 2\r\n\r\n{}"
    )
    async with client(AiohttpTransport()) as http:
        response = await http.get(server.url + "/x")
    assert response.status_code == 429
    assert response.reason_phrase == "Too Many Requests"
    assert response.headers.get_list("x-seen") == ["a", "b"]
    assert response.headers["retry-after"] == "3"
    assert response.http_version == "HTTP/1.1"


async def test_a_gzip_body_is_decoded_once_by_httpx(server: RawServer) -> None:
    packed = gzip.compress(b'{"jobs": []}')
    server.answer = lambda _: (
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(packed) + packed
    )
    async with client(AiohttpTransport()) as http:
        response = await http.get(server.url + "/v1/jobs")
    assert response.json() == {"jobs": []}


async def test_a_body_is_sent_whole_and_a_streamed_one_chunked(server: RawServer) -> None:
    async def parts() -> AsyncIterator[bytes]:
        for part in (b'{"a":', b" 1", b"}"):
            yield part

    async with client(AiohttpTransport()) as http:
        await http.post(server.url + "/v1/jobs", json={"program_id": "sampler"})
        await http.post(server.url + "/upload", content=parts())
    whole, streamed = server.received
    assert whole.body == b'{"program_id":"sampler"}'
    assert whole.values("Content-Length") == [str(len(whole.body))]
    assert whole.values("Content-Type") == ["application/json"]
    assert streamed.body == b'{"a": 1}'
    assert streamed.values("Transfer-Encoding") == ["chunked"]
    assert streamed.values("Content-Type") == []  # aiohttp's octet-stream default is not added


async def test_connection_refused_is_a_connect_error() -> None:
    async with raw_server() as gone:
        url = gone.url
    async with client(AiohttpTransport()) as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(url + "/x")


async def test_no_answer_is_a_read_timeout(server: RawServer) -> None:
    server.answer = lambda _: None
    async with client(AiohttpTransport(), timeout=httpx.Timeout(5.0, read=0.2)) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.get(server.url + "/x")


async def test_a_body_cut_short_is_a_remote_protocol_error(server: RawServer) -> None:
    server.answer = lambda _: b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"
    server.close_after = lambda _: True
    async with client(AiohttpTransport()) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get(server.url + "/x")


async def test_a_get_cut_off_before_its_answer_is_retried_a_post_is_not(server: RawServer) -> None:
    to_cut, cut = ["/get-1", "/post-1"], []  # the first request to each: no answer, closed

    def answer(request: Received) -> bytes:
        path = request.line.split()[1]
        if path in to_cut:
            to_cut.remove(path)
            cut.append(request)
            return b""
        return OK_JSON

    server.answer = answer
    server.close_after = lambda request: any(request is dropped for dropped in cut)
    policy = RetryPolicy(max_attempts=3, backoff=0.0, max_backoff=0.0)
    retrying = RetryTransport(httpx.HTTPTransport(), AiohttpTransport(), policy=policy)
    async with client(retrying) as http:
        response = await http.get(server.url + "/get-1")
        assert response.json() == {"ok": True}
        with pytest.raises(APIConnectionError) as caught:  # the retry layer types it
            await http.post(server.url + "/post-1", content=b"{}")
    assert caught.value.may_have_reached_server
    assert "RemoteProtocolError" in caught.value.detail
    lines = [got.line.split()[:2] for got in server.received]
    assert lines == [["GET", "/get-1"], ["GET", "/get-1"], ["POST", "/post-1"]]


async def test_one_session_serves_every_call_and_aclose_closes_it(server: RawServer) -> None:
    transport = AiohttpTransport()
    async with client(transport) as http:
        await asyncio.gather(*(http.get(server.url + f"/x{n}") for n in range(20)))
        session = transport._session
        await http.get(server.url + "/y")
        assert transport._session is session
    assert session is not None and session.closed
    assert server.connections <= 20  # connections are pooled and reused


def test_a_new_event_loop_gets_a_new_session() -> None:
    transport = AiohttpTransport()
    http = client(transport)

    async def call() -> int:
        async with raw_server() as server:
            return (await http.get(server.url + "/x")).status_code

    assert asyncio.run(call()) == 200
    assert asyncio.run(call()) == 200  # the first loop's session is not reused here


async def test_a_proxy_gets_the_absolute_url_and_its_credentials(server: RawServer) -> None:
    network = Network(proxies={"http": server.url.replace("http://", "http://user:s3cret@")}, trust_env=False)
    transport = AiohttpTransport.for_network(network, "http://api.example.test/api")
    assert "s3cret" not in repr(transport)
    async with client(transport) as http:
        await http.get("http://api.example.test/api/v1/jobs")
    (got,) = server.received
    assert got.line == "GET http://api.example.test/api/v1/jobs HTTP/1.1"
    assert got.values("Proxy-Authorization") == ["Basic dXNlcjpzM2NyZXQ="]  # user:s3cret


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


async def test_tls_verifies_and_a_failure_is_a_connect_error_caused_by_the_certificate(
    certificate: tuple[Path, Path],
) -> None:
    cert, key = certificate
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    async with raw_server(tls=served) as server:
        async with client(AiohttpTransport(verify=trusting)) as http:
            assert (await http.get(server.url + "/x")).json() == {"ok": True}
        strict = RetryTransport(httpx.HTTPTransport(), AiohttpTransport(verify=True), policy=RetryPolicy())
        async with client(strict) as http:
            with pytest.raises(APIConnectionError) as caught:  # typed by the retry layer
                await http.get(server.url + "/x")
    assert not caught.value.may_have_reached_server
    assert "ConnectError" in caught.value.detail and "CERTIFICATE_VERIFY_FAILED" in caught.value.detail
    assert len(server.received) == 1  # the trusting call; the failed one was not retried


@pytest.mark.parametrize("size", [10, PRELOAD_LIMIT, PRELOAD_LIMIT + 1, 300_000])
async def test_short_bodies_are_read_at_once_and_long_ones_streamed(server: RawServer, size: int) -> None:
    payload = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    server.answer = lambda _: b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size + payload
    transport = AiohttpTransport()
    response = await transport.handle_async_request(httpx.Request("GET", server.url + "/big"))
    streamed = not isinstance(response.stream, httpx.ByteStream)
    assert b"".join([chunk async for chunk in response.aiter_raw()]) == payload
    await response.aclose()
    await transport.aclose()
    assert streamed == (size > PRELOAD_LIMIT)


async def test_a_chunked_answer_of_unknown_length_is_streamed(server: RawServer) -> None:
    server.answer = lambda _: (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )
    async with client(AiohttpTransport()) as http:
        response = await http.get(server.url + "/chunked")
    assert response.content == b"hello world"


async def test_a_drip_fed_answer_ends_at_the_calls_deadline() -> None:
    # Each byte arrives well within the read timeout, so only the whole-call deadline
    # (connect(timeout=...)) can end this: aiohttp's total timeout carries it.
    async def dripping(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(1000):
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.02)

    server = await asyncio.start_server(dripping, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    policy = RetryPolicy(max_attempts=1)
    transport = RetryTransport(httpx.HTTPTransport(), AiohttpTransport(), policy=policy)
    loop = asyncio.get_running_loop()
    async with client(transport, timeout=httpx.Timeout(0.5)) as http:
        began = loop.time()
        with pytest.raises(APIConnectionError) as caught:
            await http.get(f"http://127.0.0.1:{port}/v1/jobs/x")
        took = loop.time() - began
    server.close()
    assert isinstance(caught.value, TimeoutError) and caught.value.may_have_reached_server
    assert took < 3.0  # the drip alone would take 20 s


async def test_a_short_compressed_body_is_streamed_so_the_cap_can_count_it(server: RawServer) -> None:
    # 64 KiB of gzip can inflate to 64 MB: preloaded, httpx would inflate it at once.
    payload = gzip.compress(b"\0" * (8 << 20))
    assert len(payload) <= PRELOAD_LIMIT
    head = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(payload)
    server.answer = lambda _: head + payload
    transport = AiohttpTransport()
    response = await transport.handle_async_request(httpx.Request("GET", server.url + "/bomb"))
    assert not isinstance(response.stream, httpx.ByteStream)
    assert b"".join([chunk async for chunk in response.aiter_raw()]) == payload
    await response.aclose()
    await transport.aclose()
