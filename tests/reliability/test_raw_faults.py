"""The fault suite: the real client against a raw-socket server that misbehaves on purpose.

Each fault ends in the documented outcome (success after a safe retry, the job recovered by
its tag, or a typed IQPError) within the call's deadline, sync and async alike, with no
secret in the error. ``docs/reliability.md`` has the table these tests back.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest

from iqp_api.api.jobs import create_job, get_job
from iqp_api.models import JobRunParams
from iqp_wrapper import (
    APIConnectionError,
    APITimeoutError,
    IAMError,
    IAMTimeoutError,
    IQPClient,
    IQPError,
    RateLimitError,
    ResponseTooLargeError,
    RetryPolicy,
    SubmissionUnknownError,
    UnexpectedResponseError,
    connect,
    unwrap,
)
from iqp_wrapper.jobs import async_submit_job, submit_job

from .rawserver import (
    API_KEY,
    TOKEN_PREFIX,
    RawServer,
    after_running,
    body_bytes,
    close_unanswered,
    cut_mid_body,
    delayed,
    drip,
    gzip_bomb,
    redirect,
    reset_after_headers,
    respond,
    stall,
    token_body,
)

pytestmark = pytest.mark.reliability

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/raw0account:raw0instance::"
FAST = RetryPolicy(max_attempts=4, max_elapsed=10.0, backoff=0.01, max_backoff=0.05, max_retry_after=1.0)
JOBS = "/api/v1/jobs"
ONE_JOB = r"/api/v1/jobs/[^/]+"
TOKEN = "/identity/token"
SLACK = 0.6  # seconds allowed past a deadline: thread scheduling on a loaded 2-core machine


@pytest.fixture
def raw() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server


def make(raw: RawServer, *, timeout: float | httpx.Timeout = 3.0, **options: Any) -> IQPClient:
    return connect(
        API_KEY,
        service_crn=CRN,
        url=raw.api_url,
        iam_url=raw.iam_url,
        trust_env=False,
        timeout=timeout,
        retries=options.pop("retries", FAST),
        **options,
    )


class Calls:
    """The client's calls, made the sync or the async way (each a coroutine either way)."""

    def __init__(self, client: IQPClient, mode: str) -> None:
        self.client, self.mode = client, mode

    async def run(
        self, sync: Callable[..., Any], asyncio_: Callable[..., Awaitable[Any]], *a: Any, **k: Any
    ) -> Any:
        if self.mode == "sync":
            return sync(*a, client=self.client, **k)
        return await asyncio_(*a, client=self.client, **k)

    async def get_job(self, job_id: str) -> Any:
        return unwrap(await self.run(get_job.sync_detailed, get_job.asyncio_detailed, job_id))

    async def create_job(self) -> str:
        body = JobRunParams(program_id="sampler", backend="ibm_fez")
        created = unwrap(await self.run(create_job.sync_detailed, create_job.asyncio_detailed, body=body))
        return str(created.id)

    async def submit(self, **options: Any) -> Any:
        body = JobRunParams(program_id="sampler", backend="ibm_fez", tags=["mine"])
        if self.mode == "sync":
            return submit_job(self.client, body, sleep=lambda s: None, **options)
        return await async_submit_job(self.client, body, sleep=_no_sleep, **options)


async def _no_sleep(seconds: float) -> None:
    return None


@pytest.fixture
def calls(raw: RawServer, mode: str) -> Callable[..., Calls]:
    return lambda **options: Calls(make(raw, **options), mode)


def a_job(raw: RawServer) -> str:
    with make(raw) as client:
        return unwrap(
            create_job.sync_detailed(client=client, body=JobRunParams(program_id="s", backend="b"))
        ).id


class Timer:
    def __init__(self) -> None:
        self.took = 0.0

    def __enter__(self) -> Timer:
        self._start = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.took = time.monotonic() - self._start


def clean(error: BaseException, *secrets: str) -> None:
    """No secret anywhere in the error or its causes."""
    seen: BaseException | None = error
    while seen is not None:
        for text in (str(seen), repr(seen)):
            assert API_KEY not in text
            assert TOKEN_PREFIX not in text
            for secret in secrets:
                assert secret not in text
        seen = seen.__cause__ or seen.__context__


