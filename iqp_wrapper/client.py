"""connect(): one call from configuration to a ready generated client.

This is where the API's fixed headers are set. The token comes from the IAMAuth flow,
retries from RetryTransport; both reach the httpx clients through ``httpx_args``, which
the generated client passes to its sync and async httpx clients alike.
"""

from __future__ import annotations

import importlib
import inspect
import os
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NoReturn, ParamSpec, TypeAlias, TypeVar, cast

import httpx
from attrs import define, field, fields

from iqp_api.client import AuthenticatedClient
from iqp_api.resources import AsyncResourceClient, ResourceClient
from iqp_wrapper._deprecation import deprecated_name
from iqp_wrapper._secret import scrub_chain
from iqp_wrapper.auth.flow import DEFAULT_REFRESH_FRACTION, IAMAuth
from iqp_wrapper.config.settings import Settings, TimeoutLike, resolve_settings
from iqp_wrapper.errors import ClientClosedError
from iqp_wrapper.responses import answer_error, unexpected_response
from iqp_wrapper.transport import async_backend as backends
from iqp_wrapper.transport._bodies import DEFAULT_MAX_RESPONSE_BYTES
from iqp_wrapper.transport._lean_client import LeanAsyncClient, LeanClient
from iqp_wrapper.transport.api_versions import VersionWatch, VersionWatchTransport
from iqp_wrapper.transport.async_backend import AsyncBackend
from iqp_wrapper.transport.headers import API_VERSION, SERVICE_CRN, USER_AGENT
from iqp_wrapper.transport.network import AnyTransport, ApiHeaderFence
from iqp_wrapper.transport.retry import NO_RETRIES, RetryPolicy

if TYPE_CHECKING:
    # Named as strings in the clients' bases (_ServiceAnswers["JobsWithHelpers", ...]).
    from iqp_wrapper.namespaces.jobs import AsyncJobsWithHelpers, JobsWithHelpers  # noqa: F401
    from iqp_wrapper.namespaces.primitives import AsyncPrimitives, Primitives  # noqa: F401


_H = TypeVar("_H", httpx.Client, httpx.AsyncClient)
_C = TypeVar("_C", bound="_ServiceAnswers[Any, Any]")
_Jobs = TypeVar("_Jobs")
_Primitives = TypeVar("_Primitives")


def _lean_async_client(client: AuthenticatedClient) -> httpx.AsyncClient:
    """The async httpx client, built on first use: a LeanAsyncClient (the same requests,
    less CPU per call; see ``iqp_wrapper.transport._lean_client``)."""
    return _open(client, client._async_client, LeanAsyncClient, client.set_async_httpx_client)


def _lean_sync_client(client: AuthenticatedClient) -> httpx.Client:
    """The sync httpx client, built on first use: a LeanClient, as the async one is."""
    return _open(client, client._client, LeanClient, client.set_httpx_client)


def _open(
    client: AuthenticatedClient, built: _H | None, make: Callable[..., _H], keep: Callable[[_H], object]
) -> _H:
    if built is None:
        built = make(**client._client_args())
        keep(built)
    elif built.is_closed:
        raise _closed(type(client).__name__)
    return built


def _namespace(home: str, client: AuthenticatedClient) -> object:
    kind = _NAMESPACES.get(home)
    if kind is None:  # the first use: import it (every job operation, for client.jobs)
        module, _, name = home.partition(":")
        kind = _NAMESPACES[home] = getattr(importlib.import_module(module), name)
    made: object = kind(client)
    return made


_NAMESPACES: dict[str, Callable[[AuthenticatedClient], object]] = {}


