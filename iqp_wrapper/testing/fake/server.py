"""The fake over real HTTP: a stdlib server on 127.0.0.1, in a thread, started from Python.

One server answers both IAM (``{iam_url}/identity/token``, at the root) and the API
(``{url}``, under the base path). HTTP/1.1 with keep-alive. Each answer leaves in one
write with Nagle's algorithm off: writing the head and the body separately would make a
keep-alive client wait for a delayed ACK (about 40 ms) on every request.

Faults: a delay is waited out in the connection's thread (cut short by ``stop``); a drop
closes the connection unanswered; ``drop_connections`` closes every open connection,
as a network blip would.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, unquote, urlsplit

from iqp_wrapper.testing.fake.app import FakeApp
from iqp_wrapper.testing.fake.wire import JSON, Request, Response

LOOPBACK = "127.0.0.1"
_log = logging.getLogger(__name__)
_NO_BODY = frozenset({204, 304})


class FakeServer:
    """A running (once started) HTTP server for one FakeApp. Use it as a context manager."""

    def __init__(self, app: FakeApp, *, port: int = 0) -> None:
        self._app = app
        self._port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FakeServer:
        """Bind 127.0.0.1 (``port`` 0 picks a free one) and serve in a daemon thread."""
        if self._httpd is not None:
            raise RuntimeError("the fake server is already running")
        httpd = _HTTPServer((LOOPBACK, self._port), _Handler, self._app)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, name="iqp-fake-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close every connection, and wait for the server thread."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._httpd = self._thread = None
        httpd.stopping.set()
        httpd.shutdown()
        httpd.drop_connections()
        httpd.server_close()
        if thread is not None:
            thread.join()

    @property
    def port(self) -> int:
        """The bound port."""
        return self._running().server_address[1]

    @property
    def iam_url(self) -> str:
        """The IAM URL to give a client (the token path is appended by the client)."""
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def url(self) -> str:
        """The API base URL to give a client."""
        return f"http://{LOOPBACK}:{self.port}{self._app.base_path}"

    def drop_connections(self) -> int:
        """Close every open client connection now; returns how many there were."""
        return self._running().drop_connections()

    def connections(self) -> list[socket.socket]:
        """The open client connections (server side), for inspection."""
        return self._running().open_connections()

    def _running(self) -> _HTTPServer:
        if self._httpd is None:
            raise RuntimeError("the fake server is not running")
        return self._httpd

    def __enter__(self) -> FakeServer:
        if self._httpd is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._httpd is not None else "stopped"
        return f"FakeServer({where})"


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The stdlib's listen backlog of 5 drops connections when dozens of clients connect at
    # once (load tests, 64 threads); each dropped client then waits seconds to retry.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[_Handler], app: FakeApp) -> None:
        self.app = app
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def track(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def open_connections(self) -> list[socket.socket]:
        with self._connections_lock:
            return list(self._connections)

    def drop_connections(self) -> int:
        connections = self.open_connections()
        for connection in connections:
            _shut(connection)
        return len(connections)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "iqp-fake"
    timeout = 120  # an idle keep-alive connection is closed after this
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except (OSError, ValueError):
            self.close_connection = True
            return
        target = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=unquote(target.path),
            query=tuple(parse_qsl(target.query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        try:
            answer = self.server.app.handle(request)
        except Exception:  # a bug in the fake must not hang the client
            _log.exception("the fake failed to answer %s %s", request.method, request.path)
            answer = Response(500, (("Content-Type", JSON),), b'{"errors":[{"code":"fake_bug"}],"trace":"-"}')
        if answer.delay > 0 and self.server.stopping.wait(answer.delay):
            answer = Response(0, drop=True)
        if answer.drop:
            self.close_connection = True
            _shut(self.connection)
            return
        try:
            self.wfile.write(encode(answer, close=self.close_connection))
        except OSError:
            self.close_connection = True

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def log_message(self, format: str, *args: object) -> None:
        _log.debug("%s %s", self.address_string(), format % args)


def encode(answer: Response, *, close: bool) -> bytes:
    """The whole HTTP/1.1 response (head and body) as one buffer."""
    try:
        reason = HTTPStatus(answer.status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {answer.status} {reason}", "Server: iqp-fake"]
    lines += [f"{name}: {value}" for name, value in answer.headers]
    if answer.status not in _NO_BODY:
        lines.append(f"Content-Length: {len(answer.body)}")
    if close:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head + (b"" if answer.status in _NO_BODY else answer.body)


def _shut(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
