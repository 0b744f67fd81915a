"""A raw HTTP/1.1 server on 127.0.0.1 (port 0) that records what arrives, byte for byte.

The transport tests need to see the request exactly as it crossed the wire (header
order and repeats, chunked bodies, the request line a proxy receives) and to answer with
exactly chosen bytes (repeated headers, gzip, no answer at all).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest

OK_JSON = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'


@dataclass
class Received:
    """One request as it arrived: the request line, the header pairs in order, the body."""

    line: str
    headers: list[tuple[str, str]]
    body: bytes

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


@dataclass
class RawServer:
    url: str
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    # What to answer to each request; None: never answer (for read timeouts).
    answer: Callable[[Received], bytes | None] = lambda _: OK_JSON
    # Whether to close the connection after answering: a cut-short body, a reset.
    close_after: Callable[[Received], bool] = lambda _: False


async def _read_request(reader: asyncio.StreamReader) -> Received:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    line, *rest = head.split("\r\n")
    headers = [tuple(part.strip() for part in item.split(":", 1)) for item in rest if item]
    pairs = [(key, value) for key, value in headers]
    names = {key.lower(): value for key, value in pairs}
    body = b""
    if "content-length" in names:
        body = await reader.readexactly(int(names["content-length"]))
    elif names.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    return Received(line, pairs, body)


@contextlib.asynccontextmanager
async def raw_server(tls: ssl.SSLContext | None = None) -> AsyncIterator[RawServer]:
    state = RawServer(url="")
    stop = asyncio.Event()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state.connections += 1
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            while True:
                request = await _read_request(reader)
                state.received.append(request)
                reply = state.answer(request)
                if reply is None:
                    await stop.wait()  # hold the connection open, unanswered, until teardown
                    break
                writer.write(reply)
                await writer.drain()
                if state.close_after(request):
                    break
        writer.close()

    server = await asyncio.start_server(connection, "127.0.0.1", 0, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    state.url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    try:
        yield state
    finally:
        stop.set()
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 1.0)


@pytest.fixture
async def server() -> AsyncIterator[RawServer]:
    async with raw_server() as running:
        yield running
