"""How to reach a host: TLS verification and proxies, the same for IAM and the API.

The transports built here also bound every socket operation by the running call's
deadline (``_deadline.install``), and ``ApiHeaderFence`` keeps the API's headers on the
API's host, whatever redirects are followed.
"""

from __future__ import annotations

import functools
import ssl
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

import httpx

from iqp_wrapper.transport import _deadline
from iqp_wrapper.transport.headers import API_ONLY_HEADERS

AnyTransport: TypeAlias = httpx.BaseTransport | httpx.AsyncBaseTransport
"""A transport for sync calls, async calls, or (best) both."""


@dataclass(frozen=True, repr=False)
class Network:
    """TLS and proxy settings that every connection, to IAM or to the API, is made with.

    Attributes:
        verify: True (system/certifi CAs), False (no verification: testing only) or an
            ``ssl.SSLContext`` (a custom CA bundle).
        proxies: requests-style proxy map, as qiskit-ibm-runtime saves it: keys
            ``"https://host"``, ``"https"``, ``"all://host"`` or ``"all"``, most specific
            first; values are proxy URLs.
        trust_env: also honour HTTPS_PROXY/ALL_PROXY/NO_PROXY and SSL_CERT_FILE/DIR.
        fixed_transport: when set, every request, to IAM and to the API, goes through it
            instead of the network (tests, the embedded fake). One object serves sync and
            async calls when it implements both, as ``httpx.MockTransport`` and the fake do.
    """

    verify: bool | ssl.SSLContext = True
    proxies: Mapping[str, str] = field(default_factory=dict)
    trust_env: bool = True
    fixed_transport: AnyTransport | None = None

    def proxy_for(self, url: str) -> str | None:
        """The proxy URL to reach ``url`` through, or None to connect directly."""
        target = httpx.URL(url)
        scheme, host = target.scheme, target.host
        for key in (f"{scheme}://{host}", scheme, f"all://{host}", "all"):
            if key in self.proxies:
                return self.proxies[key]
        if not self.trust_env:
            return None
        # The transports are built by us, so httpx does not read the proxy environment
        # variables itself: read them here.
        env = urllib.request.getproxies_environment()
        if _bypassed(host, env.get("no", "")):
            return None
        return env.get(scheme) or env.get("all")

    def transport(self, url: str) -> httpx.BaseTransport:
        """A sync transport for requests to ``url``'s host."""
        if self.fixed_transport is not None:
            return Unclosed(self.fixed_transport)
        return _deadline.install(
            httpx.HTTPTransport(verify=self._tls(), proxy=self.proxy_for(url), trust_env=self.trust_env)
        )

    def async_transport(self, url: str) -> httpx.AsyncBaseTransport:
        """An async transport for requests to ``url``'s host."""
        if self.fixed_transport is not None:
            return Unclosed(self.fixed_transport)
        return _deadline.install(
            httpx.AsyncHTTPTransport(verify=self._tls(), proxy=self.proxy_for(url), trust_env=self.trust_env)
        )

    def _tls(self) -> bool | ssl.SSLContext:
        # Building the default context loads the CA bundle (tens of milliseconds); every
        # transport, IAM's included, would otherwise build its own.
        return _default_tls_context(self.trust_env) if self.verify is True else self.verify

    def __repr__(self) -> str:
        proxies = {key: redact_userinfo(value) for key, value in self.proxies.items()}
        return f"Network(verify={self.verify!r}, proxies={proxies!r}, trust_env={self.trust_env!r})"


@functools.lru_cache(maxsize=2)
def _default_tls_context(trust_env: bool) -> ssl.SSLContext:
    """The verifying TLS context httpx would build, made once per process."""
    return httpx.create_ssl_context(verify=True, trust_env=trust_env)


class Unclosed(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A given transport, shared by IAM and API clients: closing one client leaves it open.

    It serves sync calls if the given transport does, async calls if it does.
    """

    def __init__(self, inner: AnyTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(self._inner, httpx.BaseTransport):
            raise TypeError(f"transport= {type(self._inner).__name__} serves only async calls")
        return self._inner.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(self._inner, httpx.AsyncBaseTransport):
            raise TypeError(f"transport= {type(self._inner).__name__} serves only sync calls")
        return await self._inner.handle_async_request(request)


_DEFAULT_PORTS = {"https": 443, "http": 80}


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port (the default one filled in): what "the same host" compares."""
    return url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme)


class TransportPair(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps a sync and an async transport (either may be None when only the other kind of
    client uses it), so that one object serves both httpx clients; closing it closes them."""

    def __init__(
        self, transport: httpx.BaseTransport | None, async_transport: httpx.AsyncBaseTransport | None
    ) -> None:
        self._transport = transport
        self._async_transport = async_transport

    def _sync_inner(self) -> httpx.BaseTransport:
        if self._transport is None:
            raise RuntimeError(f"this {type(self).__name__} was built without a sync transport")
        return self._transport

    def _async_inner(self) -> httpx.AsyncBaseTransport:
        if self._async_transport is None:
            raise RuntimeError(f"this {type(self).__name__} was built without an async transport")
        return self._async_transport

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    async def aclose(self) -> None:
        if self._async_transport is not None:
            await self._async_transport.aclose()


class ApiHeaderFence(TransportPair):
    """Removes Authorization, Service-CRN and IBM-API-Version from requests to other origins.

    Redirects that httpx follows do not pass through the auth flow again, and httpx itself
    drops only Authorization on another host: this sits below both, on every request.
    """

    def __init__(
        self,
        api_url: str,
        transport: httpx.BaseTransport | None,
        async_transport: httpx.AsyncBaseTransport | None,
    ) -> None:
        super().__init__(transport, async_transport)
        self._origin = origin(httpx.URL(api_url))

    def _fence(self, request: httpx.Request) -> None:
        if origin(request.url) != self._origin:
            for name in API_ONLY_HEADERS:
                request.headers.pop(name, None)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        inner = self._sync_inner()
        self._fence(request)
        return inner.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        inner = self._async_inner()
        self._fence(request)
        return await inner.handle_async_request(request)


def _bypassed(host: str, no_proxy: str) -> bool:
    """True if NO_PROXY (comma-separated hosts and domain suffixes, or *) covers ``host``."""
    host = host.lower()
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if entry == "*":
            return True
        domain = entry.lstrip(".").split(":")[0]
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def redact_userinfo(url: str) -> str:
    """``url`` with any password in it replaced by ``***`` (proxy URLs may carry one)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "***"
    if not parsed.password:
        return url
    return str(parsed.copy_with(username=parsed.username, password="***"))
