"""job_results and async_job_results: a job's final result, typed by the program that ran.

GET /v1/jobs/{id}/results answers one of the JobResult variants below (the generated
client picks the one its program and ``schema_version`` name: executor v0.1 to v2.0,
noise learner v0.1 to v0.3, from IBM's program schemas), or 204 while there is no result
yet. Sampler and Estimator jobs answer a JSON object (the document said a string: see
openapi/corrections.yaml), returned here as the parsed JSON data, unchanged: the REST form
``{"results": [...], "metadata": ...}`` for OpenQASM 3 jobs, qiskit's encoded
``{"__type__": "PrimitiveResult", ...}`` for jobs qiskit-ibm-runtime submitted.
``result_data`` reads any variant as plain JSON data.

The body may come in three forms, all read alike: a JSON object (``application/json``),
the same JSON text sent as ``text/plain`` (qiskit-ibm-runtime reads it as text), or a JSON
string whose text is the JSON (the document's string type taken literally); the last is
decoded and its content decided among the same variants, by the generated ``best_fit``,
as if it had come on its own.
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING, Any, TypeAlias

from iqp_api.models.executor_v01_quantum_program_result_model import ExecutorV01QuantumProgramResultModel
from iqp_api.models.executor_v02_quantum_program_result_model import ExecutorV02QuantumProgramResultModel
from iqp_api.models.executor_v10_quantum_program_result_model import ExecutorV10QuantumProgramResultModel
from iqp_api.models.executor_v11_quantum_program_result_model import ExecutorV11QuantumProgramResultModel
from iqp_api.models.executor_v20_quantum_program_result_model import ExecutorV20QuantumProgramResultModel
from iqp_api.models.job_results_type_4_type_0 import JobResultsType4Type0
from iqp_api.models.noise_learner_v3v01_noise_learner_v3_results_model import (
    NoiseLearnerV3V01NoiseLearnerV3ResultsModel,
)
from iqp_api.models.noise_learner_v3v02_noise_learner_v3_results_model import (
    NoiseLearnerV3V02NoiseLearnerV3ResultsModel,
)
from iqp_api.models.noise_learner_v3v03_noise_learner_v3_results_model import (
    NoiseLearnerV3V03NoiseLearnerV3ResultsModel,
)
from iqp_api.resources.jobs import AsyncJobs, Jobs
from iqp_api.types import best_fit
from iqp_wrapper._flow import Flow, awaiting, blocking, namespace_call
from iqp_wrapper.errors import ResultsNotReadyError, UnexpectedResponseError

if TYPE_CHECKING:
    from iqp_wrapper.client import AnyIQPClient

JobResult: TypeAlias = (
    ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | ExecutorV10QuantumProgramResultModel
    | ExecutorV11QuantumProgramResultModel
    | ExecutorV20QuantumProgramResultModel
    | NoiseLearnerV3V01NoiseLearnerV3ResultsModel
    | NoiseLearnerV3V02NoiseLearnerV3ResultsModel
    | NoiseLearnerV3V03NoiseLearnerV3ResultsModel
    | dict[str, Any]
    | list[Any]
)
"""A job's final result: an executor or noise learner model, or (Sampler, Estimator and
other programs) the result's JSON data as the service sent it."""

_MODELS = (
    ExecutorV01QuantumProgramResultModel,
    ExecutorV02QuantumProgramResultModel,
    ExecutorV10QuantumProgramResultModel,
    ExecutorV11QuantumProgramResultModel,
    ExecutorV20QuantumProgramResultModel,
    NoiseLearnerV3V01NoiseLearnerV3ResultsModel,
    NoiseLearnerV3V02NoiseLearnerV3ResultsModel,
    NoiseLearnerV3V03NoiseLearnerV3ResultsModel,
)


def _reading(client: AnyIQPClient, job_id: str) -> Flow[JobResult]:
    """The final result of job ``job_id``.

    Raises:
        ResultsNotReadyError: the job has no result yet (queued or running); wait first
            (``wait_for_job``).
        NotFoundError: no such job, or it ended without results (failed or cancelled),
            or a private job's result was already read.
        APIError: (a subclass of) for other error answers.
    """
    return _result(job_id, (yield _GET_RESULTS(client, job_id)))


job_results = blocking(_reading, "job_results")
async_job_results = awaiting(_reading, "async_job_results", "``job_results`` for async code.")
_GET_RESULTS = namespace_call(lambda c: Jobs(c).get_results, lambda c: AsyncJobs(c).get_results)


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
    if isinstance(parsed, str):
        # The document's string form: a JSON string holding the result (see _held_result).
        parsed = _held_result(job_id, parsed)
    if isinstance(parsed, JobResultsType4Type0):
        # Any other program's result (Sampler, Estimator...): its JSON object, unchanged.
        return parsed.to_dict()
    if isinstance(parsed, (list, dict)):
        return parsed
    # Anything else is one of the models: the generated parser reads no other layout.
    assert isinstance(parsed, _MODELS), type(parsed)
    return parsed


def _held_result(job_id: str, text: str) -> Any:
    """The result a JSON string holds, decided among the variants as the generated parser does
    for a body of its own (``best_fit``: tags such as ``schema_version`` first)."""
    try:
        held = json.loads(text)
    except ValueError:
        held = None
    if isinstance(held, list):
        return held
    if not isinstance(held, dict):
        raise UnexpectedResponseError(
            f"Job {job_id}'s result is a JSON string that does not hold a JSON object or array; "
            "the raw body is in .content.",
            status_code=200,
            content=json.dumps(text).encode("utf-8"),
        )
    candidates: list[Any] = []
    for variant in (*_MODELS, JobResultsType4Type0):
        with contextlib.suppress(TypeError, ValueError, AttributeError, KeyError):
            candidates.append(variant.from_dict(held))
    return best_fit(candidates) if candidates else held
