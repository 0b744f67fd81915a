"""Run the transport and reliability suites with httpx-aiohttp in place of our transport.

    IQP_AIOHTTP_TRANSPORT=httpx-aiohttp python -m pytest -p tests.transport.async_transport_swap \\
        tests/reliability tests/transport

The evaluation of issue 25 (docs/async-scaling.md): every test that sends async calls with
``async_backend="aiohttp"``, and every test of ``AiohttpTransport`` itself, then runs over
httpx-aiohttp 0.2.0's ``AiohttpTransport`` behind the thinnest adapter that gives it our
constructor (``verify``, ``proxy``, ``max_connections``, ``for_network``). A test that
fails that way is a behaviour the library does not have. With
``IQP_AIOHTTP_TRANSPORT=httpx-aiohttp-everywhere`` every async API call goes through it,
whatever backend the test asked for (so tests that only ran on httpx's pool run on it
too). ``IQP_AIOHTTP_TRANSPORT=ours-everywhere`` does the same with our transport, the
baseline to compare with. Without the variable this plugin changes nothing.
"""

from __future__ import annotations

import os
import ssl
from typing import Literal

import httpx
import pytest

VARIABLE = "IQP_AIOHTTP_TRANSPORT"


def library_transport_class() -> type[httpx.AsyncBaseTransport]:
    """httpx-aiohttp's transport, constructed the way ours is."""
    import httpx_aiohttp

    from iqp_wrapper.transport.aiohttp_transport import MAX_CONNECTIONS
    from iqp_wrapper.transport.network import Network

    class LibraryTransport(httpx_aiohttp.AiohttpTransport):
        def __init__(
            self,
            *,
            verify: bool | ssl.SSLContext = True,
            proxy: str | None = None,
            max_connections: int = MAX_CONNECTIONS,
        ) -> None:
            super().__init__(
                verify=verify,
                trust_env=False,
                proxy=httpx.Proxy(proxy) if proxy is not None else None,
                limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=20),
            )

        @classmethod
        def for_network(cls, network: Network, url: str) -> LibraryTransport:
            return cls(verify=network._tls(), proxy=network.proxy_for(url))

    return LibraryTransport


MODES = ("httpx-aiohttp", "httpx-aiohttp-everywhere", "ours-everywhere")


def pytest_configure(config: pytest.Config) -> None:
    mode = os.environ.get(VARIABLE)
    if mode not in MODES:
        return
    from iqp_wrapper.transport import aiohttp_transport, async_backend

    if mode != "ours-everywhere":
        # Before the test modules import the name: they then test the library's class.
        aiohttp_transport.AiohttpTransport = library_transport_class()  # type: ignore[assignment, misc]
    if mode.endswith("-everywhere"):
        real = async_backend.resolve

        def always_aiohttp(backend: str) -> Literal["aiohttp", "httpx"]:
            real(backend)  # still refuses what it refuses
            return "aiohttp"

        async_backend.resolve = always_aiohttp


def pytest_report_header(config: pytest.Config) -> str | None:
    if os.environ.get(VARIABLE) not in MODES:
        return None
    import importlib.metadata

    return (
        f"async aiohttp transport: httpx-aiohttp {importlib.metadata.version('httpx-aiohttp')} (evaluation)"
    )