class _ServiceAnswers(AuthenticatedClient, Generic[_Jobs, _Primitives]):
    """What the wrapper's two clients share: how answers become results or typed errors,
    the lean httpx clients, closing (each client closes both ways: ``with`` and
    ``close()`` its sync connections, ``async with`` and ``aclose()`` its async ones), and
    the hand-written namespaces, each client's own kind."""

    __slots__ = ()
    # "module:Class" of ``jobs`` and ``primitives``: imported on first use, as ``client.jobs``
    # imports every job operation.
    _namespaces: ClassVar[tuple[str, str]]

    @property
    def jobs(self) -> _Jobs:
        """The jobs operations, with ``iter``, ``wait``, ``results`` and ``submit`` (awaited on
        the async client)."""
        return cast("_Jobs", _namespace(self._namespaces[0], self))

    @property
    def primitives(self) -> _Primitives:
        """Sampler, Estimator and executor: ``submit_sampler``, ``least_busy``, ``open_session``...
        (awaited on the async client: ``await client.primitives.submit_sampler(...)``)."""
        return cast("_Primitives", _namespace(self._namespaces[1], self))

    def get_httpx_client(self) -> httpx.Client:
        return _lean_sync_client(self)

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        return _lean_async_client(self)

    def close(self) -> None:
        """Close the client's sync connections. It makes no more sync calls afterwards."""
        self.get_httpx_client().close()

    async def aclose(self) -> None:
        """Close the client's async connections. It makes no more async calls afterwards."""
        await self.get_async_httpx_client().aclose()

    def __enter__(self: _C) -> _C:
        # Not httpx's __enter__, which refuses a client already used: entering opens
        # nothing that the first call does not open itself, so ``with client:`` works
        # before or after the first call, and says so plainly once the client is closed.
        _still_open(self._client, type(self).__name__)
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    async def __aenter__(self: _C) -> _C:
        _still_open(self._async_client, type(self).__name__)
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.aclose()

    def _on_unparseable(self, response: httpx.Response, error: Exception) -> NoReturn:
        # Every generated operation calls this for a success body it cannot parse.
        scrub_chain(error)  # a parser's message may quote what the server sent
        reason = f"{type(error).__name__}: {error}"[:300]
        raise unexpected_response(response.status_code, response.content, reason) from error

    def _answer_error(self, status: int, content: bytes, headers: httpx.Headers) -> Exception:
        # Every namespace method's answer that is not a declared success comes here
        # (through the generated ``_answer``): the same decision ``unwrap`` makes.
        return answer_error(status, content, headers)


def _closed(what: str) -> ClientClosedError:
    return ClientClosedError(
        f"This {what} was closed (close(), aclose() or the end of its with block) and makes no "
        "more calls: make a new one with connect() or async_connect()."
    )


def _still_open(built: httpx.Client | httpx.AsyncClient | None, what: str) -> None:
    if built is not None and built.is_closed:
        raise _closed(what)


@define
class IQPClient(_ServiceAnswers["JobsWithHelpers", "Primitives"], ResourceClient):
    """The client for one Qiskit Runtime instance: ``client.jobs.get(job_id)``.

    One namespace per tag of the API (``jobs``, ``backends``, ``sessions``, ``instances``,
    ...), each method returning the parsed body or raising a typed error
    (``NotFoundError``...); ``client.jobs.with_raw_response.get(...)`` gives the whole
    response instead. It is also the generated ``AuthenticatedClient``: pass it as
    ``client=`` to any function of ``iqp_api.api``, sync or async. Use it as a context
    manager (``with`` or ``async with``) to close its connections. ``settings`` records
    what it was configured with (the API key shows as ``'***'``).
    """

    settings: Settings | None = field(default=None, kw_only=True)

    _namespaces = (
        "iqp_wrapper.namespaces.jobs:JobsWithHelpers",
        "iqp_wrapper.namespaces.primitives:Primitives",
    )


@define
class AsyncIQPClient(_ServiceAnswers["AsyncJobsWithHelpers", "AsyncPrimitives"], AsyncResourceClient):
    """``IQPClient``'s async twin: ``await client.jobs.get(job_id)``; ``async with`` closes it."""

    settings: Settings | None = field(default=None, kw_only=True)

    _namespaces = (
        "iqp_wrapper.namespaces.jobs:AsyncJobsWithHelpers",
        "iqp_wrapper.namespaces.primitives:AsyncPrimitives",
    )

    @classmethod
    def like(cls, client: IQPClient) -> AsyncIQPClient:
        """An async client with ``client``'s settings, auth flow and transports (shared)."""
        given = {str(a.alias): getattr(client, a.name) for a in fields(IQPClient) if a.init}
        return cls(**given)


