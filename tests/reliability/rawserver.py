"""A raw-socket HTTP/1.1 server on 127.0.0.1 (port 0) that misbehaves on purpose.

Not the project's fake: it speaks HTTP by hand, so it can do what no well-behaved server
library lets it do: reset a connection after the headers or mid-body, drip one byte at a
time, answer a success with a body that is not what the document says, inflate a gzip
bomb, redirect elsewhere. It plays IAM (``POST /identity/token``) and a small slice of the
Runtime API (jobs: create, get, list by tag), enough for the client to work against it
when no fault is scripted.

Faults are scripted per route: ``server.script("POST", "/api/v1/jobs", cut_mid_body())``
makes the next matching request get that fault; later ones get the normal answer.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import socket
import struct
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from iqp_api.api_version import API_VERSION

API_KEY = "raw-server-apikey-4b1d9e0c7a"
TOKEN_PREFIX = "raw-token-"


@dataclass
class Seen:
    """A request as it arrived."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    at: float = field(default_factory=time.monotonic)

    def json(self) -> Any:
        return json.loads(self.body)


# What answers a request: writes to the socket, returns True to keep the connection open.
Action = Callable[["RawServer", socket.socket, Seen], bool]
# What computes a normal answer: (status, JSON-able body or bytes, extra headers).
Answer = tuple[int, Any, dict[str, str]]


class RawServer:
    """The server. ``url`` is its root; ``api_url`` and ``iam_url`` are what connect() wants."""

    def __init__(self, *, expires_in: float = 3600.0) -> None:
        self.expires_in = expires_in
        self.seen: list[Seen] = []
        self.jobs: dict[str, dict[str, Any]] = {}
        self.tokens_issued = 0
        self._expiries: dict[str, float] = {}  # token -> monotonic expiry, as IAM's exp
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._scripts: list[tuple[str, re.Pattern[str], deque[Action]]] = []
        self._sockets: set[socket.socket] = set()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(256)
        self.port = self._listener.getsockname()[1]
        self._closed = False
        self._thread = threading.Thread(target=self._accept, name="rawserver", daemon=True)
        self._thread.start()

    # -- for tests ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return self.url + "/api"

    @property
    def iam_url(self) -> str:
        return self.url

    def script(self, method: str, path: str, *actions: Action) -> None:
        """The next ``len(actions)`` requests matching ``method`` and ``path`` (a regex,
        matched in full) get these actions, in order."""
        with self._lock:
            self._scripts.append((method, re.compile(path), deque(actions)))

    def count(self, method: str, path: str) -> int:
        pattern = re.compile(path)
        with self._lock:
            return sum(1 for s in self.seen if s.method == method and pattern.fullmatch(s.path))

    def requests(self, method: str, path: str) -> list[Seen]:
        pattern = re.compile(path)
        with self._lock:
            return [s for s in self.seen if s.method == method and pattern.fullmatch(s.path)]

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                _close_quietly(sock)

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the normal answers ---------------------------------------------------------------

    def answer(self, seen: Seen) -> Answer:
        """What a well-behaved service would answer."""
        if seen.method == "POST" and seen.path == "/identity/token":
            return self._token(seen)
        if seen.method == "GET" and seen.path == "/api/v1/versions":  # public, as the API's is
            return 200, {"versions": [{"version": API_VERSION, "status": "live"}]}, {}
        auth = seen.headers.get("authorization", "")
        with self._lock:
            expires = self._expiries.get(auth.removeprefix("Bearer "))
        if expires is None or time.monotonic() >= expires:  # unknown, or expired
            return 401, {"errors": [{"code": "1001", "message": "unauthorised"}]}, {}
        if seen.method == "POST" and seen.path == "/api/v1/jobs":
            return 200, self._create(seen), {}
        if seen.method == "GET" and seen.path == "/api/v1/jobs":
            tags = [t for value in seen.query.get("tags", []) for t in value.split(",") if t]
            with self._lock:
                jobs = [j for j in self.jobs.values() if all(t in j["tags"] for t in tags)]
            jobs.reverse()  # newest first, as the API lists them
            return 200, {"jobs": jobs, "offset": 0, "limit": 200, "count": len(jobs)}, {}
        if seen.method == "GET" and seen.path == "/api/v1/instances/usage":
            return 200, {"instance_id": "raw0instance", "plan_id": "open", "usage_consumed_seconds": 12.0}, {}
        match = re.fullmatch(r"/api/v1/jobs/([^/]+)", seen.path)
        if seen.method == "GET" and match:
            with self._lock:
                job = self.jobs.get(match.group(1))
            if job is None:
                return 404, {"errors": [{"code": "1291", "message": "job not found"}]}, {}
            return 200, job, {}
        return 404, {"errors": [{"code": "404", "message": "no such route here"}]}, {}

    def _token(self, seen: Seen) -> Answer:
        form = parse_qs(seen.body.decode())
        if form.get("apikey") != [API_KEY]:
            return (
                400,
                {"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."},
                {},
            )
        with self._lock:
            self.tokens_issued += 1
            n = self.tokens_issued
            if isinstance(self.expires_in, (int, float)):
                self._expiries[f"{TOKEN_PREFIX}{n}"] = time.monotonic() + self.expires_in
        now = int(time.time())
        return 200, token_body(f"{TOKEN_PREFIX}{n}", self.expires_in, now), {}

    def _create(self, seen: Seen) -> dict[str, Any]:
        body = seen.json()
        with self._lock:
            job_id = f"rawjob{next(self._ids):06d}"
            self.jobs[job_id] = {
                "id": job_id,
                "backend": body.get("backend", "ibm_fez"),
                "state": {"status": "Queued"},
                "status": "Queued",
                "program": {"id": body.get("program_id", "sampler")},
                "created": "2026-05-01T12:00:00Z",
                "cost": 0,
                "tags": list(body.get("tags", [])),
            }
        return {"id": job_id, "backend": body.get("backend", "ibm_fez")}

    # -- plumbing ---------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._sockets.add(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buffer = b""
        try:
            while not self._closed:
                seen, buffer = _read_request(conn, buffer)
                if seen is None:
                    return
                with self._lock:
                    self.seen.append(seen)
                action = self._next_action(seen)
                if not action(self, conn, seen):
                    return
        except OSError:
            return
        finally:
            with self._lock:
                self._sockets.discard(conn)
            _close_quietly(conn)

    def _next_action(self, seen: Seen) -> Action:
        with self._lock:
            for method, pattern, actions in self._scripts:
                if actions and method == seen.method and pattern.fullmatch(seen.path):
                    return actions.popleft()
        return respond()


