"""``client.primitives``: the primitives bound to the client, sync and async, submitted
through the tagged, never-resent submission."""

from __future__ import annotations

from iqp_wrapper import AsyncIQPClient, IQPClient
from iqp_wrapper.primitives import SamplerPub
from iqp_wrapper.testing.fake import ManualClock

from .test_submit_fake import BELL, FakeSleeps


def test_sync_client_runs_a_sampler_and_reads_counts(iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    pacer = FakeSleeps(iqp_clock).pacer()
    backend = iqp_client.primitives.least_busy().name
    job = iqp_client.primitives.submit_sampler(backend, [SamplerPub(BELL, shots=300)], pacer=pacer)
    tags = iqp_client.jobs.get(job.id).tags
    assert isinstance(tags, list)
    assert any(tag.startswith("iqp-submit-") for tag in tags)  # the idempotency tag
    iqp_clock.advance(3600)
    result = iqp_client.primitives.sampler_result(job.id)
    counts = result[0].data.meas.get_counts()
    assert sum(counts.values()) == 300
    assert set(counts) <= {"00", "01", "10", "11"}


async def test_async_client_runs_a_sampler_and_reads_counts(
    iqp_async_client: AsyncIQPClient, iqp_clock: ManualClock
) -> None:
    pacer = FakeSleeps(iqp_clock).pacer()
    backend = (await iqp_async_client.primitives.least_busy()).name
    job = await iqp_async_client.primitives.submit_sampler(backend, [BELL], shots=200, pacer=pacer)
    iqp_clock.advance(3600)
    result = await iqp_async_client.primitives.sampler_result(job.id)
    assert result[0].data.meas.num_shots == 200
