"""How a job ends is configurable per job, reason and reason code included, in process and
from any client through a ``fake-outcome:`` tag."""

from __future__ import annotations

import httpx
import pytest

from iqp_wrapper.testing.fake import FakeService, JobPlan, ManualClock, Schedule
from iqp_wrapper.testing.fake.schedule import JobSpec, tagged_plan


def run(service: FakeService, clock: ManualClock, tags: list[str]) -> httpx.Response:
    client = httpx.Client(transport=service.transport(), base_url=service.url, headers=service.headers())
    created = client.post("/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron", "tags": tags})
    if created.status_code != 200:
        return created
    clock.advance(60)
    return client.get(f"/v1/jobs/{created.json()['id']}")


def test_a_tag_fails_one_job_with_a_reason_code_and_reason(clock: ManualClock) -> None:
    service = FakeService(clock=clock, rate_limit=None)
    job = run(service, clock, ["mine", "fake-outcome:Failed:1517:Circuit too deep"]).json()
    assert job["state"] == {"status": "Failed", "reason": "Circuit too deep", "reason_code": 1517}
    assert run(service, clock, ["mine"]).json()["status"] == "Completed"  # only the tagged job


def test_a_tag_can_stop_a_job_as_ran_too_long_with_the_default_reason(clock: ManualClock) -> None:
    service = FakeService(clock=clock, rate_limit=None)
    job = run(service, clock, ["fake-outcome:Cancelled:1501"]).json()
    assert job["status"] == "Cancelled - Ran too long"
    assert job["state"]["reason_code"] == 1501 and job["state"]["reason"].startswith("Ran too long")


def test_a_malformed_outcome_tag_is_refused_saying_how_to_write_it(clock: ManualClock) -> None:
    answer = run(FakeService(clock=clock, rate_limit=None), clock, ["fake-outcome:Exploded"])
    assert answer.status_code == 400
    assert "fake-outcome:<Completed|Failed|Cancelled>" in answer.json()["errors"][0]["message"]


def test_queued_plans_and_planners_keep_their_reasons_unless_a_tag_overrides() -> None:
    failing = JobPlan(outcome="Failed", reason="Queued failure", reason_code=1234)
    schedule = Schedule(planner=lambda spec: failing)
    spec = JobSpec("sampler", "fake_heron", None, ())
    assert schedule.plan_for(spec) == failing
    tagged = schedule.plan_for(JobSpec("sampler", "fake_heron", None, ("fake-outcome:Failed:4321",)))
    assert (tagged.reason, tagged.reason_code) == ("Queued failure", 4321)
    assert tagged_plan(failing, ("fake-outcome:Completed",)).outcome == "Completed"
    with pytest.raises(ValueError, match="four digits"):
        tagged_plan(JobPlan(), ("fake-outcome:Failed:12",))
