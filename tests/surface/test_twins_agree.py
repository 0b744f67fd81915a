"""Each sync/async twin, driven by the same scripted answers, does the same thing.

The twins of ``iqp_wrapper.jobs``, ``primitives`` (sessions too) and the IAM exchange are one flow run by
two drivers (``iqp_wrapper._flow``). These tests pin that: one script of API answers is
played to the blocking helper and again to its async twin, and the requests sent, the
sleeps asked for, the progress reported and the result (or the error, message and all)
must be the same. A twin that drifted (an extra poll, a missed lookup, a sleep the other
does not make) fails here.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from iqp_api.models import JobRunParams
from iqp_wrapper import IQPError
from iqp_wrapper._secret import Secret
from iqp_wrapper.auth import iam
from iqp_wrapper.jobs import (
    async_iter_jobs,
    async_job_results,
    async_submit_job,
    async_wait_for_job,
    iter_jobs,
    job_results,
    submit_job,
    wait_for_job,
)
from iqp_wrapper.primitives import QuantumProgram
from iqp_wrapper.primitives.executor_submit import async_submit_executor, submit_executor
from iqp_wrapper.primitives.pacing import Pacer
from iqp_wrapper.primitives.sessions import open_batch, open_session
from iqp_wrapper.primitives.submit import async_submit_sampler, submit_sampler
from iqp_wrapper.transport.network import Network
from iqp_wrapper.transport.retry import NO_RETRIES

from .scripted import JOB, json_answer, scripted, scripted_async

BELL = 'OPENQASM 3.0; include "stdgates.inc"; bit[1] c; h $0; c[0] = measure $0;'
TAG = "iqp-submit-" + "0" * 32


class Script:
    """Answers per ``METHOD /path``, in order; records every request as ``METHOD /path?query``."""

    def __init__(self, answers: dict[str, list[httpx.Response]]) -> None:
        self.answers = {route: list(queue) for route, queue in answers.items()}
        self.sent: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        route = f"{request.method} {request.url.path.removeprefix('/api')}"
        query = sorted((k, v) for k, v in request.url.params.multi_items() if k != "tags")
        self.sent.append(f"{route}?{query}")
        return self.answers[route].pop(0)


def _job(status: str, **extra: Any) -> httpx.Response:
    job = copy.deepcopy(JOB)
    job.update(id="job-1", status=status, state={"status": status}, **extra)
    return json_answer(200, job)


def _listed(*jobs: dict[str, Any]) -> httpx.Response:
    return json_answer(200, {"jobs": list(jobs), "offset": 0, "limit": 2, "count": len(jobs)})


def _outcome(call: Callable[[], Any]) -> Any:
    try:
        return ("returned", call())
    except IQPError as error:
        return ("raised", type(error).__name__, str(error))


async def _async_outcome(call: Callable[[], Any]) -> Any:
    try:
        return ("returned", await call())
    except IQPError as error:
        return ("raised", type(error).__name__, str(error))


def _both(
    answers: Callable[[], dict[str, list[httpx.Response]]],
    sync: Callable[[Any, list[Any]], Any],
    async_: Callable[[Any, list[Any]], Any],
) -> Iterator[tuple[Any, list[str], list[Any]]]:
    """Each twin's (outcome, requests sent, things noted), from the same script."""
    script, noted = Script(answers()), list[Any]()
    yield _outcome(lambda: sync(scripted(script), noted)), script.sent, noted

    async def in_a_loop() -> tuple[Any, list[str], list[Any]]:
        script, noted = Script(answers()), list[Any]()
        async with scripted_async(script) as client:
            outcome = await _async_outcome(lambda: async_(client, noted))
        return outcome, script.sent, noted

    yield asyncio.run(in_a_loop())


def _agree(runs: Iterator[tuple[Any, list[str], list[Any]]]) -> tuple[Any, list[str], list[Any]]:
    blocking, awaited = list(runs)
    assert blocking == awaited
    return blocking


