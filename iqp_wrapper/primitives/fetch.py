"""Read a finished job's result, decoded: sampler_result, estimator_result, executor_result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iqp_wrapper.jobs.results import JobResult, async_job_results, job_results, result_data
from iqp_wrapper.jobs.waiting import async_wait_for_job, wait_for_job
from iqp_wrapper.primitives.executor_results import ExecutorResult
from iqp_wrapper.primitives.json_types import JSON
from iqp_wrapper.primitives.results import EstimatorResult, SamplerResult

if TYPE_CHECKING:
    from iqp_wrapper.client import AnyIQPClient


def _data(result: JobResult) -> JSON:
    value: JSON = result_data(result)
    return value


def sampler_result(client: AnyIQPClient, job_id: str, *, wait: bool = False) -> SamplerResult:
    """The decoded result of Sampler job ``job_id``; ``wait=True`` waits for the job to end
    first (``wait_for_job``: a failed or cancelled job raises). See ``job_results`` for the
    other errors."""
    if wait:
        wait_for_job(client, job_id)
    return SamplerResult.from_json(_data(job_results(client, job_id)))


def estimator_result(client: AnyIQPClient, job_id: str, *, wait: bool = False) -> EstimatorResult:
    """The decoded result of Estimator job ``job_id``."""
    if wait:
        wait_for_job(client, job_id)
    return EstimatorResult.from_json(_data(job_results(client, job_id)))


def executor_result(client: AnyIQPClient, job_id: str, *, wait: bool = False) -> ExecutorResult:
    """The decoded result of Executor job ``job_id`` (schema v0.1 to v2.0); for a Sampler's
    counts, ``executor_result(...).sampler_result()``."""
    if wait:
        wait_for_job(client, job_id)
    return ExecutorResult.from_json(_data(job_results(client, job_id)))


async def async_sampler_result(client: AnyIQPClient, job_id: str, *, wait: bool = False) -> SamplerResult:
    """``sampler_result`` for async code."""
    if wait:
        await async_wait_for_job(client, job_id)
    return SamplerResult.from_json(_data(await async_job_results(client, job_id)))


async def async_estimator_result(client: AnyIQPClient, job_id: str, *, wait: bool = False) -> EstimatorResult:
    """``estimator_result`` for async code."""
    if wait:
        await async_wait_for_job(client, job_id)
    return EstimatorResult.from_json(_data(await async_job_results(client, job_id)))


async def async_executor_result(client: AnyIQPClient, job_id: str, *, wait: bool = False) -> ExecutorResult:
    """``executor_result`` for async code."""
    if wait:
        await async_wait_for_job(client, job_id)
    return ExecutorResult.from_json(_data(await async_job_results(client, job_id)))
