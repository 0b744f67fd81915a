"""Jobs: their schedule, results, logs, metrics, cancel, delete and tags."""

from __future__ import annotations

from typing import Any

import pytest

from iqp_wrapper.testing.fake import FakeService, JobPlan, ManualClock, Plan, Schedule

from .conftest import Api

QASM = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nmeas = measure $[0:1];\n'
SAMPLER_PARAMS = {"pubs": [[QASM, [], 100]], "version": 2}
ESTIMATOR_PARAMS = {"pubs": [[QASM, "ZZ"]], "options": {"default_precision": 0.05}, "version": 2}


async def _status(api: Api, job_id: str) -> str:
    response = await api.get(f"/v1/jobs/{job_id}")
    assert response.status_code == 200, response.text
    status = response.json()["status"]
    assert isinstance(status, str)
    return status


async def test_a_job_moves_queued_running_completed_on_the_clock(api: Api, clock: ManualClock) -> None:
    job_id = await api.submit()
    assert await _status(api, job_id) == "Queued"
    clock.advance(1.9)
    assert await _status(api, job_id) == "Queued"
    clock.advance(0.1)
    assert await _status(api, job_id) == "Running"
    clock.advance(3)
    assert await _status(api, job_id) == "Completed"
    body = (await api.get(f"/v1/jobs/{job_id}")).json()
    assert body["state"] == {"status": "Completed"}
    assert body["usage"] == {"qpu_charge_time_seconds": 3.0, "status": "complete"}


async def test_the_created_job_is_described(api: Api) -> None:
    create = await api.post(
        "/v1/jobs",
        json={
            "program_id": "estimator",
            "backend": "fake_eagle",
            "tags": ["a", "b"],
            "params": ESTIMATOR_PARAMS,
        },
    )
    assert create.status_code == 200
    created = create.json()
    assert set(created) == {"id", "backend", "calibration_id"}
    assert created["backend"] == "fake_eagle"
    job = (await api.get(f"/v1/jobs/{created['id']}")).json()
    assert job["id"] == created["id"]
    assert job["program"] == {"id": "estimator"}
    assert job["backend"] == "fake_eagle"
    assert job["tags"] == ["a", "b"]
    assert job["created"] == "2026-05-01T12:00:00.000Z"
    assert job["params"] == ESTIMATOR_PARAMS
    assert job["user_id"] == "fake-user-1"
    assert job["usage"] == {"qpu_charge_time_seconds": 0.0, "status": "pending"}
    excluded = (await api.get(f"/v1/jobs/{created['id']}", params={"exclude_params": "true"})).json()
    assert "params" not in excluded


async def test_the_schedule_is_configurable_per_job(clock: ManualClock) -> None:
    schedule = Schedule(JobPlan(queued_seconds=10, running_seconds=20))
    schedule.queue(
        JobPlan(queued_seconds=0, running_seconds=1, outcome="Failed", reason="Boom", reason_code=1517)
    )
    service = FakeService(clock=clock, schedule=schedule)
    api = Api(service, "inproc-async", None)
    failing, normal = await api.submit(), await api.submit()
    clock.advance(1)
    failed = (await api.get(f"/v1/jobs/{failing}")).json()
    assert failed["status"] == "Failed"
    assert failed["state"] == {"status": "Failed", "reason": "Boom", "reason_code": 1517}
    assert await _status(api, normal) == "Queued"
    clock.advance(9)
    assert await _status(api, normal) == "Running"
    clock.advance(20)
    assert await _status(api, normal) == "Completed"
    await api.close()


async def test_a_planner_sees_the_job(clock: ManualClock) -> None:
    def planner(spec: object) -> JobPlan:
        return JobPlan(0, 1, "Failed") if "doomed" in getattr(spec, "tags", ()) else JobPlan(0, 1)

    service = FakeService(clock=clock, schedule=Schedule(planner=planner))
    api = Api(service, "inproc-sync", None)
    doomed, fine = await api.submit(tags=["doomed"]), await api.submit()
    clock.advance(1)
    assert (await _status(api, doomed), await _status(api, fine)) == ("Failed", "Completed")
    await api.close()