@pytest.mark.parametrize(
    ("statuses", "ending"),
    [
        (["Queued", "Running", "Completed"], "returned"),
        (["Queued", "Failed"], "JobFailedError"),
        (["Queued", "Queued", "Queued", "Queued"], "JobTimeoutError"),
    ],
)
def test_wait_for_job_twins_agree(statuses: list[str], ending: str) -> None:
    def answers() -> dict[str, list[httpx.Response]]:
        return {"GET /v1/jobs/job-1": [_job(status) for status in statuses]}

    clock = [0.0]

    def options(noted: list[Any]) -> dict[str, Any]:
        clock[0] = 0.0

        def sleep(seconds: float) -> None:
            noted.append(("sleep", seconds))
            clock[0] += seconds

        async def async_sleep(seconds: float) -> None:
            sleep(seconds)

        return {
            "timeout": 3.0,
            "clock": lambda: clock[0],
            "progress": lambda p: noted.append(("progress", p.status, p.polls, p.next_poll)),
            "sleep": (sleep, async_sleep),
        }

    def sync(client: Any, noted: list[Any]) -> Any:
        settings = options(noted)
        settings["sleep"] = settings["sleep"][0]
        return wait_for_job(client, "job-1", **settings).status.value

    async def async_(client: Any, noted: list[Any]) -> Any:
        settings = options(noted)
        settings["sleep"] = settings["sleep"][1]
        return (await async_wait_for_job(client, "job-1", **settings)).status.value

    outcome, sent, noted = _agree(_both(answers, sync, async_))
    assert outcome[0] == ending or outcome[1] == ending
    assert len(sent) == len(statuses) and any(kind == "sleep" for kind, *_ in noted)


@pytest.mark.parametrize("found_on", [0, 2, None])
def test_submit_job_twins_agree(found_on: int | None) -> None:
    # The answer to the POST is lost (a 502): the job is looked up by its tag, up to three
    # times, and found on the lookup ``found_on`` (never, for None).
    def answers() -> dict[str, list[httpx.Response]]:
        found = {**JOB, "id": "job-found", "tags": [TAG], "session_id": None}
        lookups = [_listed() for _ in range(3)]
        if found_on is not None:
            lookups[found_on] = _listed(found)
        return {"POST /v1/jobs": [httpx.Response(502)], "GET /v1/jobs": lookups}

    body = JobRunParams.from_dict({"program_id": "sampler", "backend": "ibm_fez", "params": {}})

    def sync(client: Any, noted: list[Any]) -> Any:
        return submit_job(client, body, tag=TAG, sleep=noted.append)

    async def async_(client: Any, noted: list[Any]) -> Any:
        async def sleep(seconds: float) -> None:
            noted.append(seconds)

        return await async_submit_job(client, body, tag=TAG, sleep=sleep)

    outcome, sent, noted = _agree(_both(answers, sync, async_))
    lookups = 3 if found_on is None else found_on + 1
    assert len(sent) == 1 + lookups and noted == [1.0, 2.0][: lookups - 1]
    assert outcome[0] == "raised" if found_on is None else outcome[1].recovered


def _pacer(noted: list[Any]) -> Pacer:
    async def async_sleep(seconds: float) -> None:
        noted.append(("slept", seconds))

    return Pacer(
        limit=1,
        window=5.0,
        clock=lambda: 0.0,
        sleep=lambda s: noted.append(("slept", s)),
        async_sleep=async_sleep,
    )


def test_submit_sampler_twins_agree_through_pacing_and_a_429() -> None:
    def answers() -> dict[str, list[httpx.Response]]:
        created = json_answer(200, {"id": "job-2", "backend": "ibm_fez"})
        limited = httpx.Response(429, headers={"Retry-After": "3"}, json={"errors": []})
        return {"POST /v1/jobs": [limited, created, created]}

    def submit_twice(submit: Callable[..., Any], client: Any, noted: list[Any]) -> list[Any]:
        pacer = _pacer(noted)
        return [
            submit(client, "ibm_fez", [BELL], shots=5, pacer=pacer, progress=noted.append) for _ in range(2)
        ]

    def strip(jobs: list[Any]) -> list[Any]:
        return [(job.id, job.backend, job.session_id, job.recovered) for job in jobs]

    def sync(client: Any, noted: list[Any]) -> Any:
        return strip(submit_twice(submit_sampler, client, noted))

    async def async_(client: Any, noted: list[Any]) -> Any:
        pacer = _pacer(noted)
        jobs = [
            await async_submit_sampler(client, "ibm_fez", [BELL], shots=5, pacer=pacer, progress=noted.append)
            for _ in range(2)
        ]
        return strip(jobs)

    outcome, sent, noted = _agree(_both(answers, sync, async_))
    assert outcome == ("returned", [("job-2", "ibm_fez", None, False)] * 2)
    # the 429, its retry, the second job; its Retry-After, then a slot per window (limit=1)
    assert len(sent) == 3
    assert [entry for entry in noted if isinstance(entry, tuple)] == [
        ("slept", 3.0),
        ("slept", 5.0),
        ("slept", 10.0),
    ]


