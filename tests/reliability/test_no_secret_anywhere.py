"""The fault suite's words, all of them, grepped for secrets.

Runs the faults of this round against the raw-socket server (servers that echo the
request's headers or form, 429s with every kind of Retry-After, unreadable and non-JSON
successes, unknown submission outcomes, second-long tokens dying on the way, a gzip bomb,
``iqp doctor`` and ``iqp jobs show`` in verbose and JSON modes), sync and async, with every
logger captured at DEBUG. Every log line, every error's str, repr, fields and causes, and
every line the CLI printed is collected; there must be at least 700 of them, and none may
hold the API key or a token the server issued.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from iqp_api.api.jobs import get_job
from iqp_api.models import JobRunParams
from iqp_wrapper import IQPClient, RetryPolicy, connect, unwrap
from iqp_wrapper.cli import World, run
from iqp_wrapper.jobs import async_submit_job, submit_job
from iqp_wrapper.primitives import Pacer, async_submit_sampler, submit_sampler

from .rawserver import (
    API_KEY,
    TOKEN_PREFIX,
    RawServer,
    Seen,
    after_running,
    body_bytes,
    cut_mid_body,
    delayed,
    echo,
    gzip_bomb,
    respond,
)

pytestmark = pytest.mark.reliability

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/raw0account:raw0instance::"
JOBS, ONE_JOB, TOKEN = "/api/v1/jobs", r"/api/v1/jobs/[^/]+", "/identity/token"
BELL = "OPENQASM 3.0;\nbit[2] meas;\nmeas = measure $[0:1];\n"
POLICY = RetryPolicy(max_attempts=4, max_elapsed=10.0, backoff=0.01, max_backoff=0.05, max_retry_after=5.0)
MODES = ("sync", "async")


def make(raw: RawServer, **options: Any) -> IQPClient:
    options.setdefault("timeout", 5.0)
    return connect(
        API_KEY,
        service_crn=CRN,
        url=raw.api_url,
        iam_url=raw.iam_url,
        trust_env=False,
        retries=POLICY,
        **options,
    )


def a_job(raw: RawServer) -> str:
    seen = Seen("POST", JOBS, {}, {}, json.dumps({"program_id": "sampler", "backend": "ibm_fez"}).encode())
    return str(raw._create(seen)["id"])


def error_words(error: BaseException) -> list[str]:
    words: list[str] = []
    seen: BaseException | None = error
    while seen is not None and len(words) < 100:
        words += [str(seen), repr(seen)]
        for value in vars(seen).values():
            words.append(value.decode("latin-1") if isinstance(value, bytes) else str(value))
        seen = seen.__cause__ or seen.__context__
    return words


async def outcome(mode: str, sync: Callable[[], Any], async_: Callable[[], Any]) -> list[str]:
    """Run the call the ``mode`` way; the words of what it returned or raised."""
    try:
        result = sync() if mode == "sync" else await async_()
    except BaseException as exc:  # the fault's outcome is what is collected
        return error_words(exc)
    return [repr(result)]


async def get_job_words(raw: RawServer, mode: str, client: IQPClient, job_id: str) -> list[str]:
    return await outcome(
        mode,
        lambda: unwrap(get_job.sync_detailed(job_id, client=client)),
        lambda: _awaited_job(client, job_id),
    )


async def _awaited_job(client: IQPClient, job_id: str) -> Any:
    return unwrap(await get_job.asyncio_detailed(job_id, client=client))


def cli(raw: RawServer, *argv: str) -> list[str]:
    out, err = io.StringIO(), io.StringIO()
    environ = {
        "IQP_API_TOKEN": API_KEY,
        "IQP_SERVICE_CRN": CRN,
        "IQP_URL": raw.api_url,
        "IQP_IAM_URL": raw.iam_url,
    }
    code = run([*argv, "--timeout", "2"], World(stdout=out, stderr=err, environ=environ, interactive=False))
    return [f"exit {code}", *out.getvalue().splitlines(), *err.getvalue().splitlines()]


async def faults(mode: str) -> list[str]:
    words: list[str] = []
    # Error bodies that echo the request (JSON and text), on reads and on submissions.
    for status in (400, 401, 404, 409, 500, 503):
        for as_json in (True, False):
            with RawServer() as raw:
                job_id = a_job(raw)
                raw.script("GET", ONE_JOB, *[echo(status, json_body=as_json)] * 5)
                words += await get_job_words(raw, mode, make(raw), job_id)
    with RawServer() as raw:
        raw.script("POST", TOKEN, echo(400))
        words += await get_job_words(raw, mode, make(raw), "whatever")
    for fault in (echo(502), after_running(body_bytes(b'{"id": null}')), cut_mid_body()):
        with RawServer() as raw:
            client = make(raw)
            raw.script("POST", JOBS, fault)
            raw.script("GET", JOBS, *[echo(500)] * 12)
            body = JobRunParams(program_id="sampler", backend="ibm_fez")
            words += await outcome(
                mode,
                partial(submit_job, client, body, sleep=_no_sync_sleep),
                partial(async_submit_job, client, body, sleep=_no_sleep),
            )
    # 429 on submission, every kind of Retry-After; the pacer's waits told, not slept.
    told: list[object] = []
    for retry_after in ("1e9", "inf", "nan", "-5", "soon", "1"):
        with RawServer() as raw:
            client = make(raw)
            raw.script("POST", JOBS, *[respond((429, {"errors": []}, {"Retry-After": retry_after}))] * 3)
            pacer = Pacer(sleep=_no_sync_sleep, async_sleep=_no_sleep)
            options: dict[str, Any] = {"pacer": pacer, "progress": told.append}
            words += await outcome(
                mode,
                partial(submit_sampler, client, "ibm_fez", [BELL], **options),
                partial(async_submit_sampler, client, "ibm_fez", [BELL], **options),
            )
    # Successes the client cannot read, one quoting the token.
    for content in (b"<html>", b'{"id": "a", "id": "b"}', b'{"cost": NaN}', b'{"backend": "raw-token-1"}'):
        with RawServer() as raw:
            job_id = a_job(raw)
            client = make(raw)
            await get_job_words(raw, mode, client, job_id)
            raw.script("GET", ONE_JOB, body_bytes(content))
            words += await get_job_words(raw, mode, client, job_id)
    words += [repr(wait) for wait in told]
    # Second-long tokens that die on the way, and a gzip bomb.
    with RawServer(expires_in=1) as raw:
        job_id = a_job(raw)
        raw.script("GET", ONE_JOB, *[delayed(0.6, echo(401))] * 3)
        words += await get_job_words(raw, mode, make(raw, timeout=20.0), job_id)
    with RawServer() as raw:
        job_id = a_job(raw)
        raw.script("GET", ONE_JOB, gzip_bomb(8 << 20))
        words += await get_job_words(raw, mode, make(raw, max_response_bytes=1 << 20), job_id)
    return words


async def _no_sleep(seconds: float) -> None:
    return None


def _no_sync_sleep(seconds: float) -> None:
    return None


def cli_faults() -> list[str]:
    words: list[str] = []
    for argv in (["-v"], ["--json"], ["-v", "--json"]):
        with RawServer() as raw:
            job_id = a_job(raw)
            raw.script("GET", ONE_JOB, echo(500))
            words += cli(raw, "jobs", "show", job_id, *argv)
        with RawServer() as raw:
            raw.script("POST", TOKEN, echo(400))
            words += cli(raw, "doctor", *argv)
        with RawServer() as raw:
            raw.script("GET", "/api/v1/versions", body_bytes(b"<html>sign in</html>"))
            raw.script("GET", r"/api/v1/instances/usage", echo(403))
            words += cli(raw, "doctor", *argv)
    return words


def test_no_secret_in_the_fault_suites_logs_errors_and_output(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    words = asyncio.run(faults("async"))
    words += asyncio.run(faults("sync"))
    words += cli_faults()
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    records = [formatter.format(record) for record in caplog.records]
    records += [repr(record.args) for record in caplog.records if record.args]
    lines = [line for text in [*words, *records] for line in str(text).splitlines()]
    assert len(lines) >= 700, len(lines)
    print(f"{len(lines)} lines grepped")
    leaks = [line for line in lines if API_KEY in line or TOKEN_PREFIX in line]
    shown = [line.replace(API_KEY, "<KEY>")[:200] for line in leaks[:5]]
    assert not leaks, f"{len(leaks)} of {len(lines)} lines hold a secret, e.g. {shown}"
