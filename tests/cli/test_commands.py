"""``iqp backends``, ``usage``, ``versions`` and ``jobs ...`` against the fake: tables for
people, JSON for scripts, and the documented exit codes."""

from __future__ import annotations

import json
import socket

import pytest

from iqp_wrapper import IQPClient
from iqp_wrapper.cli import exits
from iqp_wrapper.testing.fake import FakeService, JobPlan, ManualClock
from tests.helpers.submitting import submit

from .conftest import Cli


def test_help_lists_commands_and_exit_codes(cli: Cli) -> None:
    ran = cli("--help")
    assert ran.code == 0
    for word in ("doctor", "backends", "jobs", "usage", "versions", "demo", "fake", "exit codes:", "130"):
        assert word in ran.out
    for code, meaning in exits.DESCRIPTIONS:
        assert f"{code:<4} {meaning}" in ran.out
    assert cli("jobs", "--help").code == 0


def test_a_wrong_command_line_is_exit_code_2(cli: Cli) -> None:
    assert cli().code == exits.USAGE
    ran = cli("jobs", "fly")
    assert ran.code == exits.USAGE and "invalid choice" in ran.err


def test_backends_table_and_json(cli: Cli) -> None:
    ran = cli("backends")
    assert ran.code == 0
    lines = ran.out.splitlines()
    assert lines[0].split() == ["NAME", "STATUS", "QUBITS", "QUEUE", "PROCESSOR", "CLOPS"]
    assert lines[1].split()[:4] == ["fake_heron", "online", "133", "2"]
    assert "paused (Calibration in progress)" in ran.out
    listed = cli("--json", "backends").json()
    assert [device["name"] for device in listed] == ["fake_heron", "fake_eagle", "fake_falcon"]
    assert cli("backends", "--json").json() == listed  # the option works after the command too
    waits = cli("backends", "--wait-times", "--json").json()
    assert "wait_time_seconds" in waits[0]


