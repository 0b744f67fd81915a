"""The client surface: one namespace per tag, one method per operation, typed errors."""

from __future__ import annotations

import pytest

from iqp_api.models import BackendsResponse, JobResponseV3
from iqp_wrapper import AsyncIQPClient, IQPClient, NotFoundError
from iqp_wrapper.namespaces.jobs import AsyncJobsWithHelpers, JobsWithHelpers
from iqp_wrapper.testing.fake import FakeService, ManualClock
from tests.helpers.submitting import submit


def test_sync_methods_return_the_model(iqp_client: IQPClient) -> None:
    backends = iqp_client.backends.list()
    assert isinstance(backends, BackendsResponse)
    assert [d.name for d in backends.devices]
    job_id = submit(iqp_client)
    job = iqp_client.jobs.get(job_id)
    assert isinstance(job, JobResponseV3)
    assert job.id == job_id


def test_sync_error_status_raises_the_typed_error(iqp_client: IQPClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        iqp_client.jobs.get("no-such-job")
    assert caught.value.status_code == 404
    assert caught.value.errors


def test_raw_variant_returns_the_response_without_raising(iqp_client: IQPClient) -> None:
    response = iqp_client.jobs.with_raw_response.get("no-such-job")
    assert response.status_code == 404
    assert b"no-such-job" in response.content or response.content


async def test_async_methods_return_the_model_and_raise(iqp_async_client: AsyncIQPClient) -> None:
    assert isinstance(iqp_async_client, AsyncIQPClient)
    backends = await iqp_async_client.backends.list()
    assert isinstance(backends, BackendsResponse)
    with pytest.raises(NotFoundError):
        await iqp_async_client.jobs.get("no-such-job")
    raw = await iqp_async_client.jobs.with_raw_response.get("no-such-job")
    assert raw.status_code == 404


def test_jobs_helpers_are_bound_to_the_client(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock
) -> None:
    assert isinstance(iqp_client.jobs, JobsWithHelpers)
    job_id = submit(iqp_client)
    assert [job.id for job in iqp_client.jobs.iter(limit=5)] == [job_id]
    iqp_clock.advance(3600)
    done = iqp_client.jobs.wait(job_id, timeout=5, sleep=lambda _: None)
    assert str(done.status) == "Completed"
    assert iqp_client.jobs.results(job_id) is not None


async def test_async_jobs_helpers_are_bound_to_the_client(
    iqp_async_client: AsyncIQPClient, iqp_client: IQPClient, iqp_clock: ManualClock
) -> None:
    assert isinstance(iqp_async_client.jobs, AsyncJobsWithHelpers)
    job_id = submit(iqp_client)
    assert [job.id async for job in iqp_async_client.jobs.iter(limit=5)] == [job_id]

    async def no_sleep(_: float) -> None:
        return None

    iqp_clock.advance(3600)
    done = await iqp_async_client.jobs.wait(job_id, timeout=5, sleep=no_sleep)
    assert str(done.status) == "Completed"


def test_the_async_client_shares_settings_auth_and_transport(iqp_client: IQPClient) -> None:
    twin = AsyncIQPClient.like(iqp_client)
    assert twin.settings is iqp_client.settings
    assert twin._httpx_args["auth"] is iqp_client._httpx_args["auth"]
    assert twin._headers == iqp_client._headers


def test_async_connect_has_connects_parameters() -> None:
    import inspect

    from iqp_wrapper import async_connect, connect

    sync = inspect.signature(connect)
    twin = inspect.signature(async_connect)
    assert list(twin.parameters) == list(sync.parameters)
    assert twin.return_annotation == "AsyncIQPClient"


async def test_async_connect_builds_a_working_async_client() -> None:
    from iqp_wrapper import async_connect
    from iqp_wrapper.testing.fake import DEFAULT_API_KEY

    service = FakeService()
    client = async_connect(
        DEFAULT_API_KEY,
        service_crn=service.crn,
        url=service.url,
        iam_url=service.iam_url,
        trust_env=False,
        transport=service.transport(),
    )
    async with client:
        usage = await client.instances.get_usage()
    assert usage.instance_id == service.crn
