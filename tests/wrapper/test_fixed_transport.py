"""connect(transport=...) routes IAM and API requests through a given transport."""

from __future__ import annotations

import pytest

from iqp_api.api.backends import list_backends
from iqp_api.models import BackendsResponse
from iqp_wrapper import connect, unwrap
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, DEFAULT_CRN, FakeService


def test_sync_calls_go_through_the_given_transport() -> None:
    service = FakeService(seed=7)
    transport = service.transport()
    for _ in range(2):  # closing a client leaves the shared transport usable
        with connect(
            DEFAULT_API_KEY,
            service_crn=DEFAULT_CRN,
            url=service.url,
            iam_url=service.iam_url,
            transport=transport,
        ) as client:
            assert isinstance(unwrap(list_backends.sync_detailed(client=client)), BackendsResponse)
    assert service.iam_calls == 2
    assert service.calls("list_backends") == 2


async def test_async_calls_go_through_the_given_transport() -> None:
    service = FakeService(seed=7)
    async with connect(
        DEFAULT_API_KEY,
        service_crn=DEFAULT_CRN,
        url=service.url,
        iam_url=service.iam_url,
        transport=service.transport(),
    ) as client:
        for _ in range(3):
            assert isinstance(unwrap(await list_backends.asyncio_detailed(client=client)), BackendsResponse)
    assert service.iam_calls == 1


async def test_one_transport_serves_sync_and_async_calls_of_one_client() -> None:
    service = FakeService(seed=7)
    client = connect(
        DEFAULT_API_KEY,
        service_crn=DEFAULT_CRN,
        url=service.url,
        iam_url=service.iam_url,
        transport=service.transport(),
    )
    assert isinstance(unwrap(list_backends.sync_detailed(client=client)), BackendsResponse)
    assert isinstance(unwrap(await list_backends.asyncio_detailed(client=client)), BackendsResponse)
    assert service.calls("list_backends") == 2


def test_a_sync_only_transport_refuses_async_calls_clearly() -> None:
    import httpx

    from iqp_wrapper.transport.network import Unclosed

    class SyncOnly(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(200)

    wrapped = Unclosed(SyncOnly())
    assert wrapped.handle_request(httpx.Request("GET", "https://x.invalid")).status_code == 200
    import asyncio

    with pytest.raises(TypeError, match="serves only sync calls"):
        asyncio.run(wrapped.handle_async_request(httpx.Request("GET", "https://x.invalid")))
