"""The limit on POST /v1/jobs: N per window per user, then 429 with Retry-After."""

from __future__ import annotations

import pytest

from iqp_wrapper.testing.fake import FakeService, ManualClock, RateLimit
from iqp_wrapper.testing.fake.ratelimit import RateLimiter

from .conftest import Api

JOB = {"program_id": "sampler", "backend": "fake_heron"}


async def test_five_per_minute_then_429(api: Api, clock: ManualClock) -> None:
    for _ in range(5):
        assert (await api.post("/v1/jobs", json=JOB)).status_code == 200
        clock.advance(10)
    refused = await api.post("/v1/jobs", json=JOB)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "10"
    assert refused.json()["errors"][0]["code"] == "rate_limited"
    clock.advance(9)
    assert (await api.post("/v1/jobs", json=JOB)).status_code == 429
    clock.advance(1)
    assert (await api.post("/v1/jobs", json=JOB)).status_code == 200


async def test_other_operations_are_not_limited(api: Api) -> None:
    for _ in range(5):
        await api.post("/v1/jobs", json=JOB)
    assert (await api.post("/v1/jobs", json=JOB)).status_code == 429
    for _ in range(10):
        assert (await api.get("/v1/jobs")).status_code == 200


async def test_the_limit_is_per_user(api: Api, service: FakeService) -> None:
    for _ in range(5):
        await api.post("/v1/jobs", json=JOB)
    service.add_api_key("fake-key-other")
    other = api.headers(Authorization=f"Bearer {service.issue_token('fake-key-other')}")
    assert (await api.post("/v1/jobs", json=JOB, headers=other)).status_code == 200
    assert (await api.post("/v1/jobs", json=JOB)).status_code == 429


async def test_configurable_and_resettable(clock: ManualClock) -> None:
    service = FakeService(clock=clock, rate_limit=RateLimit(requests=2, window=1.5))
    api = Api(service, "inproc-async", None)
    assert [(await api.post("/v1/jobs", json=JOB)).status_code for _ in range(3)] == [200, 200, 429]
    service.reset_rate_limit()
    assert (await api.post("/v1/jobs", json=JOB)).status_code == 200
    await api.close()


async def test_no_limit(clock: ManualClock) -> None:
    service = FakeService(clock=clock, rate_limit=None)
    api = Api(service, "inproc-sync", None)
    assert all([(await api.post("/v1/jobs", json=JOB)).status_code == 200 for _ in range(20)])
    await api.close()


def test_retry_after_is_whole_seconds_and_at_least_one() -> None:
    limiter = RateLimiter(RateLimit(requests=1, window=0.5))
    assert limiter.acquire("u", 100.0) is None
    assert limiter.acquire("u", 100.2) == 1.0
    assert limiter.acquire("u", 100.5) is None


def test_a_limit_needs_sense() -> None:
    with pytest.raises(ValueError):
        RateLimit(requests=0)
    with pytest.raises(ValueError):
        RateLimit(window=0)