def test_submit_executor_twins_agree() -> None:
    def answers() -> dict[str, list[httpx.Response]]:
        limited = httpx.Response(429, headers={"Retry-After": "2"}, json={"errors": []})
        return {"POST /v1/jobs": [limited, json_answer(200, {"id": "job-4", "backend": "ibm_fez"})]}

    program = QuantumProgram([BELL], shots=16)

    def sync(client: Any, noted: list[Any]) -> Any:
        job = submit_executor(client, "ibm_fez", program, pacer=_pacer(noted), progress=noted.append)
        return job.id, job.backend

    async def async_(client: Any, noted: list[Any]) -> Any:
        job = await async_submit_executor(
            client, "ibm_fez", program, pacer=_pacer(noted), progress=noted.append
        )
        return job.id, job.backend

    outcome, sent, noted = _agree(_both(answers, sync, async_))
    assert outcome == ("returned", ("job-4", "ibm_fez")) and len(sent) == 2
    assert [entry for entry in noted if isinstance(entry, tuple)] == [("slept", 2.0), ("slept", 5.0)]


def test_session_run_sampler_twins_agree() -> None:
    def answers() -> dict[str, list[httpx.Response]]:
        return {
            "POST /v1/sessions": [
                json_answer(200, {"id": "batch-1", "mode": "batch", "backend_name": "ibm_fez"})
            ],
            "POST /v1/jobs": [
                json_answer(200, {"id": "job-3", "backend": "ibm_fez", "session_id": "batch-1"})
            ],
            "PATCH /v1/sessions/batch-1": [httpx.Response(204)],
        }

    def sync(client: Any, noted: list[Any]) -> Any:
        with open_batch(client, "ibm_fez") as batch:
            job = batch.run_sampler([BELL], shots=5, pacer=_pacer(noted))
        return job.id, job.session_id

    async def async_(client: Any, noted: list[Any]) -> Any:
        async with open_batch(client, "ibm_fez") as batch:
            job = await batch.async_run_sampler([BELL], shots=5, pacer=_pacer(noted))
        return job.id, job.session_id

    outcome, sent, _ = _agree(_both(answers, sync, async_))
    assert outcome == ("returned", ("job-3", "batch-1"))
    assert [line.split("?")[0] for line in sent] == [
        "POST /v1/sessions",
        "POST /v1/jobs",
        "PATCH /v1/sessions/batch-1",
    ]


def test_iter_jobs_twins_agree() -> None:
    def page(start: int, count: int) -> httpx.Response:
        jobs = [{**JOB, "id": f"job-{n}"} for n in range(start, start + count)]
        return json_answer(200, {"jobs": jobs, "offset": start, "limit": 2, "count": 5})

    def answers() -> dict[str, list[httpx.Response]]:
        return {"GET /v1/jobs": [page(0, 2), page(2, 2), page(4, 1)]}

    def sync(client: Any, noted: list[Any]) -> Any:
        return [job.id for job in iter_jobs(client, page_size=2, tags=["x"])]

    async def async_(client: Any, noted: list[Any]) -> Any:
        return [job.id async for job in async_iter_jobs(client, page_size=2, tags=["x"])]

    outcome, sent, _ = _agree(_both(answers, sync, async_))
    assert outcome == ("returned", [f"job-{n}" for n in range(5)])
    assert len(sent) == 3


@pytest.mark.parametrize(
    "answer", [json_answer(200, {"results": [{"data": {}}]}), httpx.Response(204), httpx.Response(404)]
)
def test_job_results_twins_agree(answer: httpx.Response) -> None:
    def answers() -> dict[str, list[httpx.Response]]:
        return {
            "GET /v1/jobs/job-1/results": [
                httpx.Response(answer.status_code, content=answer.content, headers=answer.headers)
            ]
        }

    def sync(client: Any, noted: list[Any]) -> Any:
        return job_results(client, "job-1")

    async def async_(client: Any, noted: list[Any]) -> Any:
        return await async_job_results(client, "job-1")

    outcome, sent, _ = _agree(_both(answers, sync, async_))
    assert len(sent) == 1
    assert outcome[0] == ("returned" if answer.status_code == 200 else "raised")


