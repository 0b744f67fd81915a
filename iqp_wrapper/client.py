"""connect(): one call from configuration to a ready generated client.

This is where the API's fixed headers are set. The token comes from the IAMAuth flow,
retries from RetryTransport; both reach the httpx clients through ``httpx_args``, which
the generated client passes to its sync and async httpx clients alike.
"""

from __future__ import annotations

import os
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import NoReturn

import httpx
from attrs import define, field

from iqp_api.client import AuthenticatedClient
from iqp_wrapper._bodies import DEFAULT_MAX_RESPONSE_BYTES
from iqp_wrapper.auth import DEFAULT_REFRESH_FRACTION, IAMAuth
from iqp_wrapper.config import Settings, TimeoutLike, resolve_settings
from iqp_wrapper.headers import API_VERSION, SERVICE_CRN, USER_AGENT
from iqp_wrapper.network import ApiHeaderFence
from iqp_wrapper.responses import unexpected_response
from iqp_wrapper.retry import NO_RETRIES, RetryPolicy, RetryTransport


@define
class IQPClient(AuthenticatedClient):
    """The generated ``AuthenticatedClient``, wired for IBM Quantum Platform.

    Pass it as ``client=`` to any generated operation, sync or async; use it as a context
    manager (``with`` or ``async with``) to close its connections. ``settings`` records
    what it was configured with (the API key shows as ``'***'``).
    """

    settings: Settings | None = field(default=None, kw_only=True)

    def _on_unparseable(self, response: httpx.Response, error: Exception) -> NoReturn:
        # Every generated operation calls this for a success body it cannot parse.
        reason = f"{type(error).__name__}: {error}"[:300]
        raise unexpected_response(response.status_code, response.content, reason) from error


def connect(
    api_key: str | None = None,
    *,
    service_crn: str | None = None,
    api_version: str | None = None,
    url: str | None = None,
    iam_url: str | None = None,
    region: str | None = None,
    private_endpoint: bool | None = None,
    account: str | None = None,
    accounts_file: str | os.PathLike[str] | None = None,
    verify: bool | str | ssl.SSLContext | None = None,
    proxies: str | Mapping[str, str] | None = None,
    trust_env: bool = True,
    timeout: TimeoutLike | None = None,
    iam_timeout: TimeoutLike | None = None,
    retries: RetryPolicy | bool = True,
    refresh_fraction: float = DEFAULT_REFRESH_FRACTION,
    transport: httpx.BaseTransport | None = None,
    async_transport: httpx.AsyncBaseTransport | None = None,
    max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
) -> IQPClient:
    """A client for one Qiskit Runtime instance, configured and checked, not yet connected.

    Every argument is optional: each falls back to the environment (``IQP_API_TOKEN``,
    ``IQP_SERVICE_CRN``, ``IQP_API_VERSION``, ``IQP_URL``, ``IQP_IAM_URL``), then to the
    account saved by qiskit-ibm-runtime in ``~/.qiskit/qiskit-ibm.json`` (the default one,
    or the one named by ``account``). Configuration errors raise ConfigError here, before
    any request. No request is made until the first call; the first call fetches the
    IAM token.

    Args:
        api_key: IBM Cloud API key.
        service_crn: the instance CRN; its region decides the API URL.
        api_version: the IBM-API-Version date; defaults to the version the client was
            generated for.
        url: the API base URL, if not derived from the CRN.
        iam_url: the IAM URL, if not https://iam.cloud.ibm.com (or staging's).
        region: the expected region; an error if the CRN says otherwise.
        private_endpoint: use IBM Cloud private endpoints (``private.`` hosts).
        account: the saved account to use, by name.
        accounts_file: the saved-accounts file, if not ``~/.qiskit/qiskit-ibm.json``.
        verify: TLS verification: True, False, a CA bundle path or an SSLContext.
        proxies: one proxy URL for everything, or a requests-style map.
        trust_env: honour HTTPS_PROXY/NO_PROXY and SSL_CERT_FILE from the environment.
        timeout: the deadline of each API call in seconds, or an httpx.Timeout whose
            longest part is. It bounds the whole call: connecting, sending, reading, the
            waits between retries, and the IAM token exchange the call waits on. Also
            IAM's unless ``iam_timeout`` is given.
        iam_timeout: IAM request timeout.
        retries: a RetryPolicy, True for the default one, False for none.
        refresh_fraction: how far into a token's lifetime to refresh it.
        transport, async_transport: send every request, to IAM and to the API, through
            these instead of the network: for tests, benchmarks and the embedded fake
            (``FakeService.transport()``). Retries and auth still apply.
        max_response_bytes: the cap on an answer's size once decompressed (default 1 GiB);
            a bigger one raises ResponseTooLargeError. None for no cap.
    """
    settings = resolve_settings(
        api_key,
        service_crn=service_crn,
        api_version=api_version,
        url=url,
        iam_url=iam_url,
        region=region,
        private_endpoint=private_endpoint,
        account=account,
        accounts_file=accounts_file,
        verify=verify,
        proxies=proxies,
        trust_env=trust_env,
        timeout=timeout,
        iam_timeout=iam_timeout,
    )
    if transport is not None or async_transport is not None:
        network = replace(settings.network, fixed_transport=transport, fixed_async_transport=async_transport)
        settings = replace(settings, network=network)
    return build_client(
        settings, retries=retries, refresh_fraction=refresh_fraction, max_response_bytes=max_response_bytes
    )


def build_client(
    settings: Settings,
    *,
    retries: RetryPolicy | bool = True,
    refresh_fraction: float = DEFAULT_REFRESH_FRACTION,
    clock: Callable[[], float] = time.monotonic,
    max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
) -> IQPClient:
    """The client for already resolved ``settings``; ``clock`` is for tests."""
    policy = retries if isinstance(retries, RetryPolicy) else RetryPolicy() if retries else NO_RETRIES
    auth = IAMAuth(
        settings.api_key,
        api_url=settings.base_url,
        iam_url=settings.iam_url,
        refresh_fraction=refresh_fraction,
        timeout=settings.iam_timeout,
        network=settings.network,
        clock=clock,
        retries=policy,
    )
    fence = ApiHeaderFence(
        settings.base_url,
        settings.network.transport(settings.base_url),
        settings.network.async_transport(settings.base_url),
    )
    transport = RetryTransport(fence, fence, policy=policy, max_response_bytes=max_response_bytes)
    return IQPClient(
        base_url=settings.base_url,
        # The generated client wants a static token; the real one comes from `auth` on
        # every request, so this placeholder is an empty header that the flow replaces.
        token="",
        prefix="",
        headers={
            SERVICE_CRN: settings.service_crn,
            API_VERSION: settings.api_version,
            "User-Agent": USER_AGENT,
        },
        timeout=settings.timeout,
        verify_ssl=settings.network.verify,
        # Redirects would be followed without passing through the auth flow's host check.
        follow_redirects=False,
        raise_on_unexpected_status=False,
        httpx_args={"auth": auth, "transport": transport},
        settings=settings,
    )
