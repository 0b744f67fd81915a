"""How a job ends is configurable per job, reason and reason code included, in process and
from any client through a ``fake-outcome:`` tag."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest

from iqp_wrapper import cli
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


def _world(clock: ManualClock) -> tuple[Any, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    world = cli.World(
        stdout=out,
        stderr=err,
        environ={},
        clock=clock,
        wall_clock=clock,
        sleep=clock.advance,
        interactive=False,
    )
    return world, out, err


def test_iqp_fake_serve_fails_jobs_with_the_reason_and_code_asked(clock: ManualClock) -> None:
    world, out, _ = _world(clock)
    seen: dict[str, Any] = {}

    def submit_then_interrupt() -> None:
        info = json.loads(out.getvalue())
        token = httpx.post(
            f"{info['iam_url']}/identity/token",
            data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": info["api_key"]},
            timeout=5,
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Service-CRN": info["crn"]}
        created = httpx.post(
            f"{info['url']}/v1/jobs",
            json={"program_id": "sampler", "backend": "fake_heron"},
            headers=headers,
            timeout=5,
        ).json()
        clock.advance(60)
        seen["job"] = httpx.get(f"{info['url']}/v1/jobs/{created['id']}", headers=headers, timeout=5).json()
        raise KeyboardInterrupt

    world.block = submit_then_interrupt
    argv = ["--json", "fake", "serve", "--outcome", "Failed", "--reason-code", "1517", "--reason", "Too deep"]
    assert cli.run(argv, world) == cli.exits.OK
    assert seen["job"]["state"] == {"status": "Failed", "reason": "Too deep", "reason_code": 1517}


def test_iqp_fake_serve_refuses_a_reason_code_that_is_not_four_digits(clock: ManualClock) -> None:
    world, _, err = _world(clock)
    assert cli.run(["fake", "serve", "--outcome", "Failed", "--reason-code", "12"], world) == cli.exits.USAGE
    assert "four digits" in err.getvalue()
