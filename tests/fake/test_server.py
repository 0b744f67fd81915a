"""The HTTP server: loopback only, one write per answer with Nagle off, clean start/stop."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from iqp_wrapper.testing.fake import FakeServer, FakeService
from iqp_wrapper.testing.fake.server import encode
from iqp_wrapper.testing.fake.wire import Response


def test_binds_loopback_only_and_reports_its_urls(service: FakeService) -> None:
    with service.serve() as server:
        assert server.url == f"http://127.0.0.1:{server.port}/api"
        assert server.iam_url == f"http://127.0.0.1:{server.port}"
        assert repr(server) == f"FakeServer({server.url})"
        with socket.create_connection(("127.0.0.1", server.port)) as probe:
            assert probe.getpeername()[0] == "127.0.0.1"
    assert repr(server) == "FakeServer(stopped)"


def test_serves_iam_and_api_from_one_port(served: FakeServer) -> None:
    with httpx.Client() as http:
        token = http.post(
            served.iam_url + "/identity/token",
            data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": "fake-key-ok"},
        ).json()["access_token"]
        response = http.get(served.url + "/v1/versions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_connections_have_nagle_off(service: FakeService, served: FakeServer) -> None:
    with httpx.Client(base_url=served.url) as http:
        http.get("/v1/versions")
        connections = served.connections()
        assert len(connections) == 1
        assert connections[0].getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_each_answer_is_one_write(
    service: FakeService, served: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iqp_wrapper.testing.fake import server as server_module

    writes: list[bytes] = []

    class CountingWriter:
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def write(self, data: bytes) -> int:
            writes.append(bytes(data))
            return int(self._inner.write(data))

        def __getattr__(self, name: str) -> Any:
            return getattr(self._inner, name)

    original_setup = server_module._Handler.setup

    def setup(handler: Any) -> None:
        original_setup(handler)
        handler.wfile = CountingWriter(handler.wfile)

    monkeypatch.setattr(server_module._Handler, "setup", setup)
    with httpx.Client(base_url=served.url) as http:
        responses = [
            http.get(path, headers=service.headers()) for path in ("/v1/backends", "/v1/jobs", "/v1/x")
        ]
    assert [response.status_code for response in responses] == [200, 200, 404]
    assert len(writes) == 3
    for data, response in zip(writes, responses, strict=True):
        head, _, body = data.partition(b"\r\n\r\n")
        assert body == response.content
        assert b"Content-Length: %d" % len(body) in head


def test_keep_alive_requests_do_not_stall(service: FakeService, served: FakeServer) -> None:
    """50 requests on one connection: with a split head/body write and Nagle on, each
    would wait ~40 ms for a delayed ACK (2 s in all); here they take a few ms each."""
    headers = service.headers()
    with httpx.Client(base_url=served.url) as http:
        http.get("/v1/jobs", headers=headers)
        started = time.perf_counter()
        for _ in range(50):
            assert http.get("/v1/jobs", headers=headers).status_code == 200
        elapsed = time.perf_counter() - started
        assert len(served.connections()) == 1
    assert elapsed < 1.0, f"50 keep-alive requests took {elapsed:.2f}s"


def test_encode_leaves_out_the_body_of_a_204() -> None:
    data = encode(Response(204, (("X-A", "1"),), b"ignored"), close=True)
    assert data == b"HTTP/1.1 204 No Content\r\nServer: iqp-fake\r\nX-A: 1\r\nConnection: close\r\n\r\n"


def test_a_chunked_request_body_is_read(service: FakeService, served: FakeServer) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"program_id": "sampler", '
        yield b'"backend": "fake_heron"}'

    with httpx.Client(base_url=served.url) as http:
        response = http.post(
            "/v1/jobs", content=chunks(), headers={**service.headers(), "Content-Type": "application/json"}
        )
    assert response.status_code == 200, response.text


def test_stop_closes_keep_alive_connections_and_can_restart(service: FakeService) -> None:
    server = service.serve()
    port = server.port
    with httpx.Client(base_url=server.url) as http:
        assert http.get("/v1/versions").status_code == 200
        server.stop()
        server.stop()  # idempotent
        with pytest.raises(httpx.TransportError):
            http.get("/v1/versions")
    again = service.serve(port=port)
    try:
        assert again.port == port
        with httpx.Client(base_url=again.url) as http:
            assert http.get("/v1/versions").status_code == 200
    finally:
        again.stop()


def test_state_is_shared_between_in_process_and_http(service: FakeService, served: FakeServer) -> None:
    headers = service.headers()
    with httpx.Client(transport=service.transport(), base_url=service.url) as local:
        job_id = local.post(
            "/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron"}, headers=headers
        ).json()["id"]
    with httpx.Client(base_url=served.url) as remote:
        assert remote.get(f"/v1/jobs/{job_id}", headers=headers).json()["id"] == job_id


def test_a_server_cannot_start_twice(service: FakeService) -> None:
    with service.serve() as server, pytest.raises(RuntimeError):
        server.start()
    with pytest.raises(RuntimeError):
        _ = server.port


def test_many_threads_at_once(service: FakeService, served: FakeServer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    headers = service.headers()

    def burst(_: int) -> list[int]:
        with httpx.Client(base_url=served.url) as http:
            return [http.get("/v1/instance", headers=headers).status_code for _ in range(10)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [status for statuses in pool.map(burst, range(8)) for status in statuses]
    assert results == [200] * 80
    assert service.calls("get_instance") == 80
