"""connect_fake(): the real client, wired to an embedded FakeService.

In process (no sockets, the default) or over HTTP through a running FakeServer, the
client is the one ``connect()`` builds: the same IAM auth flow, headers and retries. The
pytest plugin (``iqp_wrapper.testing.plugin``) makes its clients with it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from iqp_wrapper.auth.flow import DEFAULT_REFRESH_FRACTION
from iqp_wrapper.client import IQPClient, build_client
from iqp_wrapper.config.settings import TimeoutLike, resolve_settings
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeServer, FakeService
from iqp_wrapper.transport.async_backend import AsyncBackend
from iqp_wrapper.transport.retry import RetryPolicy

NO_WAIT_RETRIES = RetryPolicy(backoff=0.0, max_backoff=0.0, jitter=0.0, max_retry_after=0.0)
"""Retries that never wait: 5xx and network errors are retried at once, and a 429 that
asks for any wait is handed to the caller as RateLimitError. What tests want."""


def connect_fake(
    service: FakeService,
    *,
    server: FakeServer | None = None,
    api_key: str = DEFAULT_API_KEY,
    service_crn: str | None = None,
    api_version: str | None = None,
    retries: RetryPolicy | bool = NO_WAIT_RETRIES,
    refresh_fraction: float = DEFAULT_REFRESH_FRACTION,
    timeout: TimeoutLike | None = None,
    iam_timeout: TimeoutLike | None = None,
    clock: Callable[[], float] = time.monotonic,
    async_backend: AsyncBackend = "httpx",
) -> IQPClient:
    """A client for ``service``: in process, or over HTTP when ``server`` (from
    ``service.serve()``) is given.

    Args:
        service: the fake to reach.
        server: reach it through this running server instead of in process.
        api_key: the key to exchange at the fake IAM (its own by default).
        service_crn: the instance (the fake's first by default).
        api_version: the IBM-API-Version to send (the client's default by default).
        retries: the retry policy; by default one that never sleeps.
        refresh_fraction: how far into a token's lifetime to refresh it.
        timeout: the request timeout.
        iam_timeout: the IAM request timeout (``timeout`` if not given).
        clock: the IAM auth's monotonic clock; pass the fake's ManualClock to make tokens
            expire when the test moves it.
        async_backend: what sends async requests over HTTP (see ``connect()``); in
            process, the fake's own transport does.
    """
    settings = resolve_settings(
        api_key,
        service_crn=service_crn or service.crn,
        api_version=api_version,
        url=server.url if server is not None else service.url,
        iam_url=server.iam_url if server is not None else service.iam_url,
        trust_env=False,
        timeout=timeout,
        iam_timeout=iam_timeout,
        environ={},
    )
    if server is None:
        network = dataclasses.replace(
            settings.network,
            fixed_transport=service.transport(),
        )
        settings = dataclasses.replace(settings, network=network)
    return build_client(
        settings,
        retries=retries,
        refresh_fraction=refresh_fraction,
        clock=clock,
        async_backend=async_backend,
    )
