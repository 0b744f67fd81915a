"""Submission, pacing, sessions and decoded results against the embedded fake, sync and async."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from iqp_api.api.jobs import get_job
from iqp_wrapper import AsyncIQPClient, IQPClient
from iqp_wrapper.errors import ConfigError, RateLimitError
from iqp_wrapper.jobs import wait_for_job
from iqp_wrapper.primitives import (
    EstimatorPub,
    Pacer,
    SamplerPub,
    SubmitWait,
    async_estimator_result,
    async_least_busy,
    async_sampler_result,
    async_submit_estimator,
    async_submit_sampler,
    estimator_result,
    least_busy,
    open_batch,
    open_session,
    sampler_result,
    submit_estimator,
    submit_sampler,
)
from iqp_wrapper.responses import unwrap
from iqp_wrapper.testing.fake import FakeService, ManualClock
from iqp_wrapper.transport.retry import RetryPolicy

BELL = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nh $0;\ncx $0, $1;\nmeas = measure $0:1;\n'
PARAM = (
    'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] theta;\nbit[1] c;\nry(theta) $0;\n'
    "c[0] = measure $0;\n"
)


class FakeSleeps:
    """Sleeps that advance the fake's clock instead of waiting."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def pacer(self) -> Pacer:
        return Pacer(clock=self.clock, sleep=self.sleep, async_sleep=self.async_sleep)


