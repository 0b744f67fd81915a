"""The leanest HTTP/1.1 server asyncio allows, for when nginx is not installed.

    python -m benchmarks.lean_server BODIES.json   # prints {"url": ...} on one line

BODIES.json holds ``{"token": ..., "job": ...}`` (JSON texts): ``POST /identity/token``
gets the token, every other request the job. One asyncio Protocol per connection: no
streams, no parsing beyond finding the end of each request; keep-alive, pipelining, Nagle
off. It serves on 127.0.0.1 until its standard input closes, in its own process so that
its CPU is not counted as the client's.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from pathlib import Path

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"


def answer(body: str) -> bytes:
    data = body.encode()
    return HEAD % len(data) + data


class Connection(asyncio.Protocol):
    def __init__(self, token: bytes, job: bytes) -> None:
        self._token, self._job = token, job
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer + data if self._buffer else data
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head = buffer[:end]
            length = _content_length(head)
            if len(buffer) < end + 4 + length:
                break
            buffer = buffer[end + 4 + length :]
            target = head.split(b" ", 2)[1]
            assert self._transport is not None
            self._transport.write(self._token if target.endswith(b"/identity/token") else self._job)
        self._buffer = buffer


def _content_length(head: bytes) -> int:
    at = head.lower().find(b"\r\ncontent-length:")
    if at < 0:
        return 0
    return int(head[at + 17 :].split(b"\r\n", 1)[0])


async def serve(bodies: dict[str, str]) -> None:
    token, job = answer(bodies["token"]), answer(bodies["job"])
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Connection(token, job), "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"url": f"http://127.0.0.1:{port}"}), flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
    server.close()


def main(argv: list[str]) -> int:
    asyncio.run(serve(json.loads(Path(argv[1]).read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
