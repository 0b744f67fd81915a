"""LeanAsyncClient and LeanClient: httpx clients building the same requests with less CPU.

Profiled (``python -m benchmarks.scaling --profile``, docs/async-scaling.md), a quarter of
what an async ``get_job`` cost the client was httpx building the request URL: it parses
the relative URL, the joined one, then the joined one again once the query parameters are
merged, three full URL parses per call, each checking the URL character by character in
Python. Another tenth was the cookie jar reading every response's headers through an
``email.message.Message``, for an API that sets no cookies. So:

- for the calls the generated operations make (a path relative to ``base_url``, plain
  query values, no client-level params), the final URL text is put together from the
  same pieces httpx would use, and parsed once; the parsed URL (immutable) is kept for
  the next call to the same URL, up to ``URL_CACHE`` of them. Anything else goes the
  usual way;
- a response is shown to the cookie jar only if it has a Set-Cookie (or Set-Cookie2)
  header: the jar ignores every other header anyway.

The sync client had the same three parses per call (a quarter of a sync ``get_job``'s
client CPU under cProfile, issue 19): ``LeanClient`` does the same for it.

tests/transport/test_lean_client.py checks the requests against httpx's, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

_PLAIN = (str, int, float, bool, type(None))
URL_CACHE = 1024
_READ = httpx.ByteStream(b"")  # stands in for the stream of a response already read


class _LeanRequests:
    """What both lean clients share: the request building and the cookie jar below.

    Mixed into an httpx client class (first, so that its ``build_request`` wins)."""

    def _lean_init(self) -> None:
        self._prefix_of: tuple[httpx.URL, str] | None = None
        self._urls: dict[str, httpx.URL] = {}
        # The jar is shared, not copied: cookies already set stay set.
        http = _http(self)
        http._cookies = _Cookies(http._cookies.jar)

    def build_request(self, method: str, url: httpx.URL | str, **options: Any) -> httpx.Request:
        params = options.get("params")
        if _relative_path(url) and _plain(params) and not _http(self).params:
            assert isinstance(url, str)
            prefix = self._prefix()
            if prefix is not None:
                query = str(httpx.QueryParams(params)) if params else ""
                text = prefix + url[1:] + ("?" + query if query else "")
                options["params"] = None
                return super().build_request(method, self._url(text), **options)  # type: ignore[misc, no-any-return]
        return super().build_request(method, url, **options)  # type: ignore[misc, no-any-return]

    def _url(self, text: str) -> httpx.URL:
        parsed = self._urls.get(text)
        if parsed is None:
            parsed = httpx.URL(text)
            if len(self._urls) >= URL_CACHE:
                self._urls.clear()
            self._urls[text] = parsed
        return parsed

    def _prefix(self) -> str | None:
        """``base_url`` as text ending in '/', or None if it has a query or fragment."""
        base = _http(self).base_url
        if self._prefix_of is None or self._prefix_of[0] is not base:
            text = "" if base.query or base.fragment or not base.is_absolute_url else str(base)
            # httpx keeps a '/' at the end of base_url's path, but prints a bare "/" path
            # as nothing ("https://host"): put it back.
            self._prefix_of = (base, text if not text or text.endswith("/") else text + "/")
        return self._prefix_of[1] or None


def _http(lean: _LeanRequests) -> httpx.Client | httpx.AsyncClient:
    # The mixin is only ever mixed into one of the two (the classes below).
    return lean  # type: ignore[return-value]


def _read(response: httpx.Response, options: dict[str, Any]) -> httpx.Response:
    if not options.get("stream", False):
        # Read and closed: httpx's stream wrapper, which points back at the response,
        # has nothing left to give. Dropping it breaks that reference cycle, so the
        # response is freed at once instead of by the garbage collector, whose passes
        # grow with the number of calls in flight.
        response.stream = _READ
    return response


class LeanAsyncClient(_LeanRequests, httpx.AsyncClient):
    """An ``httpx.AsyncClient`` whose requests are the same, built with less work."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._lean_init()

    async def send(self, request: httpx.Request, **options: Any) -> httpx.Response:
        return _read(await super().send(request, **options), options)


class LeanClient(_LeanRequests, httpx.Client):
    """``LeanAsyncClient``'s sync twin: an ``httpx.Client`` building the same requests."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._lean_init()

    def send(self, request: httpx.Request, **options: Any) -> httpx.Response:
        return _read(super().send(request, **options), options)


class _Cookies(httpx.Cookies):
    """Cookies that skip the jar's work for a response that sets none."""

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


def _relative_path(url: object) -> bool:
    """A path like "/v1/jobs/abc": no scheme, host, query or fragment of its own."""
    return (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith("//")
        and "?" not in url
        and "#" not in url
    )


def _plain(params: object) -> bool:
    """Params httpx would encode value by value: a mapping of plain values or lists of them."""
    if params is None:
        return True
    if not isinstance(params, Mapping):
        return False
    for key, value in params.items():
        if not isinstance(key, str):
            return False
        values = value if isinstance(value, (list, tuple)) else (value,)
        if not all(isinstance(item, _PLAIN) for item in values):
            return False
    return True
