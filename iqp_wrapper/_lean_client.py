"""LeanAsyncClient: ``httpx.AsyncClient`` with a cheaper way to the same request URL.

Profiled (docs/benchmarks.md), a quarter of what an async ``get_job`` costs the client is
httpx building the request URL: it parses the relative URL, the joined one, then the
joined one again once the query parameters are merged, three full URL parses per call.
For the calls the generated operations make (a path relative to ``base_url``, plain
query values, no client-level params) this builds the final URL text once, from the same
pieces httpx would use, and parses it once. Anything else goes the usual way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

_PLAIN = (str, int, float, bool, type(None))


class LeanAsyncClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` whose requests are the same, built with less work."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._prefix_of: tuple[httpx.URL, str] | None = None

    def build_request(self, method: str, url: httpx.URL | str, **options: Any) -> httpx.Request:
        params = options.get("params")
        if _relative_path(url) and _plain(params) and not self.params:
            assert isinstance(url, str)
            prefix = self._prefix()
            if prefix is not None:
                query = str(httpx.QueryParams(params)) if params else ""
                text = prefix + url[1:] + ("?" + query if query else "")
                options["params"] = None
                return super().build_request(method, httpx.URL(text), **options)
        return super().build_request(method, url, **options)

    def _prefix(self) -> str | None:
        """``base_url`` as text (it always ends in '/'), or None if it has a query."""
        base = self.base_url
        if self._prefix_of is None or self._prefix_of[0] is not base:
            self._prefix_of = (base, "" if base.query else str(base))
        return self._prefix_of[1] or None


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
