"""The fault table: each fault of issues 11 and 20 against the raw-socket server, outcome and time.

    .venv/bin/python -m benchmarks.fault_table            # every row
    .venv/bin/python -m benchmarks.fault_table --round 2  # issue 20's rows only

Prints one Markdown row per fault: what the client did (the call's result, or the
exception's type) and how long it took. Also runs against an older checkout of the client
(it only uses what every version has, and submit_job / max_response_bytes when present),
which is how the "before" column of docs/reliability.md was measured.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from iqp_api.api.jobs import create_job, get_job
from iqp_api.models import JobRunParams
from iqp_wrapper import RetryPolicy, connect, unwrap
from tests.reliability.rawserver import (
    API_KEY,
    RawServer,
    after_running,
    body_bytes,
    cut_mid_body,
    delayed,
    drip,
    gzip_bomb,
    redirect,
    reset_after_headers,
    respond,
    token_body,
)

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/raw0account:raw0instance::"
POLICY = RetryPolicy(max_attempts=4, max_elapsed=10.0, backoff=0.05, max_backoff=0.2)
DRIP = 0.1  # seconds per byte
JOBS, ONE_JOB, TOKEN = "/api/v1/jobs", r"/api/v1/jobs/[^/]+", "/identity/token"


def client_for(raw: RawServer, timeout: float = 1.0, **extra: Any) -> Any:
    options: dict[str, Any] = {
        "service_crn": CRN,
        "url": raw.api_url,
        "iam_url": raw.iam_url,
        "trust_env": False,
        "timeout": timeout,
        "retries": POLICY,
    }
    for name, value in extra.items():
        if name in inspect.signature(connect).parameters:
            options[name] = value
    return connect(API_KEY, **options)


def body() -> JobRunParams:
    return JobRunParams(program_id="sampler", backend="ibm_fez")


def submit(client: Any) -> str:
    try:
        from iqp_wrapper.jobs import submit_job  # type: ignore[attr-defined]
    except ImportError:
        return str(unwrap(create_job.sync_detailed(client=client, body=body())).id)
    submitted = submit_job(client, body())
    return f"{submitted.id} (recovered={submitted.recovered})"


def a_job(raw: RawServer) -> str:
    with client_for(raw, timeout=5.0) as client:
        return str(unwrap(create_job.sync_detailed(client=client, body=body())).id)


def describe(error: BaseException) -> str:
    return type(error).__name__


@contextlib.contextmanager
def server() -> Iterator[RawServer]:
    with RawServer() as raw:
        yield raw


def scenario_get(fault: Callable[[], Any], warm: bool = True) -> Callable[[RawServer], str]:
    def run(raw: RawServer) -> str:
        job_id = a_job(raw)
        client = client_for(raw)
        if warm:
            unwrap(get_job.sync_detailed(job_id, client=client))
        raw.script("GET", ONE_JOB, fault())
        return str(unwrap(get_job.sync_detailed(job_id, client=client)).id)

    return run


def scenario_post(fault: Callable[[], Any]) -> Callable[[RawServer], str]:
    def run(raw: RawServer) -> str:
        client = client_for(raw)
        unwrap(get_job.sync_detailed(a_job(raw), client=client))  # token fetched first
        raw.script("POST", JOBS, fault())
        before = raw.count("POST", JOBS)
        try:
            return submit(client)
        finally:
            posts = raw.count("POST", JOBS) - before
            if posts != 1:
                print(f"  !! {posts} POSTs", file=sys.stderr)

    return run


def scenario_iam(fault: Callable[[], Any]) -> Callable[[RawServer], str]:
    def run(raw: RawServer) -> str:
        job_id = a_job(raw)
        client = client_for(raw)
        raw.script("POST", TOKEN, fault())
        return str(unwrap(get_job.sync_detailed(job_id, client=client)).id)

    return run


def iam_forty(raw: RawServer) -> str:
    job_id = a_job(raw)
    client = client_for(raw, timeout=5.0)
    raw.script("POST", TOKEN, delayed(0.5, respond((503, {}, {}))))
    errors: list[str] = []
    start = threading.Barrier(21)

    def thread() -> None:
        start.wait()
        try:
            unwrap(get_job.sync_detailed(job_id, client=client))
        except Exception as exc:
            errors.append(type(exc).__name__)

    async def tasks() -> None:
        async def one() -> None:
            try:
                unwrap(await get_job.asyncio_detailed(job_id, client=client))
            except Exception as exc:
                errors.append(type(exc).__name__)

        start.wait()
        await asyncio.gather(*(one() for _ in range(20)))

    threads = [threading.Thread(target=thread) for _ in range(20)]
    for t in threads:
        t.start()
    asyncio.run(tasks())
    for t in threads:
        t.join()
    kinds = ", ".join(sorted(set(errors))) or "-"
    return f"{len(errors)} of 40 failed ({kinds}); IAM attempts {raw.count('POST', TOKEN) - 1}"


def redirect_leak(raw: RawServer) -> str:
    with RawServer() as other:
        client = client_for(raw)
        raw.script("GET", "/api/v1/versions", redirect(other.url + "/elsewhere"))
        client.get_httpx_client().get("/v1/versions", follow_redirects=True)
        (seen,) = other.requests("GET", "/elsewhere")
        leaked = [h for h in ("authorization", "service-crn", "ibm-api-version") if h in seen.headers]
        return "leaked " + ", ".join(leaked) if leaked else "no API header sent"


def bomb_scenario() -> Callable[[RawServer], str]:
    action = gzip_bomb(512 << 20)  # compressed here, outside the timed part
    return lambda raw: bomb(raw, action)


def bomb(raw: RawServer, action: Any) -> str:
    job_id = a_job(raw)
    client = client_for(raw, timeout=30.0, max_response_bytes=64 << 20)
    raw.script("GET", ONE_JOB, action)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        unwrap(get_job.sync_detailed(job_id, client=client))
        return "parsed"
    finally:
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
        print(f"  peak RSS grew by {grown} MiB", file=sys.stderr)


def bad_input(**kwargs: str) -> Callable[[RawServer], str]:
    def run(raw: RawServer) -> str:
        options = {"service_crn": CRN, "url": raw.api_url, "iam_url": raw.iam_url, "trust_env": False}
        options.update(kwargs)
        key = options.pop("api_key", API_KEY)
        connect(key, **options)  # type: ignore[arg-type]
        return "accepted"

    return run


NULL_JOB = b'{"id": null, "backend": "b", "status": "Queued"}'
NO_BACKEND = b'{"id": "x"}'
NULL_ID = b'{"id": null, "backend": "b"}'
NAN = b'{"access_token": "raw-token-x", "token_type": "Bearer", "expires_in": NaN}'
CRLF = json.dumps(token_body("raw-token-x\r\nX-Injected: 1", 3600, 0)).encode()

FAULTS: list[tuple[str, Callable[[RawServer], str]]] = [
    ("GET: reset after the headers (once)", scenario_get(reset_after_headers)),
    ("GET: reset mid-body (once)", scenario_get(cut_mid_body)),
    (f"GET: body drip-fed 1 byte / {DRIP}s, timeout=1", scenario_get(lambda: drip(DRIP))),
    ("GET: headers and body drip-fed, timeout=1", scenario_get(lambda: drip(DRIP, headers_too=True))),
    ("GET: 200 that is not JSON", scenario_get(lambda: body_bytes(b"<html>ok</html>"))),
    (
        "GET: 200 with a null id",
        scenario_get(lambda: body_bytes(NULL_JOB)),
    ),
    ("GET: gzip bomb, 512 MiB inflated (cap 64 MiB)", bomb_scenario()),
    ("POST /v1/jobs: drip-fed, timeout=1 (job created)", scenario_post(lambda: drip(DRIP))),
    ("POST /v1/jobs: reset after the headers (job created)", scenario_post(reset_after_headers)),
    (
        "POST /v1/jobs: 200 without backend (job created)",
        scenario_post(lambda: after_running(body_bytes(NO_BACKEND))),
    ),
    (
        "POST /v1/jobs: 200 with a null id (job created)",
        scenario_post(lambda: after_running(body_bytes(NULL_ID))),
    ),
    ("IAM: drip-fed, timeout=1", scenario_iam(lambda: drip(DRIP, headers_too=True))),
    ("IAM: 503 once", scenario_iam(lambda: respond((503, {}, {})))),
    ("IAM: 429 Retry-After 0.2 once", scenario_iam(lambda: respond((429, {}, {"Retry-After": "0.2"})))),
    ("IAM: expires_in NaN", scenario_iam(lambda: body_bytes(NAN))),
    ("IAM: CR/LF in the token", scenario_iam(lambda: body_bytes(CRLF))),
    ("IAM: 503 once under 20 threads + 20 tasks", iam_forty),
    ("follow_redirects to another host", redirect_leak),
    ("connect(): CRN with CR/LF", bad_input(service_crn=CRN.replace("raw0instance", "raw0\r\ninstance"))),
    ("connect(): API key in braces", bad_input(api_key="{" + API_KEY + "}")),
    ("connect(): CRN with non-ASCII", bad_input(service_crn=CRN.replace("raw0instance", "raw0\u00e9"))),
]


# -- round two (issue 20): 429 on submission, echoed secrets, non-JSON numbers, doctor ---------


BELL = "OPENQASM 3.0;\nbit[2] meas;\nmeas = measure $[0:1];\n"


class _Slept(Exception):
    """A wait the pacer asked for that the table does not sit through."""


def _no_long_sleep(waits: list[float]) -> Callable[[float], None]:
    def sleep(seconds: float) -> None:
        if seconds != seconds or seconds in (float("inf"), float("-inf")):
            time.sleep(seconds)  # what the client would do: raises as it would
        if seconds > 120:
            raise _Slept(f"would sleep {seconds:.3g} s")
        waits.append(seconds)

    return sleep


def submission_429(retry_after: str, times: int = 30) -> Callable[[RawServer], str]:
    def run(raw: RawServer) -> str:
        from iqp_wrapper.primitives import Pacer, submit_sampler

        client = client_for(raw, timeout=60.0)
        raw.script("POST", JOBS, *[respond((429, {"errors": []}, {"Retry-After": retry_after}))] * times)
        waits: list[float] = []
        told: list[Any] = []
        pacer = Pacer(sleep=_no_long_sleep(waits))
        try:
            submit_sampler(client, "ibm_fez", [BELL], pacer=pacer, progress=told.append)
            outcome = "job created"
        except _Slept as slept:
            outcome = str(slept)
        except Exception as exc:
            outcome = describe(exc)
        shown = ", ".join(f"{w:g}" for w in waits[:3]) + (", ..." if len(waits) > 3 else "")
        return f"{outcome}; {raw.count('POST', JOBS)} POSTs, waits [{shown}] s, {len(told)} told to progress"

    return run


def echoed(where: str) -> Callable[[RawServer], str]:
    def run(raw: RawServer) -> str:
        from tests.reliability.rawserver import echo

        job_id = a_job(raw)
        client = client_for(raw)
        raw.script("POST" if where == "iam" else "GET", TOKEN if where == "iam" else ONE_JOB, echo(400))
        try:
            unwrap(get_job.sync_detailed(job_id, client=client))
            return "parsed"
        except Exception as exc:
            texts: list[str] = []
            seen: BaseException | None = exc
            while seen is not None:
                texts += [str(seen), repr(seen), *(str(v) for v in vars(seen).values())]
                seen = seen.__cause__ or seen.__context__
            leaked = [
                name
                for name, secret in (("API key", API_KEY), ("token", "raw-token-"))
                if any(secret in text for text in texts)
            ]
            return f"{describe(exc)}, " + (
                ("leaks the " + " and ".join(leaked)) if leaked else "nothing leaked"
            )

    return run


def odd_json(field: str, literal: str) -> Callable[[RawServer], str]:
    def run(raw: RawServer) -> str:
        job_id = a_job(raw)
        client = client_for(raw)
        unwrap(get_job.sync_detailed(job_id, client=client))
        job = dict(raw.jobs[job_id])
        if field == "id twice":
            text = json.dumps(job).replace('"id": ', '"id": "rawjob-other", "id": ', 1)
        else:
            text = json.dumps({**job, field: "__X__"}).replace('"__X__"', literal)
        raw.script("GET", ONE_JOB, body_bytes(text.encode()))
        parsed = unwrap(get_job.sync_detailed(job_id, client=client))
        if field == "id twice":
            return f"parsed, id {parsed.id!r}"
        return f"parsed, {field}={getattr(parsed, field)!r}"

    return run


def doctor_html(raw: RawServer) -> str:
    import io

    from iqp_wrapper.cli import World, run

    raw.script(
        "GET", "/api/v1/versions", body_bytes(b"<html>sign in</html>", headers={"Content-Type": "text/html"})
    )
    environ = {
        "IQP_API_TOKEN": API_KEY,
        "IQP_SERVICE_CRN": CRN,
        "IQP_URL": raw.api_url,
        "IQP_IAM_URL": raw.iam_url,
    }
    out, err = io.StringIO(), io.StringIO()
    try:
        code = run(["doctor"], World(stdout=out, stderr=err, environ=environ, interactive=False))
    except Exception as exc:
        return f"traceback: {describe(exc)}"
    failed = [line.split()[1] for line in out.getvalue().splitlines() if line.startswith("  FAIL")]
    return f"exit {code}, FAIL {', '.join(failed)}"


ROUND_TWO: list[tuple[str, Callable[[RawServer], str]]] = [
    ("submit_sampler: 429 Retry-After 1e9", submission_429("1e9")),
    ("submit_sampler: 429 Retry-After inf", submission_429("inf")),
    ("submit_sampler: 429 Retry-After -5, 30 times", submission_429("-5")),
    ("submit_sampler: 429 Retry-After garbage", submission_429("soon")),
    ("submit_sampler: 429 Retry-After 1, 30 times", submission_429("1")),
    ("GET: 400 whose body echoes the request headers", echoed("api")),
    ("IAM: 400 whose errorCode echoes the form (API key)", echoed("iam")),
    ("GET: 200 with cost NaN", odd_json("cost", "NaN")),
    ("GET: 200 with cost -Infinity", odd_json("cost", "-Infinity")),
    ("GET: 200 with the id twice", odd_json("id twice", "")),
    ("iqp doctor: API URL answers 200 with HTML", doctor_html),
]


def main() -> None:
    rows = ROUND_TWO if sys.argv[1:] == ["--round", "2"] else FAULTS + ROUND_TWO
    print("| fault | outcome | time |")
    print("|---|---|---|")
    for name, run in rows:
        with server() as raw:
            started = time.monotonic()
            try:
                outcome = run(raw)
            except Exception as exc:  # the outcome being measured
                outcome = describe(exc)
            took = time.monotonic() - started
        print(f"| {name} | {outcome} | {took:.2f} s |", flush=True)


if __name__ == "__main__":
    main()
