"""Soak: 20,000 calls from 16 threads and 16 asyncio tasks through one client, over HTTP
on 127.0.0.1, with IAM tokens that live 2 seconds. At most 2 minutes; deselected by
default (``pytest -m soak -s`` runs it and shows the numbers).

The short form (``test_soak_short``, in the default run and so in CI) is the same load for
3,000 calls, several token lifetimes long.

Zero failures, and IAM called about once per refresh period over the run: 80% of the
token's lifetime less the one second IAM's whole-second issue time may take off it. The
client replaces each token before it expires, one exchange however many callers.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from iqp_api.api.jobs import get_job, list_jobs
from iqp_wrapper import IQPClient, connect, unwrap
from iqp_wrapper.fake import DEFAULT_API_KEY, FakeService

CALLS = 20_000
SHORT_CALLS = 3_000
THREADS = TASKS = 16
LIFETIME = 2.0
FRACTION = 0.8
LIMIT = 120.0  # seconds


@dataclass
class Tickets:
    """Hands out the 20,000 calls; counts outcomes."""

    left: int = CALLS
    done: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    deadline: float = field(default_factory=lambda: time.monotonic() + LIMIT)

    def take(self) -> int | None:
        with self.lock:
            if self.left == 0 or time.monotonic() > self.deadline:
                return None
            self.left -= 1
            return self.left

    def record(self, error: BaseException | None) -> None:
        with self.lock:
            self.done += 1
            if error is not None:
                self.failures[f"{type(error).__name__}: {error}"[:200]] += 1


def _sync_worker(client: IQPClient, job_id: str, tickets: Tickets) -> None:
    while (ticket := tickets.take()) is not None:
        error: BaseException | None = None
        try:
            if ticket % 10:
                unwrap(get_job.sync_detailed(job_id, client=client))
            else:
                unwrap(list_jobs.sync_detailed(client=client, limit=10))
        except Exception as exc:
            error = exc
        tickets.record(error)


async def _async_workers(client: IQPClient, job_id: str, tickets: Tickets) -> None:
    async def work() -> None:
        while (ticket := tickets.take()) is not None:
            error: BaseException | None = None
            try:
                if ticket % 10:
                    unwrap(await get_job.asyncio_detailed(job_id, client=client))
                else:
                    unwrap(await list_jobs.asyncio_detailed(client=client, limit=10))
            except Exception as exc:
                error = exc
            tickets.record(error)

    async with client:
        await asyncio.gather(*(work() for _ in range(TASKS)))


@pytest.mark.soak
def test_soak_20000_calls_with_2s_tokens() -> None:
    soak(CALLS)


def test_soak_short() -> None:
    soak(SHORT_CALLS)


def soak(calls: int) -> None:
    service = FakeService(token_lifetime=LIFETIME, rate_limit=None, history_limit=None, seed=20)
    with httpx.Client(transport=service.transport(), base_url=service.url, headers=service.headers()) as http:
        job_id = http.post("/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron"}).json()["id"]
    tickets = Tickets(left=calls)
    with service.serve() as server:
        client = connect(
            DEFAULT_API_KEY,
            service_crn=service.crn,
            url=server.url,
            iam_url=server.iam_url,
            trust_env=False,
            timeout=30.0,
        )
        started = time.monotonic()
        workers = [
            threading.Thread(target=_sync_worker, args=(client, job_id, tickets)) for _ in range(THREADS)
        ]
        workers.append(threading.Thread(target=lambda: asyncio.run(_async_workers(client, job_id, tickets))))
        with client:
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
        duration = time.monotonic() - started
    iam_calls = service.iam_calls  # service.headers() above issued its token without IAM
    rejected = sum(1 for exchange in service.history if exchange.response.status == 401)
    expected = duration / (FRACTION * (LIFETIME - 1))
    print(
        f"\nsoak: {tickets.done:,} calls in {duration:.1f} s ({tickets.done / duration:,.0f}/s) from "
        f"{THREADS} threads + {TASKS} tasks; failures {sum(tickets.failures.values())}; "
        f"IAM calls {iam_calls} (duration / refresh period = {expected:.1f}; / lifetime = "
        f"{duration / LIFETIME:.1f}); API 401 answers {rejected}"
    )
    assert tickets.done == calls, f"only {tickets.done} calls in {LIMIT:.0f} s"
    assert not tickets.failures, tickets.failures.most_common(5)
    assert duration <= LIMIT
    # One exchange per refresh period, give or take the first and the last. IAM's ``exp``
    # is whole seconds, so a token issued at x.7 s lives 1.3 s, not 2; the client counts
    # a second off every lifetime, so it is replaced before that, never after.
    assert duration / LIFETIME - 1 <= iam_calls <= expected * 1.5 + 2