async def test_a_job_the_service_stops_ran_too_long(clock: ManualClock) -> None:
    service = FakeService(clock=clock, schedule=JobPlan(0, 5, "Cancelled"))
    api = Api(service, "inproc-sync", None)
    job_id = await api.submit()
    clock.advance(5)
    body = (await api.get(f"/v1/jobs/{job_id}")).json()
    assert body["status"] == "Cancelled - Ran too long"
    assert body["state"]["status"] == "Cancelled"
    assert "Ran too long" in body["state"]["reason"]
    await api.close()


async def test_results_are_204_until_completed_then_a_sampler_result(api: Api, clock: ManualClock) -> None:
    bell = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nmeas = measure $[0:1];\n'
    job_id = await api.submit(params={"pubs": [[bell]], "options": {"default_shots": 1000}, "version": 2})
    queued = await api.get(f"/v1/jobs/{job_id}/results")
    assert queued.status_code == 204 and queued.content == b""
    clock.advance(3)
    assert (await api.get(f"/v1/jobs/{job_id}/results")).status_code == 204
    clock.advance(2)
    done = await api.get(f"/v1/jobs/{job_id}/results")
    assert done.status_code == 200
    result = done.json()
    meas = result["results"][0]["data"]["meas"]
    assert meas["num_bits"] == 2 and len(meas["samples"]) == 1000
    assert set(meas["samples"]) <= {"0x0", "0x1", "0x2", "0x3"}
    # Deterministic: the same answer again.
    assert (await api.get(f"/v1/jobs/{job_id}/results")).json() == result


async def test_an_executor_job_returns_an_executor_result(api: Api, clock: ManualClock) -> None:
    job_id = await api.submit(program_id="executor")
    clock.advance(5)
    result = (await api.get(f"/v1/jobs/{job_id}/results")).json()
    assert result["schema_version"] == "v0.2"
    assert result["data"][0]["results"]["meas"]["dtype"] == "u8"


async def test_failed_and_cancelled_jobs_have_no_results(
    api: Api, service: FakeService, clock: ManualClock
) -> None:
    service.schedule.queue(JobPlan(0, 1, "Failed"))
    failed = await api.submit()
    cancelled = await api.submit()
    assert (await api.post(f"/v1/jobs/{cancelled}/cancel")).status_code == 204
    clock.advance(1)
    for job_id in (failed, cancelled):
        response = await api.get(f"/v1/jobs/{job_id}/results")
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "results_not_available"


async def test_a_private_job_hides_params_and_gives_its_result_once(api: Api, clock: ManualClock) -> None:
    create = await api.post(
        "/v1/jobs",
        json={"program_id": "sampler", "backend": "fake_heron", "private": True, "params": SAMPLER_PARAMS},
    )
    assert create.json()["private"] is True
    job_id = create.json()["id"]
    job = (await api.get(f"/v1/jobs/{job_id}")).json()
    assert job["private"] is True and "params" not in job
    clock.advance(5)
    assert (await api.get(f"/v1/jobs/{job_id}/results")).status_code == 200
    assert (await api.get(f"/v1/jobs/{job_id}/results")).status_code == 404


async def test_logs_are_plain_text_and_grow(api: Api, clock: ManualClock) -> None:
    job_id = await api.submit()
    first = await api.get(f"/v1/jobs/{job_id}/logs")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/plain")
    assert first.text.count("\n") == 1 and "queued on fake_heron" in first.text
    clock.advance(5)
    done = (await api.get(f"/v1/jobs/{job_id}/logs")).text
    assert done.splitlines()[-1].endswith("completed")
    assert len(done.splitlines()) == 3


