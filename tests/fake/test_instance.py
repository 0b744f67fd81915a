"""The instance: its details and its usage, at both usage paths."""

from __future__ import annotations

from iqp_wrapper.testing.fake import DEFAULT_CRN, FakeService, JobPlan, ManualClock, Plan

from .conftest import Api


async def test_instance_details(api: Api) -> None:
    response = await api.get("/v1/instance")
    assert response.status_code == 200
    assert response.json() == {
        "backends": ["fake_eagle", "fake_falcon", "fake_heron"],
        "plan_id": "fake-open-plan",
        "instance_limit_seconds": "600",
    }


async def test_usage_at_both_paths_counts_finished_jobs(api: Api, clock: ManualClock) -> None:
    before = await api.get("/v1/instances/usage")
    assert before.status_code == 200
    assert before.json() == {
        "instance_id": DEFAULT_CRN,
        "plan_id": "fake-open-plan",
        "usage_period": {"start_time": "2026-05-01T00:00:00.000Z", "end_time": "2026-06-01T00:00:00.000Z"},
        "usage_consumed_seconds": 0.0,
        "usage_limit_seconds": 600.0,
        "usage_limit_reached": False,
    }
    await api.submit()
    clock.advance(5)
    guide_path = await api.get("/v1/usage")
    assert guide_path.status_code == 200
    assert guide_path.json()["usage_consumed_seconds"] == 3.0
    assert guide_path.json() == (await api.get("/v1/instances/usage")).json()


async def test_usage_reports_the_limit_reached(clock: ManualClock) -> None:
    service = FakeService(
        clock=clock,
        plan=Plan(plan_id="fake-flex", limit_seconds=100, allocation_seconds=50, consumed_seconds=98),
        schedule=JobPlan(0, 2),
    )
    api = Api(service, "inproc-sync", None)
    await api.submit()
    clock.advance(2)
    body = (await api.get("/v1/usage")).json()
    assert body["usage_consumed_seconds"] == 100.0
    assert body["usage_limit_reached"] is True
    assert body["usage_allocation_seconds"] == 50
    instance = (await api.get("/v1/instance")).json()
    assert instance["usage_allocation_seconds"] == "50"
    await api.close()


async def test_no_limit_means_no_limit_fields(clock: ManualClock) -> None:
    service = FakeService(clock=clock, plan=Plan(limit_seconds=None))
    api = Api(service, "inproc-async", None)
    body = (await api.get("/v1/usage")).json()
    assert "usage_limit_seconds" not in body and "usage_limit_reached" not in body
    assert "instance_limit_seconds" not in (await api.get("/v1/instance")).json()
    await api.close()


async def test_the_usage_period_wraps_at_the_year(clock: ManualClock, api: Api) -> None:
    clock.set(1_798_675_200.0)  # 2026-12-31T00:00:00Z
    period = (await api.get("/v1/usage")).json()["usage_period"]
    assert period == {"start_time": "2026-12-01T00:00:00.000Z", "end_time": "2027-01-01T00:00:00.000Z"}
