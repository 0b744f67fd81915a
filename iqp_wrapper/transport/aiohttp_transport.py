"""AiohttpTransport: async requests sent by aiohttp, under httpx's transport interface.

httpx's own async connection pool (httpcore on anyio) spends more CPU per request the
more requests are in flight: past a few dozen concurrent calls its throughput falls.
aiohttp's pool does not. This transport sits where ``httpx.AsyncHTTPTransport`` would,
below the httpx client, so the auth flow, retries, timeouts, typed errors and everything
else above the wire stay exactly as they are. Only the bytes on the wire change hands.

What it keeps from httpx's semantics:
- the request goes out with httpx's headers, in their order and multiplicity, and
  nothing added (aiohttp's automatic Accept/User-Agent/Content-Type are switched off);
- the body is sent as is; the response body comes back undecoded (httpx decodes it).
  An uncompressed body of at most ``PRELOAD_LIMIT`` bytes is read here, before the response
  is handed up (so a GET whose short answer is cut off is retried like any GET that failed
  in flight); a longer or compressed one is streamed;
- no redirects, no cookies, no proxy or TLS settings from the environment: httpx's client
  and our Network settings decide those;
- the request's timeout (httpx's ``timeout`` extension) becomes aiohttp's: connect and
  pool waits as the connect timeout, read as the socket read timeout. aiohttp has no write
  timeout; a stalled write is caught by the read timeout that follows it;
- the call's whole deadline (``_deadline``: ``timeout`` bounds a call from start to end)
  becomes aiohttp's total timeout, covering the answer's body too. httpx's own transport
  gets it from a network backend under httpcore, which aiohttp does not use: without this
  a server that drips a byte at a time would hold a call far past its ``timeout``;
- aiohttp's errors become httpx's (``ConnectError``, ``ConnectTimeout``, ``ReadTimeout``,
  ``RemoteProtocolError``...), so the retry layer decides exactly as it does for httpx.

One aiohttp session per transport, made on first use in the running event loop (an
aiohttp session belongs to the loop it was made in) and closed by ``aclose()``.

Why not httpx-aiohttp, the maintained package that does the same (weighed at 0.2.0;
docs/async-scaling.md has the table, tests/transport/test_httpx_aiohttp_gaps.py pins it):
it reports a connection closed after the request went out as ``httpx.ConnectTimeout``,
"never sent", so the retry layer resends a job submission the server already ran (two
jobs; the reliability suite's reset-after-submission tests fail over it). It also reports
a refused connection and a failed certificate as timeouts, does not bound a call by its
whole deadline, joins repeated request headers, adds a Content-Type to streamed bodies,
and keeps its session across event loops. Its speed is the same as this module's.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
from yarl import URL

from iqp_wrapper.transport import _deadline
from iqp_wrapper.transport.network import Network, redact_userinfo

# Like httpx's defaults: 100 connections, idle ones closed after 5 s.
MAX_CONNECTIONS = 100
KEEPALIVE_EXPIRY = 5.0
# A body announced at most this long is read before the response is handed up: one
# read instead of an async stream passed through three layers, and the connection is
# back in the pool sooner. Longer or unannounced bodies are streamed.
PRELOAD_LIMIT = 64 * 1024
CACHE_SIZE = 256  # parsed URLs and timeouts kept for reuse (both immutable)
# aiohttp would add these when absent; httpx already decided whether to send them.
_NOT_ADDED = frozenset({"Accept", "Accept-Encoding", "User-Agent", "Content-Type"})
_HTTP_11 = b"HTTP/1.1"


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests with aiohttp.

    Args:
        verify: True (verify with the default CA bundle), False (no verification: testing
            only) or an ``ssl.SSLContext``; the same values ``Network.verify`` takes.
        proxy: the proxy URL to go through, or None to connect directly. Credentials in
            it are sent to the proxy as Proxy-Authorization, never to the server.
        max_connections: the most connections open at once; more requests wait for one.
    """

    def __init__(
        self,
        *,
        verify: bool | ssl.SSLContext = True,
        proxy: str | None = None,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self._ssl: bool | ssl.SSLContext = verify
        # Credentials in the proxy URL become Proxy-Authorization (aiohttp does that).
        self._proxy = URL(proxy) if proxy is not None else None
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # Both built anew for every request otherwise, the same few over and over.
        self._urls: dict[str, URL] = {}
        self._timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}

    @classmethod
    def for_network(cls, network: Network, url: str) -> AiohttpTransport:
        """A transport for requests to ``url``'s host with ``network``'s TLS and proxy."""
        # Network builds the verifying context once per process (with SSL_CERT_FILE/DIR
        # when trust_env); the httpx transports use that same context.
        return cls(verify=network._tls(), proxy=network.proxy_for(url))

    def __repr__(self) -> str:
        proxy = redact_userinfo(str(self._proxy)) if self._proxy is not None else None
        return f"AiohttpTransport(proxy={proxy!r})"

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._session_in_this_loop()
        body = _body(request)
        headers = request.headers.multi_items()
        if body is not None and not isinstance(body, bytes):
            # aiohttp sends an unread stream chunked and adds the header itself.
            headers = [(name, value) for name, value in headers if name.lower() != "transfer-encoding"]
        try:
            response = await session.request(
                request.method,
                self._url(str(request.url)),
                headers=headers,
                data=body,
                allow_redirects=False,
                timeout=self._timeout(request),
                ssl=self._ssl,
                proxy=self._proxy,
            )
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise _as_httpx_error(exc, request) from exc
        stream: httpx.AsyncByteStream = _ResponseStream(response, request)
        length = response.content_length
        # Compressed bodies stay streamed: httpx would inflate a preloaded one at once, before
        # the retry layer's cap on decompressed answers could count it.
        identity = response.headers.get("Content-Encoding", "identity").lower() == "identity"
        if length is not None and length <= PRELOAD_LIMIT and identity:
            try:
                stream = httpx.ByteStream(await response.read())
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                response.close()
                raise _as_httpx_error(exc, request) from exc
            except BaseException:  # cancelled mid-body: the connection cannot be reused
                response.close()
                raise
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=stream,
            extensions={"http_version": _HTTP_11, "reason_phrase": (response.reason or "").encode()},
        )

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and self._loop is _running_loop():
            await session.close()

    def _url(self, text: str) -> URL:
        url = self._urls.get(text)
        if url is None:
            url = URL(text, encoded=True)  # httpx has encoded it already
            if len(self._urls) >= CACHE_SIZE:
                self._urls.clear()
            self._urls[text] = url
        return url

    def _timeout(self, request: httpx.Request) -> aiohttp.ClientTimeout:
        """httpx's per-request timeout (connect, read, write, pool) as aiohttp's, and the
        call's deadline, when it has one, as aiohttp's total."""
        given: dict[str, float | None] = request.extensions.get("timeout", {})
        key = (given.get("connect"), given.get("read"), given.get("pool"))
        timeout = self._timeouts.get(key)
        if timeout is None:
            connect, read, pool = key
            # aiohttp's `connect` covers the wait for a pooled connection and making one.
            waiting = None if connect is None or pool is None else connect + pool
            timeout = aiohttp.ClientTimeout(total=None, connect=waiting, sock_connect=connect, sock_read=read)
            if len(self._timeouts) >= CACHE_SIZE:
                self._timeouts.clear()
            self._timeouts[key] = timeout
        left = _deadline.remaining(request.extensions.get(_deadline.DEADLINE))
        if left is not None:  # a new one each time: the time left is never the same twice
            timeout = aiohttp.ClientTimeout(
                total=max(left, 0.0),
                connect=timeout.connect,
                sock_connect=timeout.sock_connect,
                sock_read=timeout.sock_read,
            )
        return timeout

    def _session_in_this_loop(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None or session.closed or self._loop is not loop:
            # A session made in another loop (asyncio.run() called again with the same
            # client) cannot be used here: its connections belong to that loop.
            session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._max_connections, keepalive_timeout=KEEPALIVE_EXPIRY
                ),
                cookie_jar=aiohttp.DummyCookieJar(),
                skip_auto_headers=_NOT_ADDED,
                auto_decompress=False,
                trust_env=False,
                timeout=aiohttp.ClientTimeout(total=None),
            )
            self._session, self._loop = session, loop
        return session