def token_body(token: str, expires_in: Any, now: int) -> dict[str, Any]:
    return {
        "access_token": token,
        "refresh_token": "not-usable",
        "token_type": "Bearer",
        "expires_in": expires_in,
        "expiration": now + (int(expires_in) if isinstance(expires_in, int) else 3600),
    }


# -- actions ----------------------------------------------------------------------------------


def respond(answer: Answer | None = None) -> Action:
    """The normal answer (or ``answer``), whole; the connection stays open."""

    def act(server: RawServer, conn: socket.socket, seen: Seen) -> bool:
        status, body, headers = answer or server.answer(seen)
        conn.sendall(_head(status, _bytes(body), headers) + _bytes(body))
        return True

    return act


def body_bytes(content: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Action:
    """``content`` as the body, exactly; for malformed successes."""
    return respond((status, content, {"Content-Type": "application/json", **(headers or {})}))


def close_unanswered(run: bool = True) -> Action:
    """Read the request, (``run``: act on it, so a job is created), close without a word."""

    def act(server: RawServer, conn: socket.socket, seen: Seen) -> bool:
        if run:
            server.answer(seen)
        _reset(conn)
        return False

    return act


def reset_after_headers(run: bool = True) -> Action:
    """Act on the request, send the status line and headers, then reset the connection."""

    def act(server: RawServer, conn: socket.socket, seen: Seen) -> bool:
        status, body, headers = server.answer(seen) if run else (200, b"{}", {})
        conn.sendall(_head(status, _bytes(body), headers))
        _reset(conn)
        return False

    return act


def cut_mid_body(run: bool = True) -> Action:
    """Act on the request, send the headers and half the body, then reset the connection."""

    def act(server: RawServer, conn: socket.socket, seen: Seen) -> bool:
        status, body, headers = server.answer(seen) if run else (200, b'{"id": "x"}', {})
        data = _bytes(body)
        conn.sendall(_head(status, data, headers) + data[: len(data) // 2])
        time.sleep(0.05)  # let the half arrive before the reset
        _reset(conn)
        return False

    return act


def drip(every: float, headers_too: bool = False) -> Action:
    """Act on the request, then send the answer one byte every ``every`` seconds (the
    headers at once, unless ``headers_too``). Stops when the client goes away."""

    def act(server: RawServer, conn: socket.socket, seen: Seen) -> bool:
        status, body, headers = server.answer(seen)
        data = _bytes(body)
        head = _head(status, data, headers)
        payload = data if not headers_too else head + data
        if not headers_too:
            conn.sendall(head)
        for i in range(len(payload)):
            time.sleep(every)
            try:
                conn.sendall(payload[i : i + 1])
            except OSError:
                return False
        return True

    return act


def stall(seconds: float) -> Action:
    """Read the request and say nothing for ``seconds``, then close."""

    def act(server: RawServer, conn: socket.socket, seen: Seen) -> bool:
        time.sleep(seconds)
        return False

    return act


def gzip_bomb(inflated: int) -> Action:
    """A 200 whose gzip body inflates to ``inflated`` bytes of JSON-ish zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    chunk = b"0" * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(inflated // len(chunk))]
    parts.append(compressor.flush())
    blob = b"".join(parts)
    return respond((200, blob, {"Content-Encoding": "gzip", "Content-Type": "application/json"}))


def after_running(then: Action) -> Action:
    """Act on the request as the service would (a job is created), then answer with ``then``."""

    def act(server: RawServer, conn: socket.socket, seen: Seen) -> bool:
        server.answer(seen)
        return then(server, conn, seen)

    return act


def delayed(seconds: float, then: Action) -> Action:
    """Wait ``seconds``, then do ``then``: holds an exchange open while callers pile up."""

    def act(server: RawServer, conn: socket.socket, seen: Seen) -> bool:
        time.sleep(seconds)
        return then(server, conn, seen)

    return act


def echo(status: int, *, json_body: bool = True, run: bool = False) -> Action:
    """Answer ``status`` with a body that repeats the request's headers and body back, as
    some gateways and debug endpoints do: the bearer token (and, to IAM, the API key) in
    the error's message, its code and its trace, and in a response header. ``run``: act on
    the request first (a job is created)."""

    def act(server: RawServer, conn: socket.socket, seen: Seen) -> bool:
        if run:
            server.answer(seen)
        said = "; ".join(f"{name}: {value}" for name, value in seen.headers.items())
        said += " body: " + seen.body.decode("latin-1")
        token = seen.headers.get("authorization", "").removeprefix("Bearer ")
        headers = {"X-Echo": seen.headers.get("authorization", "none")}
        if not json_body:
            return respond((status, said.encode("latin-1"), {"Content-Type": "text/plain", **headers}))(
                server, conn, seen
            )
        body = {
            "errors": [{"code": token or "E0", "message": said, "more_info": token}],
            "trace": token,
            "errorCode": f"BXNIM0415E {seen.body.decode('latin-1')}",
            "errorMessage": said,
        }
        return respond((status, body, headers))(server, conn, seen)

    return act


def redirect(location: str, status: int = 307) -> Action:
    return respond((status, b"", {"Location": location}))


# -- HTTP by hand ---------------------------------------------------------------------------


def _read_request(conn: socket.socket, buffer: bytes) -> tuple[Seen | None, bytes]:
    while b"\r\n\r\n" not in buffer:
        data = conn.recv(65536)
        if not data:
            return None, b""
        buffer += data
    head, _, rest = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        data = conn.recv(65536)
        if not data:
            return None, b""
        rest += data
    body, rest = rest[:length], rest[length:]
    parts = urlsplit(target)
    return Seen(method, parts.path, parse_qs(parts.query), headers, body), rest


_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    307: "Temporary Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def _head(status: int, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}", f"Content-Length: {len(body)}"]
    if not any(name.lower() == "content-type" for name in headers):
        lines.append("Content-Type: application/json")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _bytes(body: Any) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


def _reset(conn: socket.socket) -> None:
    """Close with a TCP reset, not a polite FIN."""
    with contextlib.suppress(OSError):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    _close_quietly(conn)


def _close_quietly(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.close()
