"""A loopback stand-in for IAM and the Runtime API that records what a client sends.

It answers just enough for qiskit-ibm-runtime to build its requests (a token, the bundled
backend snapshots, a session id, a job id) and keeps every request it receives, so the
corpus holds the bodies qiskit-ibm-runtime really puts on the wire, not our guess of them.
Stdlib only: it runs inside the qiskit virtual environment, never inside iqp-wrapper.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _unsigned_jwt(now: int) -> str:
    # IBM's token manager reads iat/exp out of the token, so it has to look like a JWT.
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return ".".join([part({"alg": "none"}), part({"iat": now, "exp": now + 3600}), "recorded"])


class Recorder:
    def __init__(self, backends: dict[str, dict[str, Any]]) -> None:
        # backends: name -> {"configuration": ..., "properties": ... or None}
        self.backends = backends
        self.requests: list[dict[str, Any]] = []
        self._counter = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def bodies(self, method: str, path: str) -> list[Any]:
        return [r["body"] for r in self.requests if r["method"] == method and r["path"] == path]

    def _next_id(self, prefix: str) -> str:
        with self._lock:
            self._counter += 1
            return f"{prefix}{self._counter:04d}recorded"

    def _answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        if method == "POST" and path == "/identity/token":
            now = int(time.time())
            token = {"access_token": _unsigned_jwt(now), "token_type": "Bearer"}
            return 200, {**token, "expires_in": 3600, "expiration": now + 3600}
        parts = [p for p in path.split("?")[0].split("/") if p]
        if parts[:2] == ["api", "v1"]:
            parts = parts[2:]
        if method == "GET" and parts == ["backends"]:
            devices = [{"name": name, "status": {"name": "online"}} for name in self.backends]
            return 200, {"devices": devices}
        if len(parts) == 3 and parts[0] == "backends" and parts[1] in self.backends:
            snapshot = self.backends[parts[1]]
            if parts[2] == "configuration":
                return 200, snapshot["configuration"]
            if parts[2] == "properties" and snapshot.get("properties") is not None:
                return 200, snapshot["properties"]
            if parts[2] == "status":
                return 200, {
                    "state": True,
                    "status": "active",
                    "message": "",
                    "length_queue": 0,
                    "backend_version": "1.0.0",
                    "name": parts[1],
                }
        if method == "GET" and parts == ["instances", "usage"]:
            return 200, {
                "instance_id": "recorded",
                "plan_id": "open",
                "usage_consumed_seconds": 0,
                "usage_limit_seconds": 600,
                "usage_remaining_seconds": 600,
                "usage_limit_reached": False,
                "usage_period": {},
            }
        if method == "POST" and parts == ["sessions"]:
            return 200, {"id": self._next_id("session"), **(body or {})}
        if method in ("PATCH", "DELETE") and parts[:1] == ["sessions"]:
            return 204, None
        if method == "POST" and parts == ["jobs"]:
            return 200, {"id": self._next_id("job"), "backend": (body or {}).get("backend")}
        return 404, {"errors": [{"code": "not_found", "message": f"recorder: {method} {path}"}]}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body: Any = None
                if raw:
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        body = raw.decode("utf-8", "replace")
                path = self.path.split("?")[0]
                recorder.requests.append({"method": self.command, "path": path, "body": body})
                status, answer = recorder._answer(self.command, self.path, body)
                data = b"" if answer is None else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_DELETE = _serve

            def log_message(self, *args: object) -> None:
                pass

        return Handler
