"""Servers that echo secrets back: the client scrubs what it builds from their words.

A gateway or debug endpoint that repeats the request's headers puts the bearer token into
an error body (message, code, trace), a response header, or a field of a success; an IAM
that repeats the form puts the API key into ``errorCode``. None of it may reach an error's
str, repr, fields or causes, a log record, or the CLI's output. Sync and async.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from iqp_api.api.jobs import get_job
from iqp_api.models import JobRunParams
from iqp_wrapper import (
    APIError,
    IAMError,
    IQPClient,
    SubmissionUnknownError,
    UnexpectedResponseError,
    connect,
    unwrap,
)
from iqp_wrapper.cli import World, run
from iqp_wrapper.jobs import async_submit_job, submit_job

from .rawserver import API_KEY, TOKEN_PREFIX, RawServer, cut_mid_body, echo, respond

pytestmark = pytest.mark.reliability

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/raw0account:raw0instance::"
JOBS = "/api/v1/jobs"
ONE_JOB = r"/api/v1/jobs/[^/]+"
TOKEN = "/identity/token"


@pytest.fixture
def raw() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server


@pytest.fixture(autouse=True)
def everything_logged(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    yield caplog
    assert_clean(*logged(caplog))


def logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [formatter.format(r) for r in caplog.records]


def make(raw: RawServer) -> IQPClient:
    return connect(
        API_KEY, service_crn=CRN, url=raw.api_url, iam_url=raw.iam_url, trust_env=False, timeout=3.0
    )


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert API_KEY not in text, text[:300].replace(API_KEY, "<KEY>")
        assert TOKEN_PREFIX not in text, text[:300]


def error_texts(error: BaseException) -> list[str]:
    texts: list[str] = []
    seen: BaseException | None = error
    while seen is not None and len(texts) < 40:
        texts += [str(seen), repr(seen), *(str(v) for v in vars(seen).values() if not callable(v))]
        if isinstance(seen, UnexpectedResponseError):
            texts.append(seen.content.decode("latin-1"))
        seen = seen.__cause__ or seen.__context__
    return texts


async def get(client: IQPClient, mode: str, job_id: str) -> Any:
    if mode == "sync":
        return unwrap(get_job.sync_detailed(job_id, client=client))
    return unwrap(await get_job.asyncio_detailed(job_id, client=client))


def a_job(raw: RawServer) -> str:
    return str(raw._create(_seen_create())["id"])


def _seen_create() -> Any:
    from .rawserver import Seen

    return Seen("POST", JOBS, {}, {}, json.dumps({"program_id": "sampler", "backend": "ibm_fez"}).encode())


@pytest.mark.parametrize("status", [400, 404, 409, 500])
@pytest.mark.parametrize("json_body", [True, False], ids=["json", "text"])
async def test_an_error_body_echoing_the_token(
    raw: RawServer, mode: str, status: int, json_body: bool
) -> None:
    client = make(raw)
    raw.script("GET", ONE_JOB, echo(status, json_body=json_body))
    with pytest.raises(APIError) as caught:
        await get(client, mode, a_job(raw))
    assert caught.value.status_code == status
    if json_body:
        assert "***" in str(caught.value)  # the echo is shown, masked
    assert_clean(*error_texts(caught.value), *(str(e) for e in caught.value.errors))


async def test_a_success_quoting_the_token_in_a_field(raw: RawServer, mode: str) -> None:
    client = make(raw)
    job_id = a_job(raw)
    await get(client, mode, job_id)  # the token is issued
    token = f"{TOKEN_PREFIX}1"
    raw.script("GET", ONE_JOB, respond((200, {**raw.jobs[job_id], "id": None, "backend": token}, {})))
    with pytest.raises(UnexpectedResponseError) as caught:
        await get(client, mode, job_id)
    assert_clean(*error_texts(caught.value))


async def test_a_submission_echoing_the_token_is_unknown_and_clean(raw: RawServer, mode: str) -> None:
    client = make(raw)
    raw.script("POST", JOBS, echo(502))
    raw.script("GET", JOBS, *[cut_mid_body() for _ in range(12)])
    body = JobRunParams(program_id="sampler", backend="ibm_fez")
    with pytest.raises(SubmissionUnknownError) as caught:
        if mode == "sync":
            submit_job(client, body, sleep=lambda s: None)
        else:

            async def no_sleep(seconds: float) -> None:
                return None

            await async_submit_job(client, body, sleep=no_sleep)
    assert_clean(*error_texts(caught.value))


async def test_iam_echoing_the_key_in_its_error_code(raw: RawServer, mode: str) -> None:
    client = make(raw)
    raw.script("POST", TOKEN, echo(400))
    with pytest.raises(IAMError) as caught:
        await get(client, mode, "whatever")
    assert caught.value.error_code is not None and caught.value.error_code.startswith("BXNIM0415E")
    assert_clean(*error_texts(caught.value), caught.value.error_code, caught.value.error_message or "")


@pytest.mark.parametrize("output", [["-v"], ["--json"], ["-v", "--json"]], ids=["verbose", "json", "both"])
def test_the_cli_shows_no_echoed_secret(raw: RawServer, output: list[str]) -> None:
    job_id = a_job(raw)
    raw.script("GET", ONE_JOB, echo(500))
    out, err = io.StringIO(), io.StringIO()
    environ = {
        "IQP_API_TOKEN": API_KEY,
        "IQP_SERVICE_CRN": CRN,
        "IQP_URL": raw.api_url,
        "IQP_IAM_URL": raw.iam_url,
    }
    code = run(
        ["jobs", "show", job_id, *output], World(stdout=out, stderr=err, environ=environ, interactive=False)
    )
    assert code != 0
    assert "***" in err.getvalue()
    assert_clean(out.getvalue(), err.getvalue())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("exchanged the API key for a bearer token, valid 1 h", None),  # prose stays
        ("Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "Authorization: Bearer ***"),
        ("grant_type=urn%3Aibm&apikey=AbCdEf0123456789xyz", "grant_type=urn%3Aibm&apikey=***"),
        (f"the key {API_KEY} is unknown", "the key *** is unknown"),  # a live Secret (connect holds it)
    ],
)
def test_scrub_masks_credentials_and_leaves_prose(raw: RawServer, text: str, expected: str | None) -> None:
    from iqp_wrapper._secret import scrub

    client = make(raw)  # holds the API key as a live Secret
    assert scrub(text) == (text if expected is None else expected)
    del client
