"""The backends list in both shapes: the type follows the IBM-API-Version the client sends.

The fake answers GET /v1/backends with backend names for 2024-01-01 and with backend
objects from 2025-01-01, as IBM documents. A client configured with the old version gets
the old type only when it asks for it by name; one that does not is refused before
anything is sent; a body of the other shape is an UnexpectedResponseError, never a wrong
object or None.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from iqp_api.api.backends import list_backends
from iqp_api.api_version import VersionShapeError
from iqp_api.models.backend_names_response import BackendNamesResponse
from iqp_api.models.backends_response import BackendsResponse
from iqp_wrapper import unwrap
from iqp_wrapper.client import AsyncIQPClient, IQPClient
from iqp_wrapper.errors import ConfigError, ConfigSource, UnexpectedResponseError
from iqp_wrapper.primitives.submit import async_least_busy, least_busy
from iqp_wrapper.transport.api_versions import APIVersionWarning

if TYPE_CHECKING:
    from typing_extensions import assert_type
else:  # checked by mypy only; typing has it from Python 3.11

    def assert_type(value: Any, _type: Any) -> Any:
        return value


OLD = "2024-01-01"
NAMES = ["fake_eagle", "fake_falcon", "fake_heron"]


@pytest.fixture(autouse=True)
def _quiet_deprecated_versions() -> Iterator[None]:
    # The fake flags 2024-01-01 and 2025-01-01 as deprecated; that warning has its own tests.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", APIVersionWarning)
        yield


@pytest.fixture
def old_client(iqp_connect: Callable[..., IQPClient]) -> IQPClient:
    return iqp_connect(api_version=OLD)


def test_the_types_follow_the_version(iqp_client: IQPClient) -> None:
    # Checked by mypy (CI runs it on tests): the overloads keyed by api_version.
    assert_type(iqp_client.backends.list(), BackendsResponse)
    assert_type(iqp_client.backends.list(api_version="2024-01-01"), BackendNamesResponse)
    assert_type(iqp_client.backends.list(api_version="2025-05-01"), BackendsResponse)
    either = iqp_client.backends.list(api_version=str(OLD))
    assert_type(either, BackendsResponse | BackendNamesResponse)
    assert isinstance(either, BackendNamesResponse)


def test_the_default_client_gets_backend_objects(iqp_client: IQPClient) -> None:
    found = iqp_client.backends.list()
    assert type(found) is BackendsResponse
    assert sorted(d.name for d in found.devices) == NAMES
    assert {d.name: d.queue_length for d in found.devices}["fake_heron"] >= 0


def test_an_old_client_gets_names_when_it_asks_for_its_version(old_client: IQPClient) -> None:
    found = old_client.backends.list(api_version=OLD)
    assert type(found) is BackendNamesResponse
    assert found.devices == NAMES


def test_an_old_client_is_refused_without_a_version(old_client: IQPClient) -> None:
    with pytest.raises(VersionShapeError) as caught:
        old_client.backends.list()
    assert caught.value.sent == OLD and caught.value.answered_as == "BackendNamesResponse"
    assert "backends.list(api_version='2024-01-01')" in str(caught.value)


def test_the_refusal_sends_nothing() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"devices": []}, request=request)

    client = _client(record, OLD)
    with pytest.raises(VersionShapeError):
        client.backends.list()
    assert sent == []
    client.backends.list(api_version=OLD)
    assert [r.headers["IBM-API-Version"] for r in sent] == [OLD]


def test_a_per_call_version_overrides_the_clients(iqp_client: IQPClient, old_client: IQPClient) -> None:
    assert type(iqp_client.backends.list(api_version=OLD)) is BackendNamesResponse
    assert type(old_client.backends.list(api_version="2025-01-01")) is BackendsResponse


def test_a_version_known_only_at_run_time_gives_either(old_client: IQPClient) -> None:
    settings = old_client.settings
    assert settings is not None
    found = old_client.backends.list(api_version=settings.api_version)
    assert isinstance(found, BackendNamesResponse) and found.devices == NAMES


def test_the_raw_response_follows_the_version(old_client: IQPClient) -> None:
    raw = old_client.backends.with_raw_response.list()  # never refuses: typed as either
    assert isinstance(raw.parsed, BackendNamesResponse)
    assert isinstance(unwrap(raw), BackendNamesResponse)


def test_the_functions_of_iqp_api_follow_the_clients_header(
    old_client: IQPClient, iqp_client: IQPClient
) -> None:
    assert isinstance(unwrap(list_backends.sync_detailed(client=old_client)), BackendNamesResponse)
    assert isinstance(unwrap(list_backends.sync_detailed(client=iqp_client)), BackendsResponse)


async def test_async_clients_follow_the_version_too(iqp_connect: Callable[..., IQPClient]) -> None:
    new = AsyncIQPClient.like(iqp_connect())
    old = AsyncIQPClient.like(iqp_connect(api_version=OLD))
    assert type(await new.backends.list()) is BackendsResponse
    assert (await old.backends.list(api_version=OLD)).devices == NAMES
    with pytest.raises(VersionShapeError):
        await old.backends.list()
    raw = await old.backends.with_raw_response.list()
    assert isinstance(raw.parsed, BackendNamesResponse)
    answered = await list_backends.asyncio_detailed(client=old)
    assert isinstance(answered.parsed, BackendNamesResponse)


# -- a body of the other shape -----------------------------------------------------------


def _client(handler: Callable[[httpx.Request], httpx.Response], version: str | None) -> IQPClient:
    return IQPClient(
        base_url="https://quantum.cloud.ibm.com/api",
        token="",
        headers={"IBM-API-Version": version} if version else {},
        httpx_args={"transport": httpx.MockTransport(handler)},
    )


def _serving(body: object) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body, request=request)

    return handler


@pytest.mark.parametrize(
    ("version", "body"),
    [
        # Objects where the old version lists names, and names where the new one lists objects.
        (OLD, {"devices": [{"name": "x", "status": {"name": "online"}, "queue_length": 0}]}),
        ("2026-04-15", {"devices": ["x"]}),
        (OLD, {"names": ["x"]}),
        ("2026-04-15", ["x"]),
    ],
)
def test_a_body_of_another_shape_is_an_unexpected_response(version: str, body: object) -> None:
    client = _client(_serving(body), version)
    with pytest.raises(UnexpectedResponseError) as caught:
        client.backends.list(api_version=version)
    assert f"IBM-API-Version {version}" in str(caught.value)


def test_no_header_is_read_as_the_oldest_shape() -> None:
    client = _client(_serving({"devices": ["x"]}), None)
    raw = client.backends.with_raw_response.list()
    assert isinstance(raw.parsed, BackendNamesResponse) and raw.parsed.devices == ["x"]
    with pytest.raises(VersionShapeError, match="sends no IBM-API-Version"):
        client.backends.list()


# -- the hand-written callers --------------------------------------------------------------


def test_least_busy_says_which_versions_it_needs(old_client: IQPClient, iqp_client: IQPClient) -> None:
    assert least_busy(iqp_client).name == "fake_eagle"
    with pytest.raises(ConfigError) as caught:
        least_busy(old_client)
    assert caught.value.setting == "api_version" and caught.value.problem == "too_old"
    assert caught.value.source is ConfigSource.ARGUMENT  # connect(api_version=...)
    assert "2025-01-01" in str(caught.value) and "sends IBM-API-Version 2024-01-01" in str(caught.value)


async def test_async_least_busy_says_it_too(iqp_connect: Callable[..., IQPClient]) -> None:
    with pytest.raises(ConfigError, match="2025-01-01"):
        await async_least_busy(AsyncIQPClient.like(iqp_connect(api_version=OLD)))