# -- reads that break after the headers: retried when safe ---------------------------------


@pytest.mark.parametrize("fault", [reset_after_headers, cut_mid_body], ids=["after_headers", "mid_body"])
async def test_get_broken_after_the_headers_is_retried(raw: RawServer, calls: Any, fault: Any) -> None:
    job_id = a_job(raw)
    api = calls()
    raw.script("GET", ONE_JOB, fault())
    assert (await api.get_job(job_id)).id == job_id
    assert raw.count("GET", ONE_JOB) == 2


async def test_get_broken_every_time_fails_typed(raw: RawServer, calls: Any) -> None:
    job_id = a_job(raw)
    api = calls()
    raw.script("GET", ONE_JOB, *[cut_mid_body() for _ in range(4)])
    with Timer() as timer, pytest.raises(APIConnectionError) as caught:
        await api.get_job(job_id)
    assert caught.value.may_have_reached_server is True
    assert caught.value.method == "GET"
    assert caught.value.url == f"{raw.api_url}/v1/jobs/{job_id}"
    assert caught.value.detail  # a real message, async too
    assert raw.count("GET", ONE_JOB) == 4
    assert timer.took < 3.0
    clean(caught.value)


# -- deadlines: timeout bounds the whole call ----------------------------------------------


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers_and_body"])
async def test_drip_fed_get_ends_at_the_deadline(raw: RawServer, calls: Any, headers_too: bool) -> None:
    job_id = a_job(raw)
    api = calls(timeout=1.0)
    await api.get_job(job_id)  # the token is fetched: the deadline below is the GET's alone
    raw.script("GET", ONE_JOB, drip(0.05, headers_too=headers_too))
    with Timer() as timer, pytest.raises(APITimeoutError) as caught:
        await api.get_job(job_id)
    assert timer.took < 1.0 + SLACK
    assert isinstance(caught.value, TimeoutError)
    clean(caught.value)


async def test_drip_fed_submission_ends_at_the_deadline_and_is_not_resent(raw: RawServer, calls: Any) -> None:
    api = calls(timeout=1.0)
    await api.get_job(a_job(raw))  # the token is fetched: the deadline below is the POST's alone
    raw.script("POST", JOBS, drip(0.05))
    before, posts = len(raw.jobs), raw.count("POST", JOBS)
    with Timer() as timer, pytest.raises(APITimeoutError) as caught:
        await api.create_job()
    assert timer.took < 1.0 + SLACK
    assert caught.value.may_have_reached_server is True
    assert raw.count("POST", JOBS) == posts + 1
    assert len(raw.jobs) == before + 1


async def test_a_silent_server_ends_at_the_deadline(raw: RawServer, calls: Any) -> None:
    job_id = a_job(raw)
    api = calls(timeout=0.8)
    raw.script("GET", ONE_JOB, *[stall(5.0) for _ in range(4)])
    with Timer() as timer, pytest.raises(APITimeoutError):
        await api.get_job(job_id)
    assert timer.took < 0.8 + SLACK


async def test_the_iam_exchange_counts_against_the_calls_deadline(raw: RawServer, calls: Any) -> None:
    api = calls(timeout=1.0)
    raw.script("POST", TOKEN, drip(0.05, headers_too=True))
    with Timer() as timer, pytest.raises(IAMTimeoutError) as caught:
        await api.get_job("whatever")
    assert timer.took < 1.0 + SLACK
    clean(caught.value)


