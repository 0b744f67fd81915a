"""Every corpus payload parses into the right model and round-trips unchanged.

Request bodies land in the variant their program_id names (or stay Unresolved when the
document has no such variant: qiskit-ibm-runtime's executor sends schema v2.0, which the
document does not describe yet); results come back from job_results() as their JSON data;
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
    JobRunParams,
    JobRunParamsEstimator,
    JobRunParamsSampler,
)
from iqp_api.types import Unresolved
from iqp_wrapper import IQPClient
from iqp_wrapper.jobs import async_job_results, job_results

from .corpus import ROOT, files, job_bodies, primitive_results

EXPECTED_PARAMS: dict[str, type] = {"sampler": JobRunParamsSampler, "estimator": JobRunParamsEstimator}
# Corpus bodies the document cannot describe, and why they stay Unresolved.
_NOT_EXECUTOR = "not a valid ExecutorV01ParamsModel or ExecutorV02ParamsModel payload"
UNDESCRIBED = {
    # qiskit-ibm-runtime 0.51's executor sends schema_version "v2.0"; the document knows v0.1/v0.2.
    "post_jobs_executor_sampler_job.json": _NOT_EXECUTOR,
    "post_jobs_executor_estimator_job.json": _NOT_EXECUTOR,
    # IBM's guide sends version "2"; the document's Sampler allows only the number 2.
    "post_jobs_sampler_qasm3_version_string.json": "not a valid JobRunParamsSampler payload",
}


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", job_bodies(), ids=_name)
def test_job_bodies_land_in_the_program_s_variant_and_round_trip(path: Path) -> None:
    body = json.loads(path.read_text())

    job = JobRunParams.from_dict(body)

    assert job.to_dict() == body
    if path.name in UNDESCRIBED:
        assert isinstance(job.params, Unresolved) and job.params.reason == UNDESCRIBED[path.name]
    else:
        assert type(job.params) is EXPECTED_PARAMS[body["program_id"]]


@pytest.mark.parametrize("path", files("qiskit/requests", "post_sessions_*.json"), ids=_name)
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