async def test_metrics_fill_in_as_the_job_runs(api: Api, clock: ManualClock) -> None:
    job_id = await api.submit()
    headers = {**api.headers(), "x-qx-client-application": "qiskit-ibm-runtime/0.41.0/fake-tests"}
    created = await api.post(
        "/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron"}, headers=headers
    )
    with_caller = created.json()["id"]
    queued = (await api.get(f"/v1/jobs/{job_id}/metrics")).json()
    assert queued["timestamps"] == {"created": "2026-05-01T12:00:00.000Z"}
    assert queued["usage"]["status"] == "pending"
    clock.advance(5)
    done = (await api.get(f"/v1/jobs/{job_id}/metrics")).json()
    assert done["timestamps"] == {
        "created": "2026-05-01T12:00:00.000Z",
        "running": "2026-05-01T12:00:02.000Z",
        "finished": "2026-05-01T12:00:05.000Z",
    }
    assert done["usage"] == {"qpu_charge_time_seconds": 3.0, "status": "complete"}
    assert done["circuits_execution_time_ns"] == 2_400_000_000
    caller = (await api.get(f"/v1/jobs/{with_caller}/metrics")).json()
    assert caller["caller"] == "qiskit-ibm-runtime/0.41.0/fake-tests"
    assert caller["qiskit_version"] == "0.41.0"


async def test_cancel_a_queued_or_running_job_and_409_once_final(api: Api, clock: ManualClock) -> None:
    queued, running = await api.submit(), await api.submit()
    assert (await api.post(f"/v1/jobs/{queued}/cancel")).status_code == 204
    clock.advance(3)
    assert await _status(api, running) == "Running"
    assert (await api.post(f"/v1/jobs/{running}/cancel")).status_code == 204
    body = (await api.get(f"/v1/jobs/{running}")).json()
    assert body["status"] == "Cancelled"
    assert body["usage"] == {"qpu_charge_time_seconds": 1.0, "status": "complete"}
    for job_id in (queued, running):
        again = await api.post(f"/v1/jobs/{job_id}/cancel")
        assert again.status_code == 409
        assert again.json()["errors"][0]["code"] == "job_already_final"
    clock.advance(10)
    assert await _status(api, running) == "Cancelled"
    completed = await api.submit()
    clock.advance(5)
    assert (await api.post(f"/v1/jobs/{completed}/cancel")).status_code == 409


async def test_delete_is_refused_until_the_job_has_ended(api: Api, clock: ManualClock) -> None:
    job_id = await api.submit()
    for _ in range(2):  # Queued, then Running
        refused = await api.call("DELETE", f"/v1/jobs/{job_id}")
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["code"] == "job_not_final"
        clock.advance(2)
    clock.advance(5)
    assert (await api.call("DELETE", f"/v1/jobs/{job_id}")).status_code == 204
    assert (await api.get(f"/v1/jobs/{job_id}")).status_code == 404
    assert (await api.call("DELETE", f"/v1/jobs/{job_id}")).status_code == 404