def test_usage(cli: Cli, iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    submit(iqp_client)
    iqp_clock.advance(5)
    ran = cli("usage")
    assert ran.code == 0
    assert "plan           fake-open-plan" in ran.out
    assert "used           3.0 s" in ran.out and "limit          10 min" in ran.out
    body = cli("usage", "--json").json()
    assert body["usage_consumed_seconds"] == 3.0 and body["plan_id"] == "fake-open-plan"


def test_versions_marks_the_one_in_use(cli: Cli) -> None:
    ran = cli("versions")
    assert ran.code == 0
    assert "2026-04-15  live        -           <- used" in ran.out
    assert "2024-01-01  deprecated  2027-01-01" in ran.out
    chosen = cli("versions", "--api-version", "2026-03-15")
    assert "2026-03-15  deprecated  2027-06-01  <- used" in chosen.out
    body = cli("versions", "--json").json()
    assert body["versions"][-1] == {"version": "2026-04-15", "status": "live"}


def test_versions_needs_no_credentials(cli: Cli, iqp_fake: FakeService) -> None:
    ran = cli("versions", "--json", env={"IQP_API_TOKEN": None, "IQP_SERVICE_CRN": None})
    assert ran.code == 0 and len(ran.json()["versions"]) == 7
    assert iqp_fake.iam_calls == 0


@pytest.mark.iqp_fake(rate_limit=None)
def test_jobs_list_with_filters(cli: Cli, iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    old = submit(iqp_client, tags=["old"])
    iqp_clock.advance(10)
    new = submit(iqp_client, program_id="estimator", backend="fake_eagle", tags=["new"])
    ran = cli("jobs", "list")
    assert ran.code == 0
    lines = ran.out.splitlines()
    assert lines[0].split() == ["ID", "STATUS", "PROGRAM", "BACKEND", "CREATED", "TAGS"]
    assert lines[1].split()[:4] == [new, "Queued", "estimator", "fake_eagle"]
    assert lines[2].split()[:4] == [old, "Completed", "sampler", "fake_heron"]
    assert "2026-05-01 12:00:00Z" in lines[2]

    def ids(*options: str) -> list[str]:
        return [job["id"] for job in cli("jobs", "list", "--json", *options).json()]

    assert ids() == [new, old]
    assert ids("--pending") == [new]
    assert ids("--finished") == [old]
    assert ids("--program", "sampler") == [old]
    assert ids("--backend", "fake_eagle") == [new]
    assert ids("--tag", "old") == [old]
    assert ids("--oldest-first") == [old, new]
    assert ids("--limit", "1") == [new]
    assert ids("--created-after", "2026-05-01T12:00:05Z") == [new]
    assert ids("--created-before", "2026-05-01T12:00:05") == [old]
    assert ids("--all") == [new, old]
    assert "(the first 1;" in cli("jobs", "list", "--limit", "1").out
    bad = cli("jobs", "list", "--created-after", "yesterday")
    assert bad.code == exits.USAGE and "ISO 8601" in bad.err


def test_jobs_list_when_there_are_none(cli: Cli) -> None:
    assert cli("jobs", "list").out.strip() == "No jobs match."
    assert cli("jobs", "list", "--json").json() == []


def test_jobs_show(cli: Cli, iqp_client: IQPClient) -> None:
    job_id = submit(iqp_client, tags=["demo"], params={"pubs": [["OPENQASM 3.0;"]]})
    ran = cli("jobs", "show", job_id)
    assert ran.code == 0
    assert f"id            {job_id}" in ran.out
    assert "status        Queued" in ran.out and "tags          demo" in ran.out
    assert "params" not in ran.out
    assert '"pubs"' in cli("jobs", "show", job_id, "--params").out
    body = cli("jobs", "show", job_id, "--json", "--params").json()
    assert body["id"] == job_id and body["status"] == "Queued" and "params" in body


def test_an_unknown_job_is_exit_code_1(cli: Cli) -> None:
    ran = cli("jobs", "show", "nope")
    assert ran.code == exits.API_ERROR
    assert ran.err.startswith("iqp: HTTP 404 Not Found: Job nope was not found")
    error = cli("jobs", "show", "nope", "--json").err
    body = json.loads(error)["error"]
    assert body["type"] == "NotFoundError" and body["status_code"] == 404 and body["trace"]


def test_jobs_results(cli: Cli, iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    qasm = "OPENQASM 3.0;\nbit[2] meas;\nmeas = measure $[0:1];\n"
    job_id = submit(iqp_client, params={"pubs": [[qasm]], "options": {"default_shots": 10}})
    early = cli("jobs", "results", job_id)
    assert early.code == exits.API_ERROR and "no final result yet" in early.err
    iqp_clock.advance(5)
    ran = cli("jobs", "results", job_id)
    assert ran.code == 0 and ran.out.startswith(f"Result of job {job_id} (JSON data):")
    data = cli("jobs", "results", job_id, "--json").json()
    assert len(data["results"][0]["data"]["meas"]["samples"]) == 10


def test_jobs_results_can_wait_first(cli: Cli, iqp_client: IQPClient) -> None:
    job_id = submit(iqp_client, program_id="executor")
    ran = cli("jobs", "results", job_id, "--wait")
    assert ran.code == 0
    assert "Waiting for job" in ran.out and "Completed" in ran.out and "ExecutorV02" in ran.out
    quiet = cli("jobs", "results", submit(iqp_client, program_id="executor"), "--wait", "--json")
    assert quiet.json()["schema_version"] == "v0.2"


def test_jobs_logs(cli: Cli, iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    job_id = submit(iqp_client)
    iqp_clock.advance(5)
    ran = cli("jobs", "logs", job_id)
    assert ran.code == 0 and ran.out.count(job_id) == 3 and "completed" in ran.out
    assert "running" in cli("jobs", "logs", job_id, "--json").json()["logs"]


def test_jobs_wait_shows_each_status(cli: Cli, iqp_client: IQPClient) -> None:
    job_id = submit(iqp_client)
    ran = cli("jobs", "wait", job_id)
    assert ran.code == 0
    lines = ran.out.splitlines()
    assert lines[0] == f"Waiting for job {job_id}:"
    assert [line.split()[0] for line in lines[1:-1]] == ["Queued", "Running", "Completed"]
    assert lines[-1] == f"Job {job_id} Completed."
    assert cli("jobs", "wait", job_id, "--json").json()["status"] == "Completed"


def test_jobs_wait_redraws_one_line_on_a_terminal(cli: Cli, iqp_client: IQPClient) -> None:
    ran = cli("jobs", "wait", submit(iqp_client), interactive=True)
    assert ran.code == 0 and ran.out.count("\r") == 5  # one redraw per poll


def test_jobs_wait_exit_codes(cli: Cli, iqp_client: IQPClient, iqp_fake: FakeService) -> None:
    iqp_fake.schedule.queue(JobPlan(outcome="Failed", reason="Out of memory"))
    failed = cli("jobs", "wait", submit(iqp_client))
    assert failed.code == exits.JOB_FAILED and "failed: Out of memory" in failed.err
    iqp_fake.schedule.queue(JobPlan(queued_seconds=100))
    slow = cli("jobs", "wait", submit(iqp_client), "--wait-timeout", "5")
    assert slow.code == exits.TIMEOUT and "is still Queued after 5.0s" in slow.err


def test_jobs_cancel_and_delete(cli: Cli, iqp_client: IQPClient, iqp_fake: FakeService) -> None:
    job_id = submit(iqp_client)
    running = cli("jobs", "delete", job_id)
    assert running.code == exits.API_ERROR and "cancel it first" in running.err
    assert cli("jobs", "cancel", job_id).out.strip() == f"Job {job_id} cancelled."
    again = cli("jobs", "cancel", job_id)
    assert again.code == exits.API_ERROR and "409 Conflict" in again.err
    assert cli("jobs", "delete", job_id, "--json").json() == {"id": job_id, "deleted": True}
    assert iqp_fake.job_status(job_id) is None
    assert cli("jobs", "cancel", submit(iqp_client), "--json").json()["cancelled"] is True


def test_a_missing_key_is_exit_code_2_and_nothing_is_sent(cli: Cli, iqp_fake: FakeService) -> None:
    ran = cli("backends", env={"IQP_API_TOKEN": None})
    assert ran.code == exits.USAGE
    assert ran.err.startswith("iqp: No API key was found. Set IQP_API_TOKEN")
    assert iqp_fake.history == []
    bad_crn = cli("backends", "--crn", "crn:v1:nope")
    assert bad_crn.code == exits.USAGE and "does not parse" in bad_crn.err and "--crn" in bad_crn.err


def test_a_refused_key_is_exit_code_1(cli: Cli) -> None:
    ran = cli("backends", env={"IQP_API_TOKEN": "not-the-fake-key"})
    assert ran.code == exits.API_ERROR and "BXNIM0415E" in ran.err
    body = json.loads(cli("backends", "--json", env={"IQP_API_TOKEN": "not-the-fake-key"}).err)["error"]
    assert body == {
        "type": "IAMError",
        "message": body["message"],
        "status_code": 400,
        "error_code": "BXNIM0415E",
    }


def test_an_unreachable_api_is_exit_code_1(cli: Cli) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/api"
        ran = cli("versions", "--url", url)
    assert ran.code == exits.API_ERROR
    assert ran.err.startswith(f"iqp: could not reach {url}/v1/versions: ConnectError")