def test_sampler_round_trip(iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    job = submit_sampler(
        iqp_client, "fake_eagle", [BELL, SamplerPub(PARAM, {"theta": [0.0, 1.0, 2.0]}, shots=7)], shots=50
    )
    iqp_clock.advance(30)
    result = sampler_result(iqp_client, job.id)
    assert not result.encoded
    assert result[0].data.meas.num_shots == 50 and result[0].data.meas.num_bits == 2
    assert sum(result[0].data.meas.get_counts().values()) == 50
    c = result[1].data["c"]
    assert (c.shape, c.num_shots) == ((3,), 7)
    assert sum(c.get_counts((2,)).values()) == 7


def test_estimator_round_trip(iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    pubs = [EstimatorPub(BELL, "ZZ"), EstimatorPub(PARAM, [["Z"], ["X"]], {"theta": [0.0, 1.0, 2.0]})]
    job = submit_estimator(iqp_client, "fake_eagle", pubs, precision=0.05)
    iqp_clock.advance(30)
    result = estimator_result(iqp_client, job.id)
    assert isinstance(result[0].data.evs, float) and result[0].data.shape == ()
    assert result[1].data.shape == (2, 3)
    assert isinstance(result[1].data.evs, list) and len(result[1].data.evs) == 2


async def test_async_round_trip(iqp_async_client: AsyncIQPClient, iqp_clock: ManualClock) -> None:
    backend = await async_least_busy(iqp_async_client)
    job = await async_submit_sampler(iqp_async_client, backend.name, [BELL], shots=20)
    est = await async_submit_estimator(iqp_async_client, backend.name, [EstimatorPub(BELL, {"ZZ": 1.0})])
    iqp_clock.advance(30)
    assert (await async_sampler_result(iqp_async_client, job.id))[0].data.meas.num_shots == 20
    assert isinstance((await async_estimator_result(iqp_async_client, est.id))[0].data.evs, float)


def test_least_busy_skips_paused_and_checks_qubits(iqp_client: IQPClient) -> None:
    assert least_busy(iqp_client).name == "fake_eagle"  # queue 0 < fake_heron's 2
    assert least_busy(iqp_client, min_qubits=130).name == "fake_heron"
    assert least_busy(iqp_client, operational=False, min_qubits=20).name in {"fake_eagle", "fake_heron"}
    with pytest.raises(ConfigError, match="at least 500 qubits"):
        least_busy(iqp_client, min_qubits=500)


def test_submissions_are_paced_not_failed(
    iqp_client: IQPClient, iqp_clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    sleeps = FakeSleeps(iqp_clock)
    pacer = sleeps.pacer()
    seen: list[SubmitWait] = []
    caplog.set_level(logging.INFO, logger="iqp_wrapper")
    ids = [
        submit_sampler(iqp_client, "fake_eagle", [BELL], pacer=pacer, progress=seen.append).id
        for _ in range(7)
    ]
    assert len(set(ids)) == 7
    # Five go at once; the sixth and seventh take the slots freed 60 s later.
    assert [(w.reason, w.seconds) for w in seen] == [("paced", 60.0)]
    assert sleeps.waits == [60.0]
    assert any("Waiting 60.0s before submitting a sampler job" in r.getMessage() for r in caplog.records)


def test_retry_after_from_the_service_is_waited_and_reported(
    iqp_fake: FakeService, iqp_connect: Any, iqp_clock: ManualClock
) -> None:
    # A client that honours Retry-After up to 2 minutes (the fixture's honours none).
    iqp_client = iqp_connect(retries=RetryPolicy(backoff=0.0, max_backoff=0.0, max_retry_after=120.0))
    sleeps = FakeSleeps(iqp_clock)
    seen: list[SubmitWait] = []
    # Another program of the same user used the quota: our pacer does not know.
    for _ in range(5):
        submit_sampler(iqp_client, "fake_eagle", [BELL], pacer=sleeps.pacer())
    job = submit_sampler(iqp_client, "fake_eagle", [BELL], pacer=sleeps.pacer(), progress=seen.append)
    assert job.id
    assert seen and seen[-1].reason == "retry_after" and seen[-1].seconds >= 1


def test_retry_after_beyond_max_retry_after_is_refused_not_slept(
    iqp_client: IQPClient, iqp_clock: ManualClock
) -> None:
    sleeps = FakeSleeps(iqp_clock)
    for _ in range(5):
        submit_sampler(iqp_client, "fake_eagle", [BELL], pacer=sleeps.pacer())
    before = list(sleeps.waits)
    with pytest.raises(RateLimitError, match="max_retry_after"):
        submit_sampler(iqp_client, "fake_eagle", [BELL], pacer=sleeps.pacer())
    assert sleeps.waits == before


def test_leaving_a_session_stops_it_accepting_jobs_without_cancelling(
    iqp_client: IQPClient, iqp_clock: ManualClock
) -> None:
    with open_session(iqp_client, "fake_eagle", max_time=600) as session:
        first = session.run_sampler([BELL], shots=10)
        second = submit_sampler(iqp_client, "fake_eagle", [BELL], session=session.id)
        assert session.details().accepting_jobs is True
    assert session.details().accepting_jobs is False
    for job_id in (first.id, second.id):
        status = unwrap(get_job.sync_detailed(job_id, client=iqp_client)).status.value
        assert not status.startswith("Cancelled")
    iqp_clock.advance(60)
    assert wait_for_job(iqp_client, second.id, sleep=iqp_clock.advance).status.value == "Completed"


def test_cancel_cancels_queued_jobs(iqp_client: IQPClient) -> None:
    with open_batch(iqp_client, "fake_eagle") as batch:
        job = batch.run_sampler([BELL])
        batch.cancel()
    status = unwrap(get_job.sync_detailed(job.id, client=iqp_client)).status.value
    assert status.startswith("Cancelled")


async def test_async_session(iqp_async_client: AsyncIQPClient) -> None:
    async with open_session(iqp_async_client, "fake_eagle") as session:
        job = await session.async_run_estimator([EstimatorPub(BELL, "ZZ")])
        assert job.session_id == session.id
    assert (await session.async_details()).accepting_jobs is False


def test_wait_until_running(iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    job = submit_sampler(iqp_client, "fake_eagle", [BELL])
    polls: list[Any] = []

    def tick(seconds: float) -> None:
        iqp_clock.advance(1)

    seen = wait_for_job(iqp_client, job.id, until="Running", poll=1, sleep=tick, progress=polls.append)
    assert seen.status.value == "Running"