class _ResponseStream(httpx.AsyncByteStream):
    """The response body as aiohttp receives it; closing it returns the connection."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise _as_httpx_error(exc, self._request) from exc

    async def aclose(self) -> None:
        self._response.release()


def _body(request: httpx.Request) -> bytes | AsyncIterator[bytes] | None:
    try:
        content = request.content  # read already (the retry layer reads every request)
    except httpx.RequestNotRead:
        return _stream(request.stream)
    return content or None


async def _stream(stream: Any) -> AsyncIterator[bytes]:
    async for chunk in stream:
        yield chunk


def _as_httpx_error(exc: BaseException, request: httpx.Request) -> httpx.TransportError:
    """The httpx error that means what ``exc`` means (for retries: was the request sent?)."""
    message = str(exc) or type(exc).__name__
    kind: type[httpx.TransportError]
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        kind = httpx.ConnectTimeout  # no connection was made: the request never left
    elif isinstance(exc, asyncio.TimeoutError):
        kind = httpx.ReadTimeout
    elif isinstance(exc, aiohttp.ClientHttpProxyError):
        kind = httpx.ProxyError
    elif isinstance(exc, (aiohttp.ClientConnectorError, aiohttp.ServerFingerprintMismatch)):
        kind = httpx.ConnectError  # refused, DNS, TLS handshake, proxy unreachable
    elif isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError)):
        kind = httpx.RemoteProtocolError
    elif isinstance(exc, aiohttp.ClientResponseError):
        kind = httpx.RemoteProtocolError  # an answer that is not valid HTTP
    elif isinstance(exc, aiohttp.ClientConnectionError):
        kind = httpx.ReadError  # reset or broken after the request may have left
    elif isinstance(exc, aiohttp.InvalidURL):
        kind = httpx.UnsupportedProtocol
    else:
        kind = httpx.TransportError
    return kind(message, request=request)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
