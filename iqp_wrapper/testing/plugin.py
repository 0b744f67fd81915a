"""pytest fixtures for testing code that uses this client: a fake service and a client.

Installed with the package as a pytest plugin (entry point ``iqp``), so the fixtures are
there in every test, with nothing to import::

    from iqp_api.api.backends import list_backends
    from iqp_wrapper import unwrap

    def test_lists_backends(iqp_client):
        assert len(unwrap(list_backends.sync_detailed(client=iqp_client)).devices) == 3

The fake runs in process on a manual clock: jobs move on when the test moves
``iqp_clock`` (``iqp_clock.advance(5)``), tokens expire the same way, and nothing sleeps.
Configure it per test with ``@pytest.mark.iqp_fake(token_lifetime=60, schedule=...)``
(any FakeService argument), or override the ``iqp_fake`` fixture in a conftest.py.

The plugin only defines fixtures (none is autouse) and one marker, and imports the fake
only when a fixture asks for it: other tests do not pay for it. ``-p no:iqp`` disables it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from iqp_wrapper.client import AsyncIQPClient, IQPClient
    from iqp_wrapper.testing.fake import FakeServer, FakeService, ManualClock

MARKER = "iqp_fake"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): FakeService arguments for the iqp_fake fixture "
        "(token_lifetime=, schedule=, backends=, versions=, rate_limit=, ...).",
    )


@pytest.fixture
def iqp_clock() -> ManualClock:
    """The fake's clock (epoch seconds, 2026-05-01 12:00 UTC at first); it moves only
    when the test calls ``advance(seconds)``."""
    from iqp_wrapper.testing.fake import ManualClock

    return ManualClock()


@pytest.fixture
def iqp_fake(request: pytest.FixtureRequest, iqp_clock: ManualClock) -> FakeService:
    """A fake Qiskit Runtime service and IAM, in process, on ``iqp_clock``.

    Its API key is ``iqp_wrapper.testing.fake.DEFAULT_API_KEY``, its instance ``DEFAULT_CRN``;
    faults are queued on ``iqp_fake.faults``. Options come from the ``iqp_fake`` marker.
    """
    from iqp_wrapper.testing.fake import FakeService

    marker = request.node.get_closest_marker(MARKER)
    options: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    options.setdefault("clock", iqp_clock)
    options.setdefault("seed", 0)
    return FakeService(**options)


@pytest.fixture
def iqp_server(iqp_fake: FakeService) -> Iterator[FakeServer]:
    """``iqp_fake`` served over HTTP on 127.0.0.1 (``.url``, ``.iam_url``), for code that
    makes its own connections. Stopped after the test."""
    with iqp_fake.serve() as server:
        yield server


@pytest.fixture
def iqp_connect(iqp_fake: FakeService) -> Iterator[Callable[..., IQPClient]]:
    """A factory of clients for ``iqp_fake``: ``iqp_connect(api_version=..., server=...)``
    takes the arguments of ``iqp_wrapper.testing.connect.connect_fake``. The clients it made
    are closed after the test (async ones over HTTP: use them in ``async with``)."""
    from iqp_wrapper.testing.connect import connect_fake

    made: list[IQPClient] = []

    def connect(**options: Any) -> IQPClient:
        options.setdefault("clock", iqp_fake.clock)
        client = connect_fake(iqp_fake, **options)
        made.append(client)
        return client

    yield connect
    for client in made:
        client.get_httpx_client().close()


@pytest.fixture
def iqp_client(iqp_connect: Callable[..., IQPClient]) -> IQPClient:
    """A client connected to ``iqp_fake`` in process, the one ``connect()`` would build:
    real IAM exchange and refresh, headers and retries (retries that never sleep)."""
    return iqp_connect()


@pytest.fixture
def iqp_async_client(iqp_connect: Callable[..., IQPClient]) -> AsyncIQPClient:
    """The same as ``iqp_client``, async: ``await iqp_async_client.jobs.get(job_id)``, or
    ``await op.asyncio_detailed(client=...)``. In process there is no connection to close,
    so no ``async with`` is needed."""
    from iqp_wrapper.client import AsyncIQPClient

    return AsyncIQPClient.like(iqp_connect())


@pytest.fixture
def iqp_env(iqp_fake: FakeService, iqp_server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Points ``IQP_*`` environment variables at ``iqp_server``, so that code calling a
    plain ``iqp_wrapper.connect()`` (or the ``iqp`` CLI) reaches the fake. Returns them."""
    from iqp_wrapper.config.settings import (
        ENV_API_KEY,
        ENV_API_VERSION,
        ENV_IAM_URL,
        ENV_SERVICE_CRN,
        ENV_URL,
    )
    from iqp_wrapper.testing.fake import DEFAULT_API_KEY

    values = {
        ENV_API_KEY: DEFAULT_API_KEY,
        ENV_SERVICE_CRN: iqp_fake.crn,
        ENV_URL: iqp_server.url,
        ENV_IAM_URL: iqp_server.iam_url,
    }
    monkeypatch.delenv(ENV_API_VERSION, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    # A proxy from the environment must not be asked to reach 127.0.0.1.
    for name in ("NO_PROXY", "no_proxy"):
        bypassed = [entry for entry in os.environ.get(name, "").split(",") if entry.strip()]
        monkeypatch.setenv(name, ",".join([*bypassed, "127.0.0.1", "localhost"]))
    return values
