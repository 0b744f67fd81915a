"""Jobs as qiskit-ibm-runtime sends them (recorded bodies in the corpus) get qiskit's encoded
result from the fake; sampler_result/estimator_result decode it like the REST form."""

from __future__ import annotations

import httpx

from iqp_wrapper import IQPClient
from iqp_wrapper.primitives import estimator_result, sampler_result
from iqp_wrapper.testing.fake import FakeService, ManualClock
from tests.realworld.corpus import load


def _post(fake: FakeService, name: str) -> str:
    body = load(f"qiskit/requests/{name}")
    body["backend"] = "fake_eagle"
    body.pop("session_id", None)
    http = httpx.Client(transport=fake.transport(), base_url=fake.url, headers=fake.headers())
    with http:
        created = http.post("/v1/jobs", json=body)
    assert created.status_code == 200, created.text
    job_id: str = created.json()["id"]
    return job_id


def test_qiskit_sampler_job_decodes(
    iqp_fake: FakeService, iqp_client: IQPClient, iqp_clock: ManualClock
) -> None:
    job_id = _post(iqp_fake, "post_jobs_sampler_v2_job.json")
    iqp_clock.advance(60)
    result = sampler_result(iqp_client, job_id)
    assert result.encoded and len(result) >= 1
    for pub in result:
        for bits in pub.data.values():
            counts = bits.get_counts()
            assert sum(counts.values()) == bits.num_shots * max(1, bits.size)
            assert all(len(k) == bits.num_bits for k in counts)


def test_qiskit_estimator_job_decodes(
    iqp_fake: FakeService, iqp_client: IQPClient, iqp_clock: ManualClock
) -> None:
    job_id = _post(iqp_fake, "post_jobs_estimator_v2_job.json")
    iqp_clock.advance(60)
    result = estimator_result(iqp_client, job_id)
    assert result.encoded and len(result) >= 1
    for pub in result:
        if pub.data.shape:
            assert isinstance(pub.data.evs, list) and len(pub.data.evs) == pub.data.shape[0]
        else:
            assert isinstance(pub.data.evs, float)
        assert isinstance(pub.data.item("stds", (0,) * len(pub.data.shape)), float)
