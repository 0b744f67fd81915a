"""Obviously fake secrets, a fake clock and stand-ins for IAM and the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

# Obviously fake: nothing here is, or looks like, a real credential.
API_KEY = "test-key-not-real"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/test-account-not-real:test-instance-not-real::"
CRN_EU = "crn:v1:bluemix:public:quantum-computing:eu-de:a/test-account-not-real:test-instance-not-real::"
API_URL = "https://quantum.cloud.ibm.com/api"
IAM_URL = "https://iam.cloud.ibm.com"
IAM_TOKEN_URL = f"{IAM_URL}/identity/token"
OTHER_HOST_URL = "https://storage.example.test/bucket/result.json?X-Amz-Signature=test-signature-not-real"


def token(n: int) -> str:
    """The n-th fake bearer token IAM issues in a test."""
    return f"test-token-{n}-not-real"


def iam_body(n: int = 1, expires_in: float = 3600, **extra: Any) -> dict[str, Any]:
    """An IAM token answer, shaped like the real one."""
    return {
        "access_token": token(n),
        "refresh_token": "not-usable-for-this-service",
        "token_type": "Bearer",
        "expires_in": expires_in,
        "expiration": 1_700_000_000 + int(expires_in),
        **extra,
    }


class FakeClock:
    """A monotonic clock that moves only when a test says so."""

    def __init__(self, start: float = 10_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class IAMStub:
    """Answers IAM token requests with token 1, 2, 3... and counts them."""

    def __init__(self, expires_in: float = 3600) -> None:
        self.expires_in = expires_in
        self.requests: list[httpx.Request] = []

    @property
    def calls(self) -> int:
        return len(self.requests)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=iam_body(self.calls, self.expires_in))


class APIStub:
    """Answers API requests in order from ``statuses`` (the last repeats), recording
    each attempt's headers and body as sent (the request object itself is later
    mutated by the auth flow)."""

    def __init__(self, *statuses: int, body: Any = None) -> None:
        self.statuses = statuses or (200,)
        self.body = body if body is not None else {"ok": True}
        self.seen: list[tuple[dict[str, str], bytes]] = []

    @property
    def authorizations(self) -> list[str | None]:
        return [headers.get("authorization") for headers, _ in self.seen]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((dict(request.headers), request.content))
        status = self.statuses[min(len(self.seen), len(self.statuses)) - 1]
        if status == 401:
            return httpx.Response(
                401,
                json={
                    "errors": [{"code": "1201", "message": "Invalid token", "more_info": ""}],
                    "trace": "test-trace-401",
                },
            )
        if status >= 400:
            return httpx.Response(status, json={"errors": [{"message": "no"}], "trace": "t"})
        return httpx.Response(status, json=self.body)


def write_accounts(path: Path, accounts: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(accounts), encoding="utf-8")
    return path


class SyncAndAsync(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """One transport from a sync one and an async one: for a test whose fake answers each
    kind of call with a handler of its own (``connect(transport=)`` takes one transport)."""

    def __init__(self, sync: httpx.BaseTransport, asynchronous: httpx.AsyncBaseTransport) -> None:
        self._sync = sync
        self._async = asynchronous

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._sync.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._async.handle_async_request(request)
