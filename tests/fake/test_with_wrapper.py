"""The real client path against the fake over HTTP: ``iqp_wrapper.connect``, its IAM flow,
and the generated operations."""

from __future__ import annotations

from iqp_api.api.backends import list_backends
from iqp_api.models import BackendsResponse
from iqp_wrapper import connect
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeServer, FakeService


def test_connect_exchanges_the_key_once_and_refreshes_after_revocation(
    service: FakeService, served: FakeServer
) -> None:
    with connect(
        DEFAULT_API_KEY,
        service_crn=service.crn,
        url=served.url,
        iam_url=served.iam_url,
        trust_env=False,
        retries=False,
    ) as client:
        first = list_backends.sync_detailed(client=client)
        assert isinstance(first.parsed, BackendsResponse)
        list_backends.sync_detailed(client=client)
        assert service.iam_calls == 1
        service.revoke_tokens()
        assert list_backends.sync_detailed(client=client).status_code == 200
        assert service.iam_calls == 2


async def test_connect_async(service: FakeService, served: FakeServer) -> None:
    client = connect(
        DEFAULT_API_KEY,
        service_crn=service.crn,
        url=served.url,
        iam_url=served.iam_url,
        trust_env=False,
        retries=False,
    )
    async with client:
        response = await list_backends.asyncio_detailed(client=client)
    assert isinstance(response.parsed, BackendsResponse)
    assert response.headers["IBM-API-Version"] == service.live_version
    assert service.iam_calls == 1