# -- submissions: never lost, never sent twice ---------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        reset_after_headers(),
        cut_mid_body(),
        close_unanswered(),
        after_running(body_bytes(b'{"id": "rawjob-not-this"}')),  # no backend: KeyError before
        after_running(body_bytes(b'{"id": null, "backend": "ibm_fez"}')),
        after_running(body_bytes(b"<html>ok</html>")),
        after_running(respond((502, b"bad gateway", {}))),
    ],
    ids=["after_headers", "mid_body", "unanswered", "missing_field", "null_id", "not_json", "502"],
)
async def test_submission_with_unknown_outcome_is_found_by_its_tag(
    raw: RawServer, calls: Any, fault: Any
) -> None:
    api = calls()
    raw.script("POST", JOBS, fault)
    before = len(raw.jobs)
    submitted = await api.submit()
    assert raw.count("POST", JOBS) == 1  # never resent
    assert len(raw.jobs) == before + 1
    assert submitted.recovered is True
    assert submitted.id in raw.jobs
    assert raw.jobs[submitted.id]["tags"] == ["mine", submitted.tag]
    assert submitted.tag.startswith("iqp-submit-") and len(submitted.tag) == 43
    lookups = raw.requests("GET", JOBS)
    assert lookups and lookups[-1].query["tags"] == [submitted.tag]


async def test_submission_that_never_ran_and_cannot_be_found_is_unknown(raw: RawServer, calls: Any) -> None:
    api = calls()
    raw.script("POST", JOBS, close_unanswered(run=False))
    before = len(raw.jobs)
    with pytest.raises(SubmissionUnknownError) as caught:
        await api.submit()
    assert raw.count("POST", JOBS) == 1
    assert len(raw.jobs) == before
    assert caught.value.tag.startswith("iqp-submit-")
    assert caught.value.tag in str(caught.value)
    assert len(raw.requests("GET", JOBS)) == 3  # looked up three times
    clean(caught.value)


async def test_submission_whose_lookups_fail_too_is_unknown(raw: RawServer, calls: Any) -> None:
    api = calls()
    raw.script("POST", JOBS, reset_after_headers())
    raw.script("GET", JOBS, *[cut_mid_body() for _ in range(12)])
    with pytest.raises(SubmissionUnknownError) as caught:
        await api.submit()
    assert raw.count("POST", JOBS) == 1
    assert isinstance(caught.value.__cause__, APIConnectionError)


async def test_plain_submission_after_the_headers_is_typed_not_resent(raw: RawServer, calls: Any) -> None:
    api = calls()
    raw.script("POST", JOBS, reset_after_headers())
    with pytest.raises(APIConnectionError) as caught:
        await api.create_job()
    assert caught.value.may_have_reached_server is True
    assert raw.count("POST", JOBS) == 1


async def test_submission_answered_normally_is_not_looked_up(raw: RawServer, calls: Any) -> None:
    submitted = await calls().submit()
    assert submitted.recovered is False
    assert raw.count("GET", JOBS) == 0
    assert raw.jobs[submitted.id]["tags"][-1] == submitted.tag


# -- malformed successes on every operation family -----------------------------------------

FAMILIES = [
    "accounts.get_account",
    "analytics.get_analytics_filters",
    "backends.list_backends",
    "instances.get_instance",
    "jobs.get_job",
    "jobs.list_jobs",
    "sessions.get_session",
    "tags.list_tags",
    "versions.get_versions",
    "workloads.list_workloads",
]


def _fill(function: Callable[..., Any], client: IQPClient) -> tuple[list[Any], dict[str, Any]]:
    args: list[Any] = []
    kwargs: dict[str, Any] = {"client": client}
    for name, param in inspect.signature(function).parameters.items():
        if name == "client" or param.default is not inspect.Parameter.empty:
            continue
        if param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            args.append("x1")
        else:
            kwargs[name] = "x1"
    return args, kwargs


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"{broken", id="truncated"),
        pytest.param(b"[]", id="list"),
        pytest.param(b'{"x": ' * 50_000, id="deep", marks=pytest.mark.deep_recursion),
    ],
)
async def test_malformed_success_on_each_family(
    raw: RawServer, mode: str, family: str, content: bytes
) -> None:
    module = __import__(f"iqp_api.api.{family}", fromlist=["sync_detailed"])
    client = make(raw)
    raw.script("GET", r"/api/.*", body_bytes(content))
    args, kwargs = _fill(module.sync_detailed, client)
    with pytest.raises(UnexpectedResponseError) as caught:
        if mode == "sync":
            module.sync_detailed(*args, **kwargs)
        else:
            await module.asyncio_detailed(*args, **kwargs)
    assert caught.value.content == content
    assert caught.value.status_code == 200


