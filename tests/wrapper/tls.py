"""A throwaway CA and an HTTPS stand-in for IAM and the API on 127.0.0.1, for TLS tests.

The certificates are made per test session with the ``openssl`` command (nothing secret is
committed); the server answers IAM's token request and any API GET with fixed JSON.
"""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .fakes import iam_body


@dataclass(frozen=True)
class CertAuthority:
    ca_file: Path  # the CA certificate, PEM
    ca_dir: Path  # a directory holding only the CA certificate under its OpenSSL hash name
    cert_file: Path  # the server's certificate for 127.0.0.1, signed by the CA
    key_file: Path


def make_ca(where: Path) -> CertAuthority:
    """A CA and a server certificate for IP 127.0.0.1 signed by it, made with openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the TLS tests need the openssl command")
    where.mkdir(parents=True, exist_ok=True)

    def run(*args: str) -> str:
        return subprocess.run([openssl, *args], cwd=where, check=True, capture_output=True, text=True).stdout

    key = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")  # fast to make
    run("req", "-x509", *key, "-days", "2", "-subj", "/CN=iqp test CA", "-keyout", "ca.key", "-out", "ca.pem")
    run("req", *key, "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr")
    (where / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1\n", encoding="utf-8")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", "ext.cnf", "-out", "server.pem")  # fmt: skip
    subject_hash = run("x509", "-hash", "-noout", "-in", "ca.pem").strip()
    ca_dir = where / "hashed"
    ca_dir.mkdir()
    shutil.copy(where / "ca.pem", ca_dir / f"{subject_hash}.0")
    return CertAuthority(where / "ca.pem", ca_dir, where / "server.pem", where / "server.key")


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # IAM's token exchange
        self.rfile.read(int(self.headers.get("content-length", "0")))
        self._answer(iam_body(1))

    def do_GET(self) -> None:
        self._answer({"ok": True, "path": self.path})

    def _answer(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@contextmanager
def https_server(ca: CertAuthority) -> Iterator[str]:
    """Serve on https://127.0.0.1:<ephemeral port>; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(ca.cert_file, ca.key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