def test_a_sessions_lifecycle_twins_agree() -> None:
    session = {"id": "session-1", "mode": "dedicated", "backend_name": "ibm_fez", "state": "open"}

    def answers() -> dict[str, list[httpx.Response]]:
        return {
            "POST /v1/sessions": [json_answer(200, session)],
            "GET /v1/sessions/session-1": [json_answer(200, session)],
            "DELETE /v1/sessions/session-1/close": [httpx.Response(204)],
            "PATCH /v1/sessions/session-1": [httpx.Response(204)],
        }

    def sync(client: Any, noted: list[Any]) -> Any:
        with open_session(client, "ibm_fez", max_time=60) as opened:
            details = opened.details()
            opened.cancel()
        return details.id, details.mode.value

    async def async_(client: Any, noted: list[Any]) -> Any:
        async with open_session(client, "ibm_fez", max_time=60) as opened:
            details = await opened.async_details()
            await opened.async_cancel()
        return details.id, details.mode.value

    outcome, sent, _ = _agree(_both(answers, sync, async_))
    assert outcome == ("returned", ("session-1", "dedicated"))
    assert [line.split("?")[0] for line in sent] == [
        "POST /v1/sessions",
        "GET /v1/sessions/session-1",
        "DELETE /v1/sessions/session-1/close",
        "PATCH /v1/sessions/session-1",
    ]


@pytest.mark.parametrize(
    "answer",
    [
        json_answer(200, {"access_token": "token-not-real", "expires_in": 3600, "token_type": "Bearer"}),
        json_answer(400, {"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."}),
        httpx.Response(200, content=b"<html>not json</html>"),
    ],
)
def test_the_iam_exchange_twins_agree(answer: httpx.Response) -> None:
    def settings(sent: list[str]) -> dict[str, Any]:
        def answer_it(request: httpx.Request) -> httpx.Response:
            sent.append(f"{request.method} {request.url} {sorted(request.headers)}")
            return httpx.Response(answer.status_code, content=answer.content, headers=answer.headers)

        network = Network(fixed_transport=httpx.MockTransport(answer_it))
        return {
            "iam_url": "https://iam.test",
            "network": network,
            "timeout": httpx.Timeout(5.0),
            "policy": NO_RETRIES,
        }

    def outcome(issued: Any) -> Any:
        return (issued.access_token.reveal(), issued.expires_in)

    sync_sent: list[str] = []
    blocking = _outcome(lambda: outcome(iam.exchange(Secret("key-not-real"), **settings(sync_sent))))
    async_sent: list[str] = []

    async def exchange() -> Any:
        return outcome(await iam.async_exchange(Secret("key-not-real"), **settings(async_sent)))

    awaited = asyncio.run(_async_outcome(exchange))
    assert blocking == awaited and sync_sent == async_sent and len(sync_sent) == 1


def test_the_old_async_spellings_warn_and_do_the_same() -> None:
    from iqp_wrapper import async_connect, connect_async

    from .scripted import API_KEY, CRN

    with pytest.warns(DeprecationWarning, match="async_connect"):
        old = connect_async(
            API_KEY, service_crn=CRN, transport=httpx.MockTransport(lambda r: httpx.Response(500))
        )
    new = async_connect(
        API_KEY, service_crn=CRN, transport=httpx.MockTransport(lambda r: httpx.Response(500))
    )
    assert type(old) is type(new) and old._headers == new._headers

    answer = json.dumps({"access_token": "token-not-real", "expires_in": 60}).encode()
    network = Network(fixed_transport=httpx.MockTransport(lambda r: httpx.Response(200, content=answer)))

    async def exchange() -> Any:
        with pytest.warns(DeprecationWarning, match="async_exchange"):
            return await iam.exchange_async(
                Secret("key-not-real"),
                iam_url="https://iam.test",
                network=network,
                timeout=httpx.Timeout(5.0),
            )

    assert asyncio.run(exchange()).expires_in == 60
