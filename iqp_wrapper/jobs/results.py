"""job_results and async_job_results: a job's final result, typed by the program that ran.

GET /v1/jobs/{id}/results answers one of the JobResult variants below (the generated
client picks the one that fits best: executor and noise learner results carry a
``schema_version``), or 204 while there is no result yet. Sampler and Estimator jobs
give a string holding their serialized result; ``result_data`` reads any variant as
plain JSON data.
"""

from __future__ import annotations

import json
from typing import Any, TypeAlias

from iqp_api.api.jobs import get_job_results
from iqp_api.client import AuthenticatedClient
from iqp_api.models.executor_v01_quantum_program_result_model import ExecutorV01QuantumProgramResultModel
from iqp_api.models.executor_v02_quantum_program_result_model import ExecutorV02QuantumProgramResultModel
from iqp_api.models.noise_learner_v3v01_noise_learner_v3_results_model import (
    NoiseLearnerV3V01NoiseLearnerV3ResultsModel,
)
from iqp_api.models.noise_learner_v3v02_noise_learner_v3_results_model import (
    NoiseLearnerV3V02NoiseLearnerV3ResultsModel,
)
from iqp_api.types import Response
from iqp_wrapper.errors import ResultsNotReadyError, UnexpectedResponseError
from iqp_wrapper.responses import unwrap

JobResult: TypeAlias = (
    ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | NoiseLearnerV3V01NoiseLearnerV3ResultsModel
    | NoiseLearnerV3V02NoiseLearnerV3ResultsModel
    | str
)
"""A job's final result: an executor or noise learner model, or (Sampler, Estimator and
other programs) the string holding the serialized result."""

_VARIANTS = (
    ExecutorV01QuantumProgramResultModel,
    ExecutorV02QuantumProgramResultModel,
    NoiseLearnerV3V01NoiseLearnerV3ResultsModel,
    NoiseLearnerV3V02NoiseLearnerV3ResultsModel,
    str,
)


def job_results(client: AuthenticatedClient, job_id: str) -> JobResult:
    """The final result of job ``job_id``.

    Raises:
        ResultsNotReadyError: the job has no result yet (queued or running); wait first
            (``wait_for_job``).
        NotFoundError: no such job, or it ended without results (failed or cancelled),
            or a private job's result was already read.
        APIError: (a subclass of) for other error answers.
    """
    return _result(job_id, get_job_results.sync_detailed(job_id, client=client))


async def async_job_results(client: AuthenticatedClient, job_id: str) -> JobResult:
    """``job_results`` for async code."""
    return _result(job_id, await get_job_results.asyncio_detailed(job_id, client=client))


def result_data(result: JobResult) -> Any:
    """The result as plain JSON data: a model's ``to_dict()``, or a serialized result
    decoded from its string (a string that is not JSON comes back as it is)."""
    if not isinstance(result, str):
        return result.to_dict()
    try:
        return json.loads(result)
    except ValueError:
        return result


def _result(job_id: str, response: Response[Any]) -> JobResult:
    if int(response.status_code) == 204:
        raise ResultsNotReadyError(
            f"Job {job_id} has no final result yet: it is still queued or running. Wait for it "
            "(wait_for_job) and ask again.",
            job_id=job_id,
        )
    parsed = unwrap(response)
    if not isinstance(parsed, _VARIANTS):
        raise UnexpectedResponseError(
            f"Job {job_id}'s result is a JSON {type(parsed).__name__}, which is none of the result "
            "layouts the OpenAPI document describes; the raw body is in .content.",
            status_code=int(response.status_code),
            content=response.content,
        )
    return parsed
