"""Fixtures for the fake's tests: a service on a manual clock, and ``api``, which reaches it
in each of four ways (in process or over HTTP on 127.0.0.1, sync or async client).

Tests are written once as ``async def`` against ``Api``; a sync mode calls the blocking
httpx client inside the coroutine (the HTTP server runs in its own thread, so that is
fine), so each behaviour is checked the four ways.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeServer, FakeService, ManualClock
from iqp_wrapper.testing.fake.iam import GRANT_TYPE

MODES = ("inproc-sync", "inproc-async", "http-sync", "http-async")


class Api:
    """One way of reaching a FakeService; every call is a coroutine."""

    def __init__(self, service: FakeService, mode: str, server: FakeServer | None) -> None:
        self.service = service
        self.mode = mode
        self.server = server
        self.url = server.url if server else service.url
        self.iam_url = server.iam_url if server else service.iam_url
        self.is_async = mode.endswith("async")
        self.over_http = server is not None
        kwargs: dict[str, Any] = {"timeout": 5.0}
        if server is None:
            kwargs["transport"] = service.transport()
        self._sync = None if self.is_async else httpx.Client(**kwargs)
        self._async = httpx.AsyncClient(**kwargs) if self.is_async else None
        self._token: str | None = None

    @property
    def token(self) -> str:
        """A valid token, issued directly (IAM itself is tested through ``iam``)."""
        if self._token is None:
            self._token = self.service.issue_token()
        return self._token

    def headers(self, **overrides: str | None) -> dict[str, str]:
        """Authorization, Service-CRN and IBM-API-Version, with overrides (None drops one)."""
        headers: dict[str, str | None] = {
            "Authorization": f"Bearer {self.token}",
            "Service-CRN": self.service.crn,
            "IBM-API-Version": self.service.live_version,
        }
        headers.update({name.replace("_", "-"): value for name, value in overrides.items()})
        return {name: value for name, value in headers.items() if value is not None}

    async def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send one request to an absolute URL."""
        if self._async is not None:
            return await self._async.request(method, url, **kwargs)
        assert self._sync is not None
        return self._sync.request(method, url, **kwargs)

    async def call(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """An API call (``path`` under the base URL) with the standard headers."""
        return await self.send(
            method, self.url + path, headers=self.headers() if headers is None else headers, **kwargs
        )

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.call("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.call("POST", path, **kwargs)

    async def iam(self, apikey: str | None = DEFAULT_API_KEY, **form: str) -> httpx.Response:
        """A token request to IAM."""
        data = {"grant_type": GRANT_TYPE, **form}
        if apikey is not None:
            data["apikey"] = apikey
        return await self.send(
            "POST", self.iam_url + "/identity/token", data=data, headers={"Accept": "application/json"}
        )

    async def submit(self, **fields: Any) -> str:
        """Create a job (sampler on fake_heron unless told otherwise) and return its ID."""
        body = {"program_id": "sampler", "backend": "fake_heron", **fields}
        response = await self.post("/v1/jobs", json=body)
        assert response.status_code == 200, response.text
        job_id = response.json()["id"]
        assert isinstance(job_id, str)
        return job_id

    async def close(self) -> None:
        if self._async is not None:
            await self._async.aclose()
        if self._sync is not None:
            self._sync.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def service(clock: ManualClock) -> FakeService:
    return FakeService(clock=clock, seed=7)


@pytest.fixture
def served(service: FakeService) -> Iterator[FakeServer]:
    with service.serve() as server:
        yield server


@pytest.fixture(params=MODES)
async def api(request: pytest.FixtureRequest, service: FakeService) -> AsyncIterator[Api]:
    mode: str = request.param
    server = service.serve() if mode.startswith("http") else None
    client = Api(service, mode, server)
    try:
        yield client
    finally:
        await client.close()
        if server is not None:
            server.stop()
