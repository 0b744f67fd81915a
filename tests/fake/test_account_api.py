"""Workloads, analytics, the account and the instance configuration, served from the
fake's own jobs and sessions (they used to answer 404)."""

from __future__ import annotations

from iqp_wrapper.testing.fake import ManualClock

from .conftest import Api


async def test_workloads_are_sessions_and_standalone_jobs(api: Api, clock: ManualClock) -> None:
    alone = await api.submit()
    batch = (await api.post("/v1/sessions", json={"mode": "batch", "backend": "fake_heron"})).json()
    await api.submit(session_id=batch["id"])
    body = (await api.get("/v1/workloads")).json()
    modes = {w["id"]: w["mode"] for w in body["workloads"]}
    assert modes == {alone: "job", batch["id"]: "batch"} and body["total_count"] == 2
    only_jobs = (await api.get("/v1/workloads", params={"mode": "job"})).json()
    assert [w["id"] for w in only_jobs["workloads"]] == [alone]
    clock.advance(10)
    finished = {w["id"]: w["status"] for w in (await api.get("/v1/workloads")).json()["workloads"]}
    assert finished[alone] == "completed"


async def test_usage_analytics_count_the_jobs(api: Api, clock: ManualClock) -> None:
    for _ in range(3):
        await api.submit()
    clock.advance(10)
    usage = (await api.get("/v1/analytics/usage")).json()
    assert usage["jobs"] == 3 and usage["individual_jobs"] == 3 and usage["usage"] > 0
    grouped = (await api.get("/v1/analytics/usage_grouped", params={"group_by": "backend"})).json()
    assert [(g["key"], g["jobs"]) for g in grouped["data"]] == [("fake_heron", 3)]
    filters = (await api.get("/v1/analytics/filters")).json()
    assert {"name": "fake_heron"} in filters["backends"]


async def test_the_instance_limit_can_be_read_and_replaced(api: Api) -> None:
    assert (await api.get("/v1/instances/configuration")).json() == {"instance_limit": 600.0}
    put = await api.call("PUT", "/v1/instances/configuration", json={"instance_limit": 900})
    assert put.status_code == 204
    assert (await api.get("/v1/instances/configuration")).json() == {"instance_limit": 900.0}
    bad = await api.call("PUT", "/v1/instances/configuration", json={"instance_limit": "lots"})
    assert bad.status_code == 400


async def test_the_account_of_the_instance_lists_its_plan(api: Api) -> None:
    plans = (await api.get("/v1/accounts/fake-account")).json()["plans"]
    assert plans[0]["plan_id"] and "fake_heron" in plans[0]["backends"]
    assert (await api.get("/v1/accounts/other")).status_code == 404
