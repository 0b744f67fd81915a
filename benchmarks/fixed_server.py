"""A loopback HTTP server that answers with fixed bodies, to time clients and not a server.

    python -m benchmarks.fixed_server PAYLOADS.json   # prints one JSON line, like fake_server

The fake does real work per request (the 200-job page alone takes it about 2 ms to
build), which over loopback hides what the clients cost. This server answers from
memory, on one asyncio loop in its own process: HTTP/1.1 with keep-alive, each answer in
one write, Nagle off. The same bodies as the in-process MockTransport: IAM's token on
``/identity/token``, the 200-job page on ``.../v1/jobs``, the job anywhere else. It
serves until its standard input closes.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from pathlib import Path

from benchmarks.payloads import Payloads

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"


def answers(payloads: Payloads) -> tuple[bytes, bytes, bytes]:
    token, job, jobs = (text.encode() for text in (payloads.token, payloads.job, payloads.jobs))
    return HEAD % len(token) + token, HEAD % len(job) + job, HEAD % len(jobs) + jobs


async def serve(payloads: Payloads) -> None:
    token, job, jobs = answers(payloads)

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                target = head.split(b" ", 2)[1].split(b"?", 1)[0]
                for line in head.lower().split(b"\r\n"):
                    if line.startswith(b"content-length:"):
                        await reader.readexactly(int(line.split(b":", 1)[1]))
                body = (
                    token
                    if target.endswith(b"/identity/token")
                    else jobs
                    if target.endswith(b"/v1/jobs")
                    else job
                )
                writer.write(body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(connection, "127.0.0.1", 0, backlog=256)
    port = server.sockets[0].getsockname()[1]
    info = {
        "url": f"http://127.0.0.1:{port}/api",
        "iam_url": f"http://127.0.0.1:{port}",
        "job_id": payloads.job_id,
        "crn": payloads.crn,
        "api_key": "fake-key-ok",
    }
    print(json.dumps(info), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
    server.close()


def main(argv: list[str]) -> int:
    fields = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    asyncio.run(serve(Payloads(**fields)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
