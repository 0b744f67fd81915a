"""IAM calls while 64 threads and 64 asyncio tasks share one client through 5 token periods.

Real HTTP on 127.0.0.1 against the fake, real concurrency. Time is a manual clock that
the fake and the client's IAMAuth both read. Each step, every worker makes one call,
all 128 at once; the driver moves the clock forward once all have finished. No call is
then in flight while the clock moves, as with real tokens (an hour long) and real calls
(milliseconds); without that, a call delayed on this busy machine could carry a token
past its expiry, which says nothing about the client. At each refresh step all 128
callers find the token due at the same moment: the single flight is what keeps it to
one IAM call.

A token is used until ``refresh_fraction`` (0.8) of its lifetime and then replaced, so 5
periods of 0.8 x lifetime need exactly 5 tokens: one IAM call each, whatever the number
of callers (single flight).
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from benchmarks.report import Row, verdict
from iqp_api.api.jobs import get_job
from iqp_wrapper import IQPClient, build_client, resolve_settings, unwrap
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeService, ManualClock
from iqp_wrapper.transport.async_backend import AsyncBackend

SECTION = "IAM under load"
START = 1_800_000_000.0  # whole seconds, so the fake's whole-second expiry is exact
LIFETIME = 10.0
FRACTION = 0.8
STEP = 1.0  # fake seconds per step: less than the 2 s a token has left when it is replaced


@dataclass
class Shared:
    """What the workers and the driver share."""

    workers: int
    epoch: int = 0
    calls: int = 0
    failures: int = 0
    first_failure: str = ""
    stop: threading.Event = field(default_factory=threading.Event)
    finished: int = 0  # workers done with this step's call
    lock: threading.Condition = field(default_factory=threading.Condition)

    def record(self, exc: BaseException | None) -> None:
        with self.lock:
            self.finished += 1
            if exc is None:
                self.calls += 1
            else:
                self.failures += 1
                self.first_failure = self.first_failure or repr(exc)
            self.lock.notify_all()

    def wait_step(self, done: int) -> bool:
        """Block until the step after ``done`` begins (True) or the run stops (False)."""
        with self.lock:
            self.lock.wait_for(lambda: self.epoch > done or self.stop.is_set())
            return not self.stop.is_set()

    def wait_all(self) -> None:
        """Block until every worker has made this step's call."""
        with self.lock:
            self.lock.wait_for(lambda: self.finished == self.workers)

    def release(self) -> None:
        """Begin the next step."""
        with self.lock:
            self.finished = 0
            self.epoch += 1
            self.lock.notify_all()

    def end(self) -> None:
        with self.lock:
            self.stop.set()
            self.lock.notify_all()


def _threads(client: IQPClient, job_id: str, shared: Shared, count: int) -> list[threading.Thread]:
    def work() -> None:
        step = 0
        while shared.wait_step(step - 1):
            error = None
            try:
                unwrap(get_job.sync_detailed(job_id, client=client))
            except Exception as exc:
                error = exc
            shared.record(error)
            step += 1

    return [threading.Thread(target=work, name=f"iam-load-{n}") for n in range(count)]


async def _tasks(client: IQPClient, job_id: str, shared: Shared, count: int) -> None:
    loop = asyncio.get_running_loop()

    async def work() -> None:
        step = 0
        # Waiting for the step blocks, so it waits in the loop's thread pool.
        while await loop.run_in_executor(None, shared.wait_step, step - 1):
            error = None
            try:
                unwrap(await get_job.asyncio_detailed(job_id, client=client))
            except Exception as exc:
                error = exc
            shared.record(error)
            step += 1

    loop.set_default_executor(ThreadPoolExecutor(max_workers=count))
    await asyncio.gather(*(work() for _ in range(count)))
    await client.get_async_httpx_client().aclose()  # in the loop its connections belong to


def _drive(clock: ManualClock, shared: Shared, end: float) -> None:
    while True:
        shared.wait_all()
        if clock() + STEP >= end:  # stays short of the 6th token's refresh time
            return
        clock.advance(STEP)  # with no call in flight
        shared.release()


def run(
    *, threads: int = 64, tasks: int = 64, periods: int = 5, async_backend: AsyncBackend = "httpx"
) -> dict[str, float | str]:
    clock = ManualClock(start=START)
    service = FakeService(clock=clock, token_lifetime=LIFETIME, rate_limit=None, history_limit=0)
    with httpx.Client(transport=service.transport(), base_url=service.url, headers=service.headers()) as http:
        job_id = http.post("/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron"}).json()["id"]
    baseline_iam = service.iam_calls  # service.headers() issues its token without an IAM call
    shared = Shared(workers=threads + tasks)
    with service.serve() as server:
        settings = resolve_settings(
            DEFAULT_API_KEY,
            service_crn=service.crn,
            url=server.url,
            iam_url=server.iam_url,
            trust_env=False,
            timeout=60.0,
            environ={},
        )
        # IAMAuth's monotonic clock is the fake's clock too.
        client = build_client(settings, refresh_fraction=FRACTION, clock=clock, async_backend=async_backend)
        with client:
            workers = _threads(client, job_id, shared, threads)
            workers.append(
                threading.Thread(target=lambda: asyncio.run(_tasks(client, job_id, shared, tasks)))
            )
            started = time.perf_counter()
            for worker in workers:
                worker.start()
            try:
                _drive(clock, shared, START + periods * FRACTION * LIFETIME)
            finally:
                shared.end()
                for worker in workers:
                    worker.join()
            wall = time.perf_counter() - started
    return {
        "iam_calls": service.iam_calls - baseline_iam,
        "calls": shared.calls,
        "failures": shared.failures,
        "wall": wall,
        "first_failure": shared.first_failure,
    }


def rows() -> list[Row]:
    out = []
    backends: tuple[AsyncBackend, ...] = ("httpx", "aiohttp")
    for backend in backends:
        result = run(async_backend=backend)
        exact = result["iam_calls"] == 5 and result["failures"] == 0
        detail = f"{result['calls']:,} calls in {result['wall']:.1f} s, {result['failures']} failures"
        if result["failures"]:
            detail += f" (first: {result['first_failure']})"
        out.append(
            Row(
                SECTION,
                "IAM calls: 64 threads + 64 tasks (async backend: "
                f"{backend}), one client, 5 token periods (lifetime 10 s, refresh at 80%)",
                f"{result['iam_calls']}",
                detail,
                "exactly 5, 0 failures",
                verdict(exact),
            )
        )
    return out
