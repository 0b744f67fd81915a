"""The helpers answer as the namespaces do: same SubmittedJob, nullable fields stay None."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from iqp_api.models import JobRunParams
from iqp_wrapper import UnexpectedResponseError
from iqp_wrapper.jobs import SubmittedJob
from iqp_wrapper.jobs.submit import TAG_PREFIX
from iqp_wrapper.primitives import EstimatorPub

from .scripted import JOB, json_answer, scripted, scripted_async

BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; bit[2] c; h $0; cx $0, $1; c[0] = measure $0; c[1] = measure $1;'
)


class JobsApi:
    """POST /v1/jobs answers ``created``; GET /v1/jobs lists the jobs posted so far."""

    def __init__(self, created: dict[str, Any] | None, status: int = 200) -> None:
        self.created = created
        self.status = status
        self.posted: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.posted.append(json.loads(request.content))
            if self.created is None:
                return httpx.Response(self.status, content=b"<html>gateway</html>")
            return json_answer(self.status, self.created)
        jobs = [
            {**JOB, "id": "job-found", "tags": body.get("tags", []), "session_id": None}
            for body in self.posted
        ]
        return json_answer(200, {"jobs": jobs, "offset": 0, "limit": 2, "count": len(jobs)})


def _body() -> JobRunParams:
    return JobRunParams.from_dict({"program_id": "sampler", "backend": "ibm_fez", "params": {}})


@pytest.mark.parametrize(
    "created",
    [{"id": "job-1", "backend": "ibm_fez", "session_id": None}, {"id": "job-1", "backend": "ibm_fez"}],
)
def test_a_null_or_absent_session_stays_none(created: dict[str, Any]) -> None:
    client = scripted(JobsApi(created))
    submitted = client.jobs.submit(_body())
    assert submitted.session_id is None
    sampled = client.primitives.submit_sampler("ibm_fez", [BELL], shots=10)
    assert sampled.session_id is None


def test_submit_sampler_returns_what_jobs_submit_returns() -> None:
    api = JobsApi({"id": "job-1", "backend": "ibm_fez", "session_id": "session-7"})
    client = scripted(api)
    sampled = client.primitives.submit_sampler("ibm_fez", [BELL], shots=10)
    estimated = client.primitives.submit_estimator("ibm_fez", [EstimatorPub(BELL, "ZZ")])
    submitted = client.jobs.submit(_body())
    for job in (sampled, estimated, submitted):
        assert isinstance(job, SubmittedJob)
        assert job.id == "job-1" and job.session_id == "session-7" and job.recovered is False
        assert job.tag.startswith(TAG_PREFIX)
    assert sampled.tag in api.posted[0]["tags"]  # the tag the service has


def test_submit_sampler_reports_a_recovered_job() -> None:
    # A 200 whose body cannot be read: the job may exist; it is found by its tag, not resent.
    api = JobsApi(None)
    client = scripted(api)
    sampled = client.primitives.submit_sampler("ibm_fez", [BELL], shots=10)
    assert sampled.recovered is True and sampled.id == "job-found"
    assert sampled.session_id is None  # null in the listing: None, never 'None'
    assert len(api.posted) == 1


async def test_async_helpers_return_the_same() -> None:
    api = JobsApi({"id": "job-1", "backend": "ibm_fez", "session_id": None})
    async with scripted_async(api) as client:
        sampled = await client.primitives.submit_sampler("ibm_fez", [BELL], shots=10)
        submitted = await client.jobs.submit(_body())
    assert isinstance(sampled, SubmittedJob) and isinstance(submitted, SubmittedJob)
    assert sampled.session_id is None and submitted.session_id is None


def test_helpers_raise_as_the_namespaces_do_for_an_undeclared_success() -> None:
    client = scripted(lambda _: json_answer(202, JOB))
    with pytest.raises(UnexpectedResponseError):
        client.jobs.wait("job-1", timeout=1, sleep=lambda _: None)
    with pytest.raises(UnexpectedResponseError):
        client.jobs.results("job-1")
    with pytest.raises(UnexpectedResponseError):
        client.primitives.least_busy()
