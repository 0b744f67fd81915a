"""The in-process httpx transport: the fake without sockets, for sync and async clients.

Requests are routed by path alone, so the transport serves IAM (``/identity/token``)
and the API (under the base path) whatever host the client was given.

Faults that are about the network map onto what httpx raises for the real thing: a
dropped connection raises ``httpx.RemoteProtocolError``; a delay at least as long as the
request's read timeout raises ``httpx.ReadTimeout`` at once. A shorter delay is skipped:
in process, time is the fake's clock, and nothing here sleeps.
"""

from __future__ import annotations

import httpx

from iqp_wrapper.testing.fake.app import FakeApp
from iqp_wrapper.testing.fake.wire import Request, Response


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """For ``httpx.Client(transport=...)`` and ``httpx.AsyncClient(transport=...)`` alike."""

    def __init__(self, app: FakeApp) -> None:
        self._app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        return _to_httpx(self._app.handle(_from_httpx(request, body)), request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        return _to_httpx(self._app.handle(_from_httpx(request, body)), request)


def _from_httpx(request: httpx.Request, body: bytes) -> Request:
    return Request(
        method=request.method,
        path=request.url.path,
        query=tuple(request.url.params.multi_items()),
        headers={name.lower(): value for name, value in request.headers.items()},
        body=body,
    )


def _to_httpx(answer: Response, request: httpx.Request) -> httpx.Response:
    if answer.drop:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
    if answer.delay > 0:
        timeouts = request.extensions.get("timeout", {})
        read_timeout = timeouts.get("read") if isinstance(timeouts, dict) else None
        if isinstance(read_timeout, (int, float)) and answer.delay >= read_timeout:
            raise httpx.ReadTimeout(
                f"The fake held its answer {answer.delay:g}s, past the {read_timeout:g}s read timeout.",
                request=request,
            )
    return httpx.Response(answer.status, headers=list(answer.headers), content=answer.body, request=request)
