"""connect(async_backend=...): which library sends async calls, and that the client above
it (IAM single flight, typed errors, the fake's transport) is the same with either."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Iterator

import httpx
import pytest

from iqp_api.api.jobs import get_job
from iqp_wrapper import IQPClient, connect, unwrap
from iqp_wrapper.errors import ConfigError
from iqp_wrapper.testing.connect import connect_fake
from iqp_wrapper.testing.fake import FakeServer, FakeService
from iqp_wrapper.transport.aiohttp_transport import AiohttpTransport
from iqp_wrapper.transport.async_backend import AsyncBackend

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/abc123:inst-1::"


def sender(client: IQPClient) -> httpx.AsyncBaseTransport:
    """The transport under the retry layer and the header fence of ``client``'s async client."""
    retrying = client.get_async_httpx_client()._transport
    fence = retrying._async_transport  # type: ignore[attr-defined]
    return fence._async_transport  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("backend", "expected"),
    [("aiohttp", AiohttpTransport), ("auto", AiohttpTransport), ("httpx", httpx.AsyncHTTPTransport)],
)
def test_the_backend_decides_what_sends_async_calls(backend: AsyncBackend, expected: type) -> None:
    client = connect("key", service_crn=CRN, trust_env=False, async_backend=backend)
    assert isinstance(sender(client), expected)


def test_httpx_is_the_default() -> None:
    client = connect("key", service_crn=CRN, trust_env=False)
    assert isinstance(sender(client), httpx.AsyncHTTPTransport)


def test_a_given_transport_wins_over_the_backend() -> None:
    service = FakeService()
    client = connect(
        "key",
        service_crn=service.crn,
        url=service.url,
        iam_url=service.iam_url,
        trust_env=False,
        transport=service.transport(),
        async_backend="aiohttp",
    )
    assert not isinstance(sender(client), AiohttpTransport)


def test_an_unknown_backend_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        connect("key", service_crn=CRN, async_backend="trio")  # type: ignore[arg-type]
    assert (caught.value.setting, caught.value.problem) == ("async_backend", "malformed")
    assert "'aiohttp'" in str(caught.value)


def test_aiohttp_asked_for_but_missing_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "aiohttp" else real(name, *a)
    )
    with pytest.raises(ConfigError) as caught:
        connect("key", service_crn=CRN, async_backend="aiohttp")
    assert caught.value.problem == "missing_dependency"
    assert "iqp-wrapper[aiohttp]" in str(caught.value)
    # "auto" falls back to httpx instead.
    assert isinstance(sender(connect("key", service_crn=CRN, async_backend="auto")), httpx.AsyncHTTPTransport)


def test_tls_and_proxy_settings_reach_the_aiohttp_transport() -> None:
    client = connect(
        "key",
        service_crn=CRN,
        verify=False,
        proxies={"https": "http://proxy.example.test:3128"},
        trust_env=False,
        async_backend="aiohttp",
    )
    transport = sender(client)
    assert isinstance(transport, AiohttpTransport)
    assert transport._ssl is False
    assert str(transport._proxy) == "http://proxy.example.test:3128"


# -- the same client over HTTP, with each backend ----------------------------------------


@pytest.fixture
def service() -> FakeService:
    return FakeService(rate_limit=None)


@pytest.fixture
def server(service: FakeService) -> Iterator[FakeServer]:
    with service.serve() as running:
        yield running


@pytest.mark.parametrize("backend", ["httpx", "aiohttp"])
async def test_64_tasks_make_one_iam_call_and_a_revocation_one_more(
    service: FakeService, server: FakeServer, backend: AsyncBackend
) -> None:
    client = connect_fake(service, server=server, async_backend=backend)
    headers = service.headers(service.issue_token())  # issued directly: no IAM call counted
    with httpx.Client(transport=service.transport(), base_url=service.url, headers=headers) as http:
        job_id = http.post("/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron"}).json()["id"]
    before = service.iam_calls
    async with client:
        jobs = await asyncio.gather(*(get_job.asyncio_detailed(job_id, client=client) for _ in range(64)))
        assert {unwrap(job).id for job in jobs} == {job_id}
        assert service.iam_calls == before + 1
        service.revoke_tokens()
        jobs = await asyncio.gather(*(get_job.asyncio_detailed(job_id, client=client) for _ in range(64)))
        assert {unwrap(job).id for job in jobs} == {job_id}
        assert service.iam_calls == before + 2
        assert isinstance(
            sender(client), AiohttpTransport if backend == "aiohttp" else httpx.AsyncHTTPTransport
        )
