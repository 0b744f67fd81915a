"""Which library sends the async client's API requests: aiohttp or httpx's own pool.

``connect(async_backend=...)`` picks one:
- ``"httpx"`` (the default): httpx's own async transport;
- ``"aiohttp"``: aiohttp (``pip install 'iqp-wrapper[aiohttp]'``), or a ConfigError if it
  is not installed. Its throughput grows with the number of concurrent calls, where
  httpx's own async pool spends more CPU per call and falls (docs/benchmarks.md);
- ``"auto"``: aiohttp when it is installed, else httpx.

aiohttp is not the default even when installed: it often arrives as some other package's
dependency, and a client should not change how it sends requests because of that; and
tests that mock at httpx's transport (pytest-httpx, respx) do not see requests that
aiohttp sends. Asking for it is one argument.

Either way the client above the wire is the same httpx client: the IAM auth flow, the
retries, timeouts, TLS and proxy settings and the typed errors apply unchanged. A
transport given to ``connect(transport=...)`` (the embedded fake, tests) always wins.
The IAM token exchange itself (one call per token lifetime) and sync calls stay on httpx.
"""

from __future__ import annotations

import importlib.util
from typing import Literal

import httpx

from iqp_wrapper.errors import ConfigError, ConfigSource
from iqp_wrapper.transport.network import Network

AsyncBackend = Literal["auto", "aiohttp", "httpx"]
ASYNC_BACKENDS: tuple[AsyncBackend, ...] = ("auto", "aiohttp", "httpx")


def aiohttp_installed() -> bool:
    return importlib.util.find_spec("aiohttp") is not None


def resolve(backend: str) -> Literal["aiohttp", "httpx"]:
    """The backend ``backend`` means here; a ConfigError if it cannot be had."""
    if backend == "httpx":
        return "httpx"
    if backend == "auto":
        return "aiohttp" if aiohttp_installed() else "httpx"
    if backend == "aiohttp":
        if not aiohttp_installed():
            raise ConfigError(
                "async_backend='aiohttp' needs aiohttp: pip install 'iqp-wrapper[aiohttp]', "
                "or pass async_backend='httpx'.",
                setting="async_backend",
                source=ConfigSource.ARGUMENT,
                problem="missing_dependency",
            )
        return "aiohttp"
    raise ConfigError(
        f"async_backend should be one of {', '.join(map(repr, ASYNC_BACKENDS))}; got {backend!r}.",
        setting="async_backend",
        source=ConfigSource.ARGUMENT,
        problem="malformed",
    )


def async_transport(network: Network, url: str, backend: str) -> httpx.AsyncBaseTransport:
    """The async transport for requests to ``url``'s host, sent by ``backend``."""
    chosen = resolve(backend)  # checked even when a fixed transport makes it moot
    if network.fixed_transport is not None or chosen == "httpx":
        return network.async_transport(url)
    from iqp_wrapper.transport.aiohttp_transport import AiohttpTransport  # only imported when used

    return AiohttpTransport.for_network(network, url)
