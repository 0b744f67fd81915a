"""Ten Sampler jobs at once with asyncio; submissions are paced to the rate limit, not failed."""

import asyncio
import logging
from pathlib import Path

from iqp_wrapper import connect
from iqp_wrapper.primitives import SubmitWait, async_least_busy, async_sampler_result, async_submit_sampler

BELL = (Path(__file__).parent / "bell.qasm").read_text()
JOBS = 10


def report(wait: SubmitWait) -> None:
    print(f"waiting {wait.seconds:.0f} s before a submission ({wait.reason})")


async def main() -> None:
    async with connect() as client:
        backend = (await async_least_busy(client)).name

        async def one(shots: int) -> dict[str, int]:
            job = await async_submit_sampler(client, backend, [BELL], shots=shots, progress=report)
            result = await async_sampler_result(client, job.id, wait=True)
            return result[0].data.meas.get_counts()

        counts = await asyncio.gather(*(one(100 + i) for i in range(JOBS)))
    for i, c in enumerate(counts):
        print(f"job {i}: {sum(c.values())} shots, {c}")


logging.basicConfig(level=logging.INFO, format="%(message)s")
asyncio.run(main())
