"""job_results and async_job_results: the result variant each program gives, and the
errors for a job without one."""

from __future__ import annotations

import pytest

from iqp_api.models import ExecutorV02QuantumProgramResultModel
from iqp_wrapper import (
    IQPClient,
    NotFoundError,
    ResultsNotReadyError,
    async_job_results,
    job_results,
    result_data,
)
from iqp_wrapper.testing.fake import FakeService, JobPlan, ManualClock

from .submitting import asubmit, submit

BELL = "OPENQASM 3.0;\nbit[2] meas;\nmeas = measure $[0:1];\n"


def test_a_sampler_result_is_its_json_data(iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    job_id = submit(iqp_client, params={"pubs": [[BELL]], "options": {"default_shots": 100}})
    iqp_clock.advance(5)
    result = job_results(iqp_client, job_id)
    assert isinstance(result, dict)
    assert result_data(result) is result
    meas = result["results"][0]["data"]["meas"]
    assert meas["num_bits"] == 2 and len(meas["samples"]) == 100


def test_an_executor_result_is_its_model(iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    job_id = submit(iqp_client, program_id="executor")
    iqp_clock.advance(5)
    result = job_results(iqp_client, job_id)
    assert isinstance(result, ExecutorV02QuantumProgramResultModel)
    assert result_data(result)["schema_version"] == "v0.2"


def test_no_result_yet(iqp_client: IQPClient) -> None:
    job_id = submit(iqp_client)
    with pytest.raises(ResultsNotReadyError, match="no final result yet") as caught:
        job_results(iqp_client, job_id)
    assert caught.value.job_id == job_id


def test_a_failed_job_has_no_result(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock
) -> None:
    iqp_fake.schedule.queue(JobPlan(outcome="Failed"))
    job_id = submit(iqp_client)
    iqp_clock.advance(5)
    with pytest.raises(NotFoundError, match="has no results"):
        job_results(iqp_client, job_id)


async def test_async_results(iqp_async_client: IQPClient, iqp_clock: ManualClock) -> None:
    job_id = await asubmit(iqp_async_client, program_id="executor")
    with pytest.raises(ResultsNotReadyError):
        await async_job_results(iqp_async_client, job_id)
    iqp_clock.advance(5)
    assert isinstance(await async_job_results(iqp_async_client, job_id), ExecutorV02QuantumProgramResultModel)
    sampler = await asubmit(iqp_async_client, params={"pubs": [[BELL, [], 7]]})
    iqp_clock.advance(5)
    data = await async_job_results(iqp_async_client, sampler)
    assert isinstance(data, dict) and len(data["results"][0]["data"]["meas"]["samples"]) == 7
