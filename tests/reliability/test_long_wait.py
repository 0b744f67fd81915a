"""Token expiry during a long wait_for_job: hours on the fake's clock, no wall-clock sleep.

The job is queued 3 hours and runs 1 (``JobPlan``); tokens live 1 hour. wait_for_job
polls over HTTP, its ``sleep`` moves the fake's clock instead of waiting.
- The client's IAM clock is the fake's: tokens are replaced before they expire; the API
  never answers 401.
- The client's IAM clock stands still (as if the machine slept, or IAM shortened the
  tokens): the API rejects each expired token with 401, the client refreshes once and
  resends, and the wait goes on.
"""

from __future__ import annotations

import math

import pytest

from iqp_wrapper import async_wait_for_job, wait_for_job
from iqp_wrapper.testing.fake import FakeService, JobPlan, ManualClock

from .conftest import Connect, answered, within

pytestmark = pytest.mark.reliability

QUEUED, RUNNING, LIFETIME = 3 * 3600.0, 3600.0, 3600.0
MAX_POLL = 600.0


async def _wait(mode: str, api_client: object, job_id: str, clock: ManualClock) -> str:
    options = {"timeout": 6 * 3600.0, "poll": 60.0, "max_poll": MAX_POLL, "clock": clock}
    if mode == "sync":
        job = wait_for_job(api_client, job_id, sleep=clock.advance, **options)  # type: ignore[arg-type]
    else:

        async def advance(seconds: float) -> None:
            clock.advance(seconds)

        job = await async_wait_for_job(api_client, job_id, sleep=advance, **options)  # type: ignore[arg-type]
    return str(job.status)


async def test_tokens_are_replaced_before_expiry_during_a_four_hour_wait(
    service: FakeService, connect: Connect, clock: ManualClock, mode: str
) -> None:
    api = connect(clock=clock)
    service.schedule.queue(JobPlan(queued_seconds=QUEUED, running_seconds=RUNNING))
    job_id, started = await api.create_job(), clock()
    with within(10.0):
        assert await _wait(mode, api.client, job_id, clock) == "Completed"
    waited = clock() - started
    assert waited >= QUEUED + RUNNING
    assert answered(service, "get_job", 401) == 0
    # A token is replaced at the first poll after 80% of its lifetime (polls are at most
    # 600 s apart): never sooner, so no more exchanges than that allows, and no fewer.
    assert (
        math.ceil(waited / (0.8 * LIFETIME + MAX_POLL))
        <= service.iam_calls
        <= math.ceil(waited / (0.8 * LIFETIME))
    )


async def test_tokens_expiring_unseen_during_a_four_hour_wait_are_refreshed_on_401(
    service: FakeService, connect: Connect, clock: ManualClock, mode: str
) -> None:
    still = ManualClock()  # the client's IAM clock: it never sees the hours pass
    api = connect(clock=still)
    service.schedule.queue(JobPlan(queued_seconds=QUEUED, running_seconds=RUNNING))
    job_id, started = await api.create_job(), clock()
    with within(10.0):
        assert await _wait(mode, api.client, job_id, clock) == "Completed"
    rejected = answered(service, "get_job", 401)
    assert rejected >= math.floor((clock() - started) / LIFETIME) - 1
    assert service.iam_calls == 1 + rejected  # one exchange per expired token, no more
