"""NaN, infinities and repeated keys are not JSON: every body the client parses refuses them.

Python's json reads ``NaN``, ``Infinity`` and ``-Infinity`` and keeps the last of two equal
keys; the client does neither (``iqp_wrapper._json``). A success carrying one is an
UnexpectedResponseError naming the field; an error body carrying one is still the
APIError its status says; IAM's is an IAMError. Raw-socket server, sync and async.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from iqp_api.api.jobs import get_job, list_jobs
from iqp_api.models import JobRunParams
from iqp_wrapper import IAMError, IQPClient, NotFoundError, UnexpectedResponseError, connect, unwrap
from iqp_wrapper._json import JSONRefused, loads
from iqp_wrapper.jobs import async_submit_job, submit_job
from iqp_wrapper.primitives import ResultFormatError, SamplerResult

from .rawserver import API_KEY, RawServer, Seen, after_running, body_bytes

pytestmark = pytest.mark.reliability

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/raw0account:raw0instance::"
JOBS = "/api/v1/jobs"
ONE_JOB = r"/api/v1/jobs/[^/]+"
TOKEN = "/identity/token"


@pytest.fixture
def raw() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server


def make(raw: RawServer) -> IQPClient:
    return connect(
        API_KEY, service_crn=CRN, url=raw.api_url, iam_url=raw.iam_url, trust_env=False, timeout=3.0
    )


def a_job(raw: RawServer) -> dict[str, Any]:
    seen = Seen("POST", JOBS, {}, {}, json.dumps({"program_id": "sampler", "backend": "ibm_fez"}).encode())
    return raw.jobs[raw._create(seen)["id"]]


def job_text(job: dict[str, Any], field: str, literal: str) -> bytes:
    """The job as JSON with ``field`` set to the raw ``literal`` (not valid JSON on purpose)."""
    marker = "__LITERAL__"
    return json.dumps({**job, field: marker}).replace(f'"{marker}"', literal).encode()


async def call(mode: str, sync: Any, asyncio_: Any, *args: Any, **kwargs: Any) -> Any:
    if mode == "sync":
        return unwrap(sync(*args, **kwargs))
    return unwrap(await asyncio_(*args, **kwargs))


@pytest.mark.parametrize(
    ("field", "literal"),
    [("cost", "NaN"), ("cost", "Infinity"), ("cost", "-Infinity"), ("estimated_running_time_seconds", "NaN")],
)
async def test_a_job_with_a_non_finite_number_is_refused(
    raw: RawServer, mode: str, field: str, literal: str
) -> None:
    client, job = make(raw), a_job(raw)
    raw.script("GET", ONE_JOB, body_bytes(job_text(job, field, literal)))
    with pytest.raises(UnexpectedResponseError) as caught:
        await call(mode, get_job.sync_detailed, get_job.asyncio_detailed, job["id"], client=client)
    assert literal in str(caught.value) and repr(field) in str(caught.value)
    assert isinstance(caught.value.__cause__, JSONRefused)
    assert caught.value.__cause__.field == field


async def test_a_job_with_its_id_twice_is_refused(raw: RawServer, mode: str) -> None:
    client, job = make(raw), a_job(raw)
    twice = json.dumps(job).replace('"id": ', '"id": "rawjob-other", "id": ', 1).encode()
    raw.script("GET", ONE_JOB, body_bytes(twice))
    with pytest.raises(UnexpectedResponseError) as caught:
        await call(mode, get_job.sync_detailed, get_job.asyncio_detailed, job["id"], client=client)
    assert "'id' appears twice" in str(caught.value)


async def test_a_list_with_a_nan_count_is_refused(raw: RawServer, mode: str) -> None:
    client = make(raw)
    a_job(raw)
    raw.script("GET", JOBS, body_bytes(b'{"jobs": [], "offset": 0, "limit": 10, "count": NaN}'))
    with pytest.raises(UnexpectedResponseError, match="'count'"):
        await call(mode, list_jobs.sync_detailed, list_jobs.asyncio_detailed, client=client)


async def test_an_error_body_with_nan_is_still_its_status(raw: RawServer, mode: str) -> None:
    client = make(raw)
    raw.script("GET", ONE_JOB, body_bytes(b'{"errors": [{"code": NaN, "message": "gone"}]}', status=404))
    with pytest.raises(NotFoundError) as caught:
        await call(mode, get_job.sync_detailed, get_job.asyncio_detailed, "x", client=client)
    assert caught.value.errors == ()  # not read as the API's error list


async def test_a_submission_answered_with_its_id_twice_is_found_by_tag(raw: RawServer, mode: str) -> None:
    client = make(raw)
    raw.script(
        "POST", JOBS, after_running(body_bytes(b'{"id": "rawjob-x", "id": "rawjob-y", "backend": "b"}'))
    )
    body = JobRunParams(program_id="sampler", backend="ibm_fez")
    if mode == "sync":
        submitted = submit_job(client, body, sleep=lambda s: None)
    else:

        async def no_sleep(seconds: float) -> None:
            return None

        submitted = await async_submit_job(client, body, sleep=no_sleep)
    assert submitted.recovered and submitted.id in raw.jobs
    assert raw.count("POST", JOBS) == 1


@pytest.mark.parametrize(
    "body",
    [
        b'{"access_token": "raw-token-x", "access_token": "raw-token-y", "token_type": "Bearer", '
        b'"expires_in": 60}',
        b'{"access_token": "raw-token-x", "token_type": "Bearer", "expires_in": 60, "expiration": NaN}',
    ],
    ids=["token_twice", "nan_elsewhere"],
)
async def test_iam_answers_that_are_not_json_are_iam_errors(raw: RawServer, mode: str, body: bytes) -> None:
    client = make(raw)
    raw.script("POST", TOKEN, body_bytes(body))
    with pytest.raises(IAMError, match="refuses") as caught:
        await call(mode, get_job.sync_detailed, get_job.asyncio_detailed, "x", client=client)
    assert caught.value.status_code == 200
    assert "raw-token-" not in str(caught.value)


def test_a_result_with_nan_is_refused() -> None:
    with pytest.raises(ResultFormatError, match="NaN"):
        SamplerResult.from_json('{"results": [], "metadata": {"x": NaN}}')


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("NaN", None),
        ("[1, [2, Infinity]]", None),
        ('{"a": {"b": [1.0, -Infinity]}}', "b"),
        ('{"a": 1, "b": {"c": 2, "c": 3}}', "c"),
        ('{"a": 1, "a": 1}', "a"),
    ],
)
def test_loads_refuses_and_names_the_field(text: str, field: str | None) -> None:
    with pytest.raises(JSONRefused) as caught:
        loads(text)
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)


def test_loads_reads_ordinary_json_as_json_does() -> None:
    text = '{"a": [1, 2.5, -3e300, "NaN", null, true], "b": {"c": {}}, "d": []}'
    assert loads(text) == json.loads(text)
