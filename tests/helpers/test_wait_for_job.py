"""wait_for_job and async_wait_for_job: progress, backoff, timeout, failures, and token
refreshes during long waits. Every wait runs on the fake's manual clock: ``sleep``
moves it, so nothing waits for real."""

from __future__ import annotations

from typing import Any

import pytest

from iqp_api.api.jobs import cancel_job
from iqp_api.models import JobResponseV3
from iqp_wrapper import (
    ConfigError,
    IQPClient,
    JobCancelledError,
    JobFailedError,
    JobTimeoutError,
    NotFoundError,
    WaitProgress,
    async_wait_for_job,
    unwrap,
    wait_for_job,
)
from iqp_wrapper.jobs import is_final, status_of
from iqp_wrapper.testing.fake import FakeService, JobPlan, ManualClock

from .submitting import asubmit, submit


class Sleeper:
    """A sleep that moves the manual clock and remembers each wait."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        self(seconds)


@pytest.fixture
def sleeper(iqp_clock: ManualClock) -> Sleeper:
    return Sleeper(iqp_clock)


def test_waits_until_completed_with_progress_and_backoff(
    iqp_client: IQPClient, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    job_id = submit(iqp_client)  # 2 s queued, 3 s running
    seen: list[WaitProgress] = []
    job = wait_for_job(iqp_client, job_id, progress=seen.append, clock=iqp_clock, sleep=sleeper)
    assert status_of(job) == "Completed" and job.id == job_id
    assert sleeper.waits == [1.0, 1.5, 2.25, 3.375]
    assert [step.status for step in seen] == ["Queued", "Queued", "Running", "Running", "Completed"]
    assert [step.polls for step in seen] == [1, 2, 3, 4, 5]
    assert [step.next_poll for step in seen] == [1.0, 1.5, 2.25, 3.375, None]
    assert seen[-1].elapsed == pytest.approx(8.125)
    assert seen[-1].job_id == job_id


def test_the_gap_between_polls_is_capped(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    iqp_fake.schedule.queue(JobPlan(queued_seconds=30, running_seconds=1))
    job_id = submit(iqp_client)
    wait_for_job(iqp_client, job_id, poll=1, max_poll=4, backoff=2, clock=iqp_clock, sleep=sleeper)
    assert sleeper.waits[:5] == [1, 2, 4, 4, 4]
    assert max(sleeper.waits) == 4


def test_a_fixed_gap(iqp_client: IQPClient, iqp_clock: ManualClock, sleeper: Sleeper) -> None:
    wait_for_job(iqp_client, submit(iqp_client), poll=2, backoff=1, clock=iqp_clock, sleep=sleeper)
    assert sleeper.waits == [2, 2, 2]


def test_a_timeout_polls_once_more_at_the_deadline_then_raises(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    iqp_fake.schedule.queue(JobPlan(queued_seconds=100))
    job_id = submit(iqp_client)
    seen: list[WaitProgress] = []
    with pytest.raises(JobTimeoutError) as caught:
        wait_for_job(iqp_client, job_id, timeout=10, progress=seen.append, clock=iqp_clock, sleep=sleeper)
    assert sleeper.waits == [1.0, 1.5, 2.25, 3.375, 1.875]  # the last gap is cut to the deadline
    assert sum(sleeper.waits) == 10
    error = caught.value
    assert isinstance(error, TimeoutError)
    assert error.job_id == job_id and error.status == "Queued"
    assert error.job is not None and error.job.id == job_id
    assert f"Job {job_id} is still Queued after 10.0s (6 polls" in str(error)
    assert seen[-1].next_poll is None
    assert iqp_fake.job_status(job_id) == "Queued"  # the job itself goes on


def test_a_zero_timeout_polls_once(iqp_client: IQPClient, iqp_clock: ManualClock, sleeper: Sleeper) -> None:
    job_id = submit(iqp_client)
    with pytest.raises(JobTimeoutError):
        wait_for_job(iqp_client, job_id, timeout=0, clock=iqp_clock, sleep=sleeper)
    iqp_clock.advance(10)
    assert (
        status_of(wait_for_job(iqp_client, job_id, timeout=0, clock=iqp_clock, sleep=sleeper)) == "Completed"
    )
    assert sleeper.waits == []


def test_a_failed_job_raises_with_its_reason(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    iqp_fake.schedule.queue(JobPlan(outcome="Failed", reason="The circuit is too deep.", reason_code=1517))
    job_id = submit(iqp_client)
    with pytest.raises(JobFailedError) as caught:
        wait_for_job(iqp_client, job_id, clock=iqp_clock, sleep=sleeper)
    error = caught.value
    assert str(error) == f"Job {job_id} failed: The circuit is too deep."
    assert (error.status, error.reason, error.reason_code) == ("Failed", "The circuit is too deep.", 1517)
    assert error.job is not None and status_of(error.job) == "Failed"


def test_failures_can_be_returned_instead(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    iqp_fake.schedule.queue(JobPlan(outcome="Failed"))
    job = wait_for_job(iqp_client, submit(iqp_client), raise_on_failure=False, clock=iqp_clock, sleep=sleeper)
    assert status_of(job) == "Failed" and is_final(job)


def test_a_job_the_service_stopped_raises_cancelled(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    iqp_fake.schedule.queue(JobPlan(outcome="Cancelled"))
    job_id = submit(iqp_client)
    with pytest.raises(JobCancelledError, match="Cancelled - Ran too long") as caught:
        wait_for_job(iqp_client, job_id, clock=iqp_clock, sleep=sleeper)
    assert caught.value.status == "Cancelled"


def test_a_job_cancelled_during_the_wait(
    iqp_client: IQPClient, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    job_id = submit(iqp_client)

    def cancel_when_running(step: WaitProgress) -> None:
        if step.status == "Running":
            unwrap(cancel_job.sync_detailed(job_id, client=iqp_client))

    with pytest.raises(JobCancelledError, match="Cancelled on request"):
        wait_for_job(iqp_client, job_id, progress=cancel_when_running, clock=iqp_clock, sleep=sleeper)


def test_an_unknown_job(iqp_client: IQPClient, iqp_clock: ManualClock, sleeper: Sleeper) -> None:
    with pytest.raises(NotFoundError):
        wait_for_job(iqp_client, "no-such-job", clock=iqp_clock, sleep=sleeper)


@pytest.mark.iqp_fake(token_lifetime=60)
def test_a_long_wait_outlives_many_tokens(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    iqp_fake.schedule.queue(JobPlan(queued_seconds=600, running_seconds=60))
    job_id = submit(iqp_client)
    job = wait_for_job(iqp_client, job_id, poll=5, max_poll=30, clock=iqp_clock, sleep=sleeper)
    assert status_of(job) == "Completed"
    # A token lives 60 s and is replaced after 48 s: a dozen over 11 minutes, each ahead
    # of its expiry, so no poll was ever refused.
    assert iqp_fake.iam_calls >= 12
    polls = [exchange for exchange in iqp_fake.history if exchange.operation == "get_job"]
    assert len(polls) > 20
    assert {exchange.response.status for exchange in polls} == {200}


def test_a_wait_survives_revoked_tokens(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    job_id = submit(iqp_client)

    def revoke_at_second_poll(step: WaitProgress) -> None:
        if step.polls == 2:
            iqp_fake.revoke_tokens()

    job = wait_for_job(iqp_client, job_id, progress=revoke_at_second_poll, clock=iqp_clock, sleep=sleeper)
    assert status_of(job) == "Completed"
    statuses = [exchange.response.status for exchange in iqp_fake.history if exchange.operation == "get_job"]
    assert statuses.count(401) == 1 and statuses[-1] == 200
    assert iqp_fake.iam_calls == 2


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"poll": 0}, "poll"),
        ({"poll": 5, "max_poll": 1}, "max_poll"),
        ({"backoff": 0.5}, "backoff"),
        ({"timeout": -1}, "timeout"),
    ],
)
def test_bad_arguments_fail_before_any_request(
    iqp_client: IQPClient, iqp_fake: FakeService, options: dict[str, Any], words: str
) -> None:
    with pytest.raises(ConfigError, match=words):
        wait_for_job(iqp_client, "any", **options)
    assert iqp_fake.calls("get_job") == 0


def test_a_status_added_later_is_not_final() -> None:
    job = JobResponseV3.from_dict(
        {
            "id": "j",
            "state": {"status": "Paused"},
            "status": "Paused",
            "program": {"id": "sampler"},
            "created": "2026-05-01T12:00:00Z",
            "cost": 600,
        }
    )
    assert status_of(job) == "Paused" and not is_final(job)


async def test_async_wait_with_a_coroutine_progress(
    iqp_async_client: IQPClient, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    job_id = await asubmit(iqp_async_client)
    seen: list[str] = []

    async def progress(step: WaitProgress) -> None:
        seen.append(step.status)

    job = await async_wait_for_job(
        iqp_async_client, job_id, progress=progress, clock=iqp_clock, sleep=sleeper.asleep
    )
    assert status_of(job) == "Completed"
    assert seen == ["Queued", "Queued", "Running", "Running", "Completed"]
    assert sleeper.waits == [1.0, 1.5, 2.25, 3.375]


async def test_async_wait_with_a_plain_progress_and_a_timeout(
    iqp_async_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    iqp_fake.schedule.queue(JobPlan(queued_seconds=100))
    job_id = await asubmit(iqp_async_client)
    seen: list[WaitProgress] = []
    with pytest.raises(JobTimeoutError):
        await async_wait_for_job(
            iqp_async_client, job_id, timeout=3, progress=seen.append, clock=iqp_clock, sleep=sleeper.asleep
        )
    assert sum(sleeper.waits) == 3 and len(seen) == 4


async def test_async_wait_raises_for_a_failed_job(
    iqp_async_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    iqp_fake.schedule.queue(JobPlan(outcome="Failed"))
    job_id = await asubmit(iqp_async_client)
    with pytest.raises(JobFailedError):
        await async_wait_for_job(iqp_async_client, job_id, clock=iqp_clock, sleep=sleeper.asleep)
    job = await async_wait_for_job(
        iqp_async_client, job_id, raise_on_failure=False, clock=iqp_clock, sleep=sleeper.asleep
    )
    assert status_of(job) == "Failed"


@pytest.mark.iqp_fake(token_lifetime=60)
async def test_async_long_wait_outlives_many_tokens(
    iqp_async_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock, sleeper: Sleeper
) -> None:
    iqp_fake.schedule.queue(JobPlan(queued_seconds=600))
    job_id = await asubmit(iqp_async_client)
    job = await async_wait_for_job(
        iqp_async_client, job_id, poll=5, max_poll=30, clock=iqp_clock, sleep=sleeper.asleep
    )
    assert status_of(job) == "Completed"
    assert iqp_fake.iam_calls >= 10
    assert {e.response.status for e in iqp_fake.history if e.operation == "get_job"} == {200}
