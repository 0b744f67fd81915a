"""The examples of the README and docs/testing.md, as written there (``my_app`` defined here)."""

from __future__ import annotations

import pytest

from iqp_api.api.jobs import create_job
from iqp_api.models import JobRunParams
from iqp_wrapper import (
    IQPClient,
    JobFailedError,
    async_iter_jobs,
    async_job_results,
    async_wait_for_job,
    connect,
    iter_jobs,
    job_results,
    result_data,
    unwrap,
    wait_for_job,
)
from iqp_wrapper.cli import main
from iqp_wrapper.testing.fake import FakeService, JobPlan, ManualClock


# -- my_app ---------------------------------------------------------------------------
def online_backends(client: IQPClient) -> list[str]:
    devices = client.backends.list().devices
    return [device.name for device in devices if device.status.name == "online"]


BELL = "OPENQASM 3.0;\nbit[2] meas;\nmeas = measure $[0:1];\n"


def submit_bell_job(client: IQPClient) -> str:
    body = JobRunParams.from_dict(
        {"program_id": "sampler", "backend": "fake_heron", "params": {"pubs": [[BELL]]}}
    )
    return unwrap(create_job.sync_detailed(client=client, body=body)).id


# -- the README's tests ---------------------------------------------------------------
def test_online_backends(iqp_client: IQPClient) -> None:
    assert online_backends(iqp_client) == ["fake_heron", "fake_eagle"]


def test_a_job_completes(iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    job_id = submit_bell_job(iqp_client)
    job = wait_for_job(iqp_client, job_id, clock=iqp_clock, sleep=iqp_clock.advance)
    assert job.status == "Completed"


def test_a_failed_job_is_reported(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock
) -> None:
    iqp_fake.schedule.queue(JobPlan(outcome="Failed", reason="Out of memory"))
    with pytest.raises(JobFailedError, match="Out of memory"):
        wait_for_job(iqp_client, submit_bell_job(iqp_client), clock=iqp_clock, sleep=iqp_clock.advance)


@pytest.mark.iqp_fake(token_lifetime=60)
def test_survives_token_expiry(iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock) -> None:
    submit_bell_job(iqp_client)
    iqp_clock.advance(3600)
    submit_bell_job(iqp_client)
    assert iqp_fake.iam_calls == 2


def test_the_cli_entry_point(iqp_env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backends", "--json"]) == 0
    assert "fake_heron" in capsys.readouterr().out


# -- the helper examples ------------------------------------------------------------------
def test_the_sync_helper_example(iqp_env: dict[str, str], iqp_clock: ManualClock) -> None:
    with connect() as client:
        job_id = submit_bell_job(client)
        for job in iter_jobs(client, pending=True, program="sampler", limit=100):
            assert job.id == job_id
        job = wait_for_job(client, job_id, timeout=600, clock=iqp_clock, sleep=iqp_clock.advance)
        data = result_data(job_results(client, job.id))
    assert len(data["results"][0]["data"]["meas"]["samples"]) == 4096


async def test_the_async_helper_example(iqp_env: dict[str, str], iqp_clock: ManualClock) -> None:
    async def sleep(seconds: float) -> None:
        iqp_clock.advance(seconds)

    async with connect() as client:
        body = JobRunParams.from_dict({"program_id": "executor", "backend": "fake_heron"})
        unwrap(await create_job.asyncio_detailed(client=client, body=body))
        recent = [job.id async for job in async_iter_jobs(client, limit=20)]
        job = await async_wait_for_job(client, recent[0], timeout=600, clock=iqp_clock, sleep=sleep)
        result = await async_job_results(client, job.id)
    assert result_data(result)["schema_version"] == "v0.2"
