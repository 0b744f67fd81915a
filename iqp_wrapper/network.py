"""How to reach a host: TLS verification and proxies, the same for IAM and the API."""

from __future__ import annotations

import ssl
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx


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
    """

    verify: bool | ssl.SSLContext = True
    proxies: Mapping[str, str] = field(default_factory=dict)
    trust_env: bool = True

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

    def transport(self, url: str) -> httpx.HTTPTransport:
        """A sync transport for requests to ``url``'s host."""
        return httpx.HTTPTransport(verify=self.verify, proxy=self.proxy_for(url), trust_env=self.trust_env)

    def async_transport(self, url: str) -> httpx.AsyncHTTPTransport:
        """An async transport for requests to ``url``'s host."""
        return httpx.AsyncHTTPTransport(
            verify=self.verify, proxy=self.proxy_for(url), trust_env=self.trust_env
        )

    def __repr__(self) -> str:
        proxies = {key: redact_userinfo(value) for key, value in self.proxies.items()}
        return f"Network(verify={self.verify!r}, proxies={proxies!r}, trust_env={self.trust_env!r})"


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
