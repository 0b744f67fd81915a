"""Executor jobs against the embedded fake, sync and async, through ``client.primitives``.

Submission is the primitives' one path (paced, tagged, sent once). For results, two
checks: whatever the fake serves for an executor job decodes (it answers a canned
v0.2 result today; a fake that shapes v2.0 results by the program is on its way), and a
v2.0 ``sampler_v2`` result built by IBM's own models (qiskit/executor_v2, written by
qiskit/produce_executor.py), served through the fake's transport in place of its own,
decodes to the counts qiskit-ibm-runtime computed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from iqp_wrapper import AsyncIQPClient, IQPClient
from iqp_wrapper.primitives import CircuitItem, ExecutorResult, QuantumProgram
from iqp_wrapper.testing.connect import connect_fake
from iqp_wrapper.testing.fake import FakeService, ManualClock
from iqp_wrapper.testing.fake.transport import FakeTransport

from .test_submit_fake import BELL, PARAM, FakeSleeps

WITNESS = Path(__file__).parent / "qiskit" / "executor_v2"
EXPECTED: dict[str, Any] = json.loads((WITNESS / "expected.json").read_text())


class ServedResults(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """The fake's own transport, except that a finished job's results are ``body``."""

    def __init__(self, inner: FakeTransport, body: str) -> None:
        self.inner, self.body = inner, body

    def _swap(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        if request.url.path.endswith("/results") and response.status_code == 200:
            return httpx.Response(200, text=self.body, headers={"content-type": "application/json"})
        return response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._swap(request, self.inner.handle_request(request))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._swap(request, await self.inner.handle_async_request(request))


class ServingFake(FakeService):
    served = (WITNESS / "sampler.json").read_text()

    def transport(self) -> Any:
        return ServedResults(super().transport(), self.served)


def _program() -> QuantumProgram:
    return QuantumProgram([BELL, CircuitItem(PARAM, {"theta": [0.0, 1.0, 2.0]})], shots=64)


def test_an_executor_job_is_submitted_once_tagged_and_its_result_decodes(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock
) -> None:
    pacer = FakeSleeps(iqp_clock).pacer()
    job = iqp_client.primitives.submit_executor("fake_eagle", _program(), tags=["mine"], pacer=pacer)
    assert iqp_fake.calls("create_job") == 1
    sent = iqp_client.jobs.get(job.id)
    assert sent.program.id == "executor"
    tags = sent.tags
    assert isinstance(tags, list)
    assert "mine" in tags and any(t.startswith("iqp-submit-") for t in tags)
    iqp_clock.advance(3600)
    result = iqp_client.primitives.executor_result(job.id)
    assert isinstance(result, ExecutorResult) and len(result) >= 1
    for item in result.items:
        assert all(tensor.size == len(tensor.flat()) for tensor in item.results.values())


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_v2_sampler_result_served_by_the_fake_counts_as_qiskit_counts(
    mode: str, iqp_clock: ManualClock
) -> None:
    fake = ServingFake(clock=iqp_clock, seed=0)
    client = connect_fake(fake, clock=iqp_clock)
    pacer = FakeSleeps(iqp_clock).pacer()
    if mode == "sync":
        job = client.primitives.submit_executor("fake_eagle", _program(), pacer=pacer)
        iqp_clock.advance(3600)
        result = client.primitives.executor_result(job.id, wait=True)
    else:
        aclient = AsyncIQPClient.like(client)
        job = await aclient.primitives.submit_executor("fake_eagle", _program(), pacer=pacer)
        iqp_clock.advance(3600)
        result = await aclient.primitives.executor_result(job.id, wait=True)
    assert result.schema_version == "v2.0" and result.semantic_role == "sampler_v2"
    sampler = result.sampler_result()
    for pub, want in zip(sampler, EXPECTED["sampler"]["sampler"], strict=True):
        for name, bits in pub.data.items():
            assert bits.get_counts() == want[name]["counts"]
