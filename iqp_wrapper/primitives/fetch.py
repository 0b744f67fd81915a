"""Read a finished job's result, decoded: sampler_result, estimator_result, executor_result."""

from __future__ import annotations

from iqp_api.client import AuthenticatedClient
from iqp_wrapper.jobs.results import JobResult, async_job_results, job_results, result_data
from iqp_wrapper.primitives.json_types import JSON
from iqp_wrapper.primitives.results import EstimatorResult, SamplerResult
from iqp_wrapper.primitives.tensors import ExecutorResult


def _data(result: JobResult) -> JSON:
    value: JSON = result_data(result)
    return value


def sampler_result(client: AuthenticatedClient, job_id: str) -> SamplerResult:
    """The decoded result of Sampler job ``job_id`` (see ``job_results`` for the errors)."""
    return SamplerResult.from_json(_data(job_results(client, job_id)))


def estimator_result(client: AuthenticatedClient, job_id: str) -> EstimatorResult:
    """The decoded result of Estimator job ``job_id``."""
    return EstimatorResult.from_json(_data(job_results(client, job_id)))


def executor_result(client: AuthenticatedClient, job_id: str) -> ExecutorResult:
    """The decoded result of Executor job ``job_id`` (format v0.1 or v0.2)."""
    return ExecutorResult.from_json(_data(job_results(client, job_id)))


async def async_sampler_result(client: AuthenticatedClient, job_id: str) -> SamplerResult:
    """``sampler_result`` for async code."""
    return SamplerResult.from_json(_data(await async_job_results(client, job_id)))


async def async_estimator_result(client: AuthenticatedClient, job_id: str) -> EstimatorResult:
    """``estimator_result`` for async code."""
    return EstimatorResult.from_json(_data(await async_job_results(client, job_id)))


async def async_executor_result(client: AuthenticatedClient, job_id: str) -> ExecutorResult:
    """``executor_result`` for async code."""
    return ExecutorResult.from_json(_data(await async_job_results(client, job_id)))