AnyIQPClient: TypeAlias = "IQPClient | AsyncIQPClient"
"""Either client: the helpers of ``iqp_wrapper.jobs`` and ``primitives`` take both, sync
helpers calling the sync namespace methods and async ones the async methods."""


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
    transport: AnyTransport | None = None,
    max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
    async_backend: AsyncBackend = "httpx",
) -> IQPClient:
    """A client for one Qiskit Runtime instance, configured and checked, not yet connected.

    Every argument is optional: each falls back to the environment (``IQP_API_TOKEN``,
    ``IQP_SERVICE_CRN``, ``IQP_API_VERSION``, ``IQP_URL``, ``IQP_IAM_URL``), then to an
    account saved with ``iqp login`` (key in the OS keyring), then to the account saved by
    qiskit-ibm-runtime in ``~/.qiskit/qiskit-ibm.json`` (the default one, or the one named
    by ``account``). Configuration errors raise ConfigError here, before
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
        transport: send every request, to IAM and to the API, through this instead of
            the network: for tests, benchmarks and the embedded fake
            (``FakeService.transport()``). One object serves sync and async calls when it
            implements both (``httpx.MockTransport`` does). Retries and auth still apply.
        max_response_bytes: the cap on an answer's size once decompressed (default 1 GiB);
            a bigger one raises ResponseTooLargeError. None for no cap.
        async_backend: what sends async API requests: ``"httpx"`` (the default),
            ``"aiohttp"`` (needs the ``aiohttp`` extra; its throughput grows with
            concurrency where httpx's async pool falls), or ``"auto"`` (aiohttp when
            installed). See ``iqp_wrapper.transport.async_backend``. A given ``transport`` wins.
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
    if transport is not None:
        network = replace(settings.network, fixed_transport=transport)
        settings = replace(settings, network=network)
    return build_client(
        settings,
        retries=retries,
        refresh_fraction=refresh_fraction,
        max_response_bytes=max_response_bytes,
        async_backend=async_backend,
    )


def build_client(
    settings: Settings,
    *,
    retries: RetryPolicy | bool = True,
    refresh_fraction: float = DEFAULT_REFRESH_FRACTION,
    clock: Callable[[], float] = time.monotonic,
    max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
    async_backend: AsyncBackend = "httpx",
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
        backends.async_transport(settings.network, settings.base_url, async_backend),
    )
    # The retry layer, which also watches its final answers for word that the API version
    # sent is deprecated (iqp_wrapper.transport.api_versions).
    transport = VersionWatchTransport(
        fence,
        fence,
        policy=policy,
        max_response_bytes=max_response_bytes,
        watch=VersionWatch(settings.api_version),
    )
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


_P = ParamSpec("_P")


def _async_twin(sync: Callable[_P, IQPClient]) -> Callable[_P, AsyncIQPClient]:
    def async_connect(*args: _P.args, **kwargs: _P.kwargs) -> AsyncIQPClient:
        return AsyncIQPClient.like(sync(*args, **kwargs))

    async_connect.__doc__ = (
        "connect()'s async twin: the same arguments, checks and sources, and an\n"
        "``AsyncIQPClient`` whose namespace methods are awaited:\n\n"
        "    async with async_connect() as client:\n"
        "        job = await client.jobs.get(job_id)\n"
    )
    signature = inspect.signature(sync).replace(return_annotation="AsyncIQPClient")
    async_connect.__signature__ = signature  # type: ignore[attr-defined]  # what help() shows
    return async_connect


async_connect = _async_twin(connect)


def _deprecated_spelling(new: Callable[_P, AsyncIQPClient]) -> Callable[_P, AsyncIQPClient]:
    def connect_async(*args: _P.args, **kwargs: _P.kwargs) -> AsyncIQPClient:
        deprecated_name("connect_async", "async_connect")
        return new(*args, **kwargs)

    connect_async.__doc__ = "Deprecated spelling of ``async_connect`` (async twins are ``async_`` names)."
    connect_async.__signature__ = inspect.signature(new)  # type: ignore[attr-defined]
    return connect_async


connect_async = _deprecated_spelling(async_connect)