@pytest.mark.parametrize(
    "path", ["", "/results", "/logs", "/metrics"], ids=["job", "results", "logs", "metrics"]
)
async def test_an_unknown_job_is_404(api: Api, path: str) -> None:
    response = await api.get(f"/v1/jobs/nosuchjob{path}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "job_not_found"


async def test_tags_are_replaced_and_searchable(api: Api) -> None:
    job_id = await api.submit(tags=["first"])
    assert (
        await api.call("PUT", f"/v1/jobs/{job_id}/tags", json={"tags": ["alpha", "beta"]})
    ).status_code == 204
    assert (await api.get(f"/v1/jobs/{job_id}")).json()["tags"] == ["alpha", "beta"]
    found = await api.get("/v1/tags", params={"type": "job", "search": "alp"})
    assert found.json() == {"tags": ["alpha"]}
    assert (await api.call("PUT", f"/v1/jobs/{job_id}/tags", json={"tags": []})).status_code == 204
    assert (await api.get(f"/v1/jobs/{job_id}")).json()["tags"] == []


@pytest.mark.parametrize(
    "body",
    [{"tags": "a"}, {"tags": ["x"] * 9}, {"tags": ["x" * 87]}, {"tags": [1]}, {}],
    ids=["not-a-list", "too-many", "too-long", "not-strings", "missing"],
)
async def test_invalid_tags_are_400(api: Api, body: dict[str, object]) -> None:
    job_id = await api.submit()
    assert (await api.call("PUT", f"/v1/jobs/{job_id}/tags", json=body)).status_code == 400


async def test_tag_search_needs_three_characters(api: Api) -> None:
    assert (await api.get("/v1/tags", params={"type": "job", "search": "ab"})).status_code == 400


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"backend": "fake_heron"}, 400),
        ({"program_id": "sampler"}, 400),
        ({"program_id": "sampler", "backend": "fake_heron", "params": []}, 400),
        ({"program_id": "sampler", "backend": "fake_heron", "cost": 10_801}, 400),
        ({"program_id": "sampler", "backend": "fake_heron", "private": "yes"}, 400),
        ({"program_id": "sampler", "backend": "no_such_backend"}, 404),
        ({"program_id": "sampler", "backend": "fake_heron", "session_id": "nosuchsession"}, 404),
    ],
    ids=["no-program", "no-backend", "params-not-object", "cost", "private", "backend", "session"],
)
async def test_invalid_job_submissions(api: Api, body: dict[str, object], status: int) -> None:
    assert (await api.post("/v1/jobs", json=body)).status_code == status


async def test_a_body_that_is_not_json_is_400(api: Api) -> None:
    response = await api.post(
        "/v1/jobs", content=b"{nope", headers={**api.headers(), "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_json"


async def test_no_jobs_once_the_usage_limit_is_reached(clock: ManualClock) -> None:
    service = FakeService(clock=clock, plan=Plan(limit_seconds=5.0), schedule=JobPlan(0, 3))
    api = Api(service, "inproc-async", None)
    await api.submit()
    await api.submit()
    clock.advance(3)  # 6 seconds used
    refused = await api.post("/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron"})
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "usage_limit_reached"
    await api.close()


def test_job_status_is_visible_from_python(service: FakeService, clock: ManualClock) -> None:
    import httpx

    with httpx.Client(transport=service.transport(), base_url=service.url) as http:
        job_id = http.post(
            "/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron"}, headers=service.headers()
        ).json()["id"]
    assert service.job_status(job_id) == "Queued"
    clock.advance(5)
    assert service.job_status(job_id) == "Completed"
    assert service.job_status("nope") is None


@pytest.mark.parametrize(
    ("program_id", "params", "says"),
    [
        ("sampler", {"pubs": []}, "non-empty pubs"),
        ("sampler", {"pubs": [[QASM, [], 0]]}, "shots must be a positive"),
        ("sampler", {"pubs": [[QASM]], "options": {"default_precision": 0.1}}, "default_precision is not"),
        ("sampler", {"pubs": [[QASM]], "version": 1}, "version must be 2"),
        ("estimator", {"pubs": [[QASM]]}, "an Estimator pub is"),
        ("estimator", {"pubs": [[QASM, "ZZ"]], "options": {"default_shots": 10}}, "default_shots is not"),
        ("estimator", {"pubs": [[QASM, ["ZZ", "XX"], [[0.1], [0.2], [0.3]]]]}, "do not broadcast"),
        ("estimator", {"pubs": [[QASM, "ZZ", None, -1]]}, "precision must be a positive"),
        ("executor", {"quantum_program": {}}, "schema_version"),
    ],
)
async def test_params_that_do_not_fit_the_program_get_400(
    api: Api, program_id: str, params: dict[str, Any], says: str
) -> None:
    body = {"program_id": program_id, "backend": "fake_heron", "params": params}
    response = await api.post("/v1/jobs", json=body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "invalid_params" and says in error["message"]
    assert response.json()["trace"]
