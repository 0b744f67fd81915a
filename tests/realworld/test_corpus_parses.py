"""Every corpus payload parses into the right model and round-trips unchanged.

Request bodies land in the variant their program_id and schema_version name (executor v2.0
and noise-learner v0.3 from IBM's program schemas, openapi/programs/), or stay Unresolved
where the document has no such variant; results come back from job_results() as their JSON data;
backend snapshots parse and give back the same JSON (date-times compared as instants:
the snapshots' offsets are qiskit's re-serialisation, not the service's text).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpx import HTTPXMock

from iqp_api.models import (
    BackendConfigurationResponse,
    BackendPropertiesResponse,
    CreateSessionRequestCloud,
    ExecutorV10QuantumProgramResultModel,
    ExecutorV11QuantumProgramResultModel,
    ExecutorV20ParamsModel,
    ExecutorV20QuantumProgramResultModel,
    JobRunParams,
    JobRunParamsEstimator,
    JobRunParamsSampler,
    NoiseLearnerV3V03NoiseLearnerV3ResultsModel,
    NoiseLearnerV3V03ParamsModel,
)
from iqp_api.types import Unresolved
from iqp_wrapper import IQPClient
from iqp_wrapper.jobs import async_job_results, job_results, result_data

from .corpus import ROOT, files, job_bodies, primitive_results

# The class each program's params land in, by program_id and then schema_version (none for
# the primitives, whose `version` does not choose a class).
EXPECTED_PARAMS: dict[tuple[str, str | None], type] = {
    ("sampler", None): JobRunParamsSampler,
    ("estimator", None): JobRunParamsEstimator,
    ("executor", "v2.0"): ExecutorV20ParamsModel,
    ("noise-learner", "v0.3"): NoiseLearnerV3V03ParamsModel,
}


def _expected(body: dict[str, Any]) -> type:
    params = body["params"]
    tag = params.get("schema_version") if body["program_id"] in ("executor", "noise-learner") else None
    return EXPECTED_PARAMS[(body["program_id"], tag)]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", job_bodies(), ids=_name)
def test_job_bodies_land_in_the_program_s_variant_and_round_trip(path: Path) -> None:
    body = json.loads(path.read_text())

    job = JobRunParams.from_dict(body)

    assert job.to_dict() == body
    # Every body in the corpus is one the document describes: none is left Unresolved.
    assert not isinstance(job.params, Unresolved), job.params.reason
    assert type(job.params) is _expected(body)


@pytest.mark.parametrize(
    "path",
    files("qiskit/requests", "post_sessions_*.json") + files("rest/requests", "post_sessions_*.json"),
    ids=_name,
)
def test_session_bodies_round_trip(path: Path) -> None:
    body = json.loads(path.read_text())
    assert CreateSessionRequestCloud.from_dict(body).to_dict() == body


def _client() -> IQPClient:
    return IQPClient(base_url="https://api.example.test", token="t")


@pytest.mark.parametrize("path", primitive_results(), ids=_name)
def test_job_results_returns_the_result_data(path: Path, httpx_mock: HTTPXMock) -> None:
    payload = json.loads(path.read_text())
    httpx_mock.add_response(url="https://api.example.test/v1/jobs/j1/results", json=payload)
    assert job_results(_client(), "j1") == payload


@pytest.mark.parametrize("path", primitive_results(), ids=_name)
async def test_async_job_results_returns_the_result_data(path: Path, httpx_mock: HTTPXMock) -> None:
    payload = json.loads(path.read_text())
    httpx_mock.add_response(url="https://api.example.test/v1/jobs/j1/results", json=payload)
    assert await async_job_results(_client(), "j1") == payload


# Results built by IBM's program models (programs/produce.py), and the class each lands in.
PROGRAM_RESULTS: dict[str, type] = {
    "executor_v1.0_result.json": ExecutorV10QuantumProgramResultModel,
    "executor_v1.1_result.json": ExecutorV11QuantumProgramResultModel,
    "executor_v2.0_result.json": ExecutorV20QuantumProgramResultModel,
    "noise_learner_v3_v0.3_result.json": NoiseLearnerV3V03NoiseLearnerV3ResultsModel,
}


@pytest.mark.parametrize("name", sorted(PROGRAM_RESULTS))
def test_program_results_land_in_their_version_s_class(name: str, httpx_mock: HTTPXMock) -> None:
    payload = json.loads((ROOT / "programs" / "results" / name).read_text())
    httpx_mock.add_response(url="https://api.example.test/v1/jobs/j1/results", json=payload)

    result = job_results(_client(), "j1")

    assert type(result) is PROGRAM_RESULTS[name]
    assert _same_instants(result_data(result), payload)


def _same_instants(left: Any, right: Any) -> bool:
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same_instants(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same_instants, left, right))
    if isinstance(left, str) and isinstance(right, str) and left != right:
        try:
            return datetime.fromisoformat(left.replace("Z", "+00:00")) == datetime.fromisoformat(
                right.replace("Z", "+00:00")
            )
        except ValueError:
            return False
    return bool(left == right)


@pytest.mark.parametrize("path", files("qiskit/backends", "conf_*.json"), ids=_name)
def test_backend_configurations_parse_and_round_trip(path: Path) -> None:
    payload = json.loads(path.read_text())
    parsed = BackendConfigurationResponse.from_dict(payload)
    assert _same_instants(parsed.to_dict(), payload)
    if payload.get("u_channel_lo"):
        assert parsed.to_dict()["u_channel_lo"][0][0]["scale"] == payload["u_channel_lo"][0][0]["scale"]


@pytest.mark.parametrize("path", files("qiskit/backends", "props_*.json"), ids=_name)
def test_backend_properties_parse_with_integer_qubits(path: Path) -> None:
    payload = json.loads(path.read_text())
    parsed = BackendPropertiesResponse.from_dict(payload)
    assert _same_instants(parsed.to_dict(), payload)
    assert all(isinstance(q, int) for gate in parsed.gates for q in gate.qubits)
