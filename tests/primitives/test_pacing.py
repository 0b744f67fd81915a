"""The client-side pacer: slots in a sliding window, fair across threads, waits reported."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest

from iqp_wrapper import AsyncIQPClient, IQPClient
from iqp_wrapper.primitives import Pacer, SubmitWait, async_submit_sampler
from iqp_wrapper.primitives.pacing import pacer_for, report_wait
from iqp_wrapper.testing.fake import ManualClock

BELL = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nh $0;\ncx $0, $1;\nmeas = measure $0:1;\n'


def test_slots_fill_a_sliding_window() -> None:
    now = [100.0]
    pacer = Pacer(limit=2, window=10, clock=lambda: now[0])
    assert [pacer.reserve() for _ in range(5)] == [0, 0, 10, 10, 20]
    now[0] = 125.0  # later than every reserved slot: the window has room again... once
    assert pacer.reserve() == 0
    assert pacer.reserve() == pytest.approx(5.0)  # slot of the 5th reservation (120) + 10


def test_threads_get_distinct_slots() -> None:
    pacer = Pacer(limit=3, window=60, clock=lambda: 0.0)
    waits: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        wait = pacer.reserve()
        with lock:
            waits.append(wait)

    threads = [threading.Thread(target=take) for _ in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(waits) == [0, 0, 0, 60, 60, 60, 120, 120, 120]


def test_every_wait_is_reported_and_no_wait_is_not(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[SubmitWait] = []
    caplog.set_level(logging.INFO, logger="iqp_wrapper")
    report_wait(SubmitWait("paced", 0.0, "sampler"), seen.append)
    report_wait(SubmitWait("paced", 0.4, "sampler"), seen.append)
    report_wait(SubmitWait("retry_after", 24.0, "sampler"), seen.append)
    assert [w.seconds for w in seen] == [0.4, 24.0]
    assert [r.getMessage() for r in caplog.records] == [
        "Waiting 0.4s before submitting a sampler job: at most 5 job submissions per 60s are allowed",
        "The service asked to wait 24.0s (Retry-After) before submitting the sampler job again",
    ]


def test_one_pacer_per_client(iqp_client: IQPClient) -> None:
    assert pacer_for(iqp_client) is pacer_for(iqp_client)
    assert pacer_for(iqp_client) is not pacer_for(object())


async def test_concurrent_async_submissions_are_paced(
    iqp_async_client: AsyncIQPClient, iqp_clock: ManualClock
) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        iqp_clock.advance(seconds)

    pacer = Pacer(clock=iqp_clock, async_sleep=sleep)
    seen: list[SubmitWait] = []
    jobs = await asyncio.gather(
        *(
            async_submit_sampler(iqp_async_client, "fake_eagle", [BELL], pacer=pacer, progress=seen.append)
            for _ in range(10)
        )
    )
    # All ten accepted by a fake that allows 5 per 60 s: five went at once, the sixth waited
    # for the window (the fake clock moved 60 s), the rest followed in the new window.
    assert len({job.id for job in jobs}) == 10
    assert [(w.reason, w.seconds) for w in seen] == [("paced", 60.0)]
    assert slept == [60.0]