# -- IAM under 40 concurrent callers: 20 threads and 20 tasks --------------------------------


def forty_callers(client: IQPClient, job_id: str) -> list[BaseException | None]:
    """20 threads and 20 tasks ask for the job at once; each one's outcome."""
    outcomes: list[BaseException | None] = []
    lock = threading.Lock()
    start = threading.Barrier(21)

    def record(error: BaseException | None) -> None:
        with lock:
            outcomes.append(error)

    def thread() -> None:
        start.wait()
        try:
            unwrap(get_job.sync_detailed(job_id, client=client))
            record(None)
        except BaseException as exc:
            record(exc)

    async def task() -> None:
        try:
            unwrap(await get_job.asyncio_detailed(job_id, client=client))
            record(None)
        except BaseException as exc:
            record(exc)

    async def tasks() -> None:
        start.wait()
        await asyncio.gather(*(task() for _ in range(20)))

    threads = [threading.Thread(target=thread) for _ in range(20)]
    for t in threads:
        t.start()
    asyncio.run(tasks())
    for t in threads:
        t.join(30)
    return outcomes


@pytest.mark.parametrize(
    "faults",
    [
        [respond((503, {"errorCode": "BXNIM0001E"}, {})), respond((500, {}, {}))],
        [respond((429, {}, {"Retry-After": "0.2"}))],
        [reset_after_headers(run=False), close_unanswered(run=False)],
    ],
    ids=["5xx", "429_retry_after", "connection_errors"],
)
@pytest.mark.parametrize("mode", ["mixed"])
def test_iam_faults_are_retried_once_for_forty_callers(raw: RawServer, faults: list[Any], mode: str) -> None:
    job_id = a_job(raw)
    issued = raw.tokens_issued
    client = make(raw)
    # The first attempt is held open until every caller is waiting on the one exchange.
    raw.script("POST", TOKEN, delayed(0.5, faults[0]), *faults[1:])
    attempts_before = raw.count("POST", TOKEN)
    with Timer() as timer:
        outcomes = forty_callers(client, job_id)
    assert outcomes == [None] * 40
    assert raw.count("POST", TOKEN) - attempts_before == len(faults) + 1  # one exchange
    assert raw.tokens_issued == issued + 1
    assert timer.took < 3.0


@pytest.mark.parametrize("mode", ["mixed"])
def test_iam_down_fails_forty_callers_together_typed(raw: RawServer, mode: str) -> None:
    job_id = a_job(raw)
    client = make(raw)
    raw.script(
        "POST", TOKEN, delayed(0.5, respond((503, {}, {}))), *[respond((503, {}, {})) for _ in range(3)]
    )
    before = raw.count("POST", TOKEN)
    with Timer() as timer:
        outcomes = forty_callers(client, job_id)
    assert len(outcomes) == 40
    assert all(type(o) is IAMError and o.status_code == 503 for o in outcomes), outcomes
    assert raw.count("POST", TOKEN) - before == 4  # one exchange: its four attempts
    assert timer.took < 3.0


@pytest.mark.parametrize("mode", ["mixed"])
def test_iam_hanging_fails_forty_callers_within_their_deadline(raw: RawServer, mode: str) -> None:
    job_id = a_job(raw)
    client = make(raw, timeout=1.0)
    # Every exchange hangs: a leader cut short by its own deadline hands over to a waiter,
    # whose exchange hangs too.
    raw.script("POST", TOKEN, *[stall(10.0) for _ in range(40)])
    with Timer() as timer:
        outcomes = forty_callers(client, job_id)
    assert len(outcomes) == 40
    assert all(isinstance(o, IAMTimeoutError) for o in outcomes), [type(o) for o in outcomes]
    assert timer.took < 1.0 + SLACK * 2


