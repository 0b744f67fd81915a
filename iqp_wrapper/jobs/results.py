"""job_results and async_job_results: a job's final result, typed by the program that ran.

GET /v1/jobs/{id}/results answers one of the JobResult variants below (the generated
client picks the one that fits best: executor and noise learner results carry a
``schema_version``), or 204 while there is no result yet. Sampler and Estimator jobs
answer a JSON object (the document said a string: see openapi/corrections.yaml), returned
here as the parsed JSON data, unchanged: the REST form ``{"results": [...], "metadata":
...}`` for OpenQASM 3 jobs, qiskit's encoded ``{"__type__": "PrimitiveResult", ...}`` for
jobs qiskit-ibm-runtime submitted. ``result_data`` reads any variant as plain JSON data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from iqp_api.models.executor_v01_quantum_program_result_model import ExecutorV01QuantumProgramResultModel
from iqp_api.models.executor_v02_quantum_program_result_model import ExecutorV02QuantumProgramResultModel
from iqp_api.models.job_results_type_4_type_0 import JobResultsType4Type0
from iqp_api.models.noise_learner_v3v01_noise_learner_v3_results_model import (
    NoiseLearnerV3V01NoiseLearnerV3ResultsModel,
)
from iqp_api.models.noise_learner_v3v02_noise_learner_v3_results_model import (
    NoiseLearnerV3V02NoiseLearnerV3ResultsModel,
)
from iqp_api.resources.jobs import AsyncJobs, Jobs
from iqp_wrapper.errors import ResultsNotReadyError

if TYPE_CHECKING:
    from iqp_wrapper.client import AnyIQPClient

JobResult: TypeAlias = (
    ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | NoiseLearnerV3V01NoiseLearnerV3ResultsModel
    | NoiseLearnerV3V02NoiseLearnerV3ResultsModel
    | dict[str, Any]
    | list[Any]
)
"""A job's final result: an executor or noise learner model, or (Sampler, Estimator and
other programs) the result's JSON data as the service sent it."""

_MODELS = (
    ExecutorV01QuantumProgramResultModel,
    ExecutorV02QuantumProgramResultModel,
    NoiseLearnerV3V01NoiseLearnerV3ResultsModel,
    NoiseLearnerV3V02NoiseLearnerV3ResultsModel,
)


def job_results(client: AnyIQPClient, job_id: str) -> JobResult:
    """The final result of job ``job_id``.

    Raises:
        ResultsNotReadyError: the job has no result yet (queued or running); wait first
            (``wait_for_job``).
        NotFoundError: no such job, or it ended without results (failed or cancelled),
            or a private job's result was already read.
        APIError: (a subclass of) for other error answers.
    """
    return _result(job_id, Jobs(client).get_results(job_id))


async def async_job_results(client: AnyIQPClient, job_id: str) -> JobResult:
    """``job_results`` for async code."""
    return _result(job_id, await AsyncJobs(client).get_results(job_id))


def result_data(result: JobResult) -> Any:
    """The result as plain JSON data: a model's ``to_dict()``, or the data itself."""
    if isinstance(result, _MODELS):
        return result.to_dict()
    return result


def _result(job_id: str, parsed: Any) -> JobResult:
    # The namespace method answers None only for the 204 it declares: no result yet.
    if parsed is None:
        raise ResultsNotReadyError(
            f"Job {job_id} has no final result yet: it is still queued or running. Wait for it "
            "(wait_for_job) and ask again.",
            job_id=job_id,
        )
    if isinstance(parsed, JobResultsType4Type0):
        # Any other program's result (Sampler, Estimator...): its JSON object, unchanged.
        return parsed.to_dict()
    if isinstance(parsed, list):
        return parsed
    # Anything else is one of the models: the generated parser reads no other layout.
    assert isinstance(parsed, _MODELS), type(parsed)
    return parsed