# -- IAM answers that are not a usable token --------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'{"access_token": "raw-token-x", "token_type": "Bearer", "expires_in": NaN}',
        b'{"access_token": "raw-token-x", "token_type": "Bearer", "expires_in": Infinity}',
        b'{"access_token": "raw-token-x", "token_type": "Bearer", "expires_in": 0}',
        b'{"access_token": "raw-token-x", "token_type": "Bearer", "expires_in": -60}',
        b'{"access_token": "raw-token-x", "token_type": "Bearer", "expires_in": "3600"}',
        json.dumps(token_body("raw-token-x\r\nX-Injected: 1", 3600, 0)).encode(),
        json.dumps(token_body("raw-token-x\x00", 3600, 0)).encode(),
        json.dumps(token_body("raw-token-\u00e9", 3600, 0)).encode(),
        pytest.param(b"[" * 100_000, marks=pytest.mark.deep_recursion),
    ],
    ids=["nan", "infinity", "zero", "negative", "string", "crlf", "nul", "non_ascii", "deep"],
)
async def test_unusable_token_answers_are_iam_errors(raw: RawServer, calls: Any, body: bytes) -> None:
    api = calls()
    raw.script("POST", TOKEN, body_bytes(body))
    with pytest.raises(IAMError) as caught:
        await api.get_job("whatever")
    assert caught.value.status_code == 200
    assert raw.count("GET", ONE_JOB) == 0  # nothing sent with it
    clean(caught.value, "raw-token-x")


# -- redirects and size ------------------------------------------------------------------------


async def test_redirects_to_another_host_carry_no_api_header(raw: RawServer, mode: str) -> None:
    with RawServer() as other:
        client = make(raw)
        raw.script("GET", "/api/v1/versions", redirect(other.url + "/elsewhere"))
        other.script("GET", "/elsewhere", respond((200, {"ok": True}, {})))
        if mode == "sync":
            response = client.get_httpx_client().get("/v1/versions", follow_redirects=True)
        else:
            response = await client.get_async_httpx_client().get("/v1/versions", follow_redirects=True)
        assert response.status_code == 200
        (seen,) = other.requests("GET", "/elsewhere")
        for name in ("authorization", "service-crn", "ibm-api-version"):
            assert name not in seen.headers
        (api_seen,) = raw.requests("GET", "/api/v1/versions")
        assert api_seen.headers["service-crn"] == CRN


async def test_a_gzip_bomb_stops_at_the_cap(raw: RawServer, calls: Any) -> None:
    api = calls(max_response_bytes=4 << 20)
    job_id = a_job(raw)
    raw.script("GET", ONE_JOB, gzip_bomb(64 << 20))
    with Timer() as timer, pytest.raises(ResponseTooLargeError) as caught:
        await api.get_job(job_id)
    assert caught.value.limit == 4 << 20
    assert isinstance(caught.value, IQPError)
    assert timer.took < 2.0


async def test_a_big_answer_under_the_cap_is_read(raw: RawServer, calls: Any) -> None:
    api = calls(max_response_bytes=4 << 20)
    job_id = a_job(raw)
    raw.jobs[job_id]["padding"] = "x" * (3 << 20)
    assert (await api.get_job(job_id)).id == job_id


async def test_retry_waits_never_outlast_the_deadline(raw: RawServer, calls: Any) -> None:
    """Two 429s asking for 0.7 s each: the first wait fits in the 1 s deadline, the second
    would not, so the caller gets the 429 at once instead of a late answer."""
    job_id = a_job(raw)
    api = calls(timeout=1.0)
    await api.get_job(job_id)
    busy = (429, {"errors": [{"code": "3211", "message": "slow down"}]}, {"Retry-After": "0.7"})
    raw.script("GET", ONE_JOB, respond(busy), respond(busy))
    with Timer() as timer, pytest.raises(RateLimitError) as caught:
        await api.get_job(job_id)
    assert caught.value.retry_after == 0.7
    assert raw.count("GET", ONE_JOB) == 3  # the first call, then two attempts
    assert 0.7 <= timer.took < 1.0 + SLACK
