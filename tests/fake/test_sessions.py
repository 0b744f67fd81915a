"""Sessions and batches: create, get, patch, close, and their jobs."""

from __future__ import annotations

import pytest

from iqp_wrapper.testing.fake import ManualClock

from .conftest import Api


async def _create(api: Api, **body: object) -> dict[str, object]:
    response = await api.post("/v1/sessions", json={"mode": "dedicated", "backend": "fake_heron", **body})
    assert response.status_code == 200, response.text
    session = response.json()
    assert isinstance(session, dict)
    return session


async def _get(api: Api, session_id: object) -> dict[str, object]:
    response = await api.get(f"/v1/sessions/{session_id}")
    assert response.status_code == 200, response.text
    session = response.json()
    assert isinstance(session, dict)
    return session


async def test_create_and_get(api: Api) -> None:
    created = await _create(api)
    assert created["state"] == "open"
    assert created["mode"] == "dedicated"
    assert created["backend_name"] == "fake_heron"
    assert created["accepting_jobs"] is True
    assert created["max_ttl"] == 28800
    assert created["interactive_ttl"] == 60
    assert created["started_at"] == "2026-05-01T12:00:00.000Z"
    assert created["timestamps"] == [{"status": "open", "timestamp": "2026-05-01T12:00:00.000Z"}]
    assert await _get(api, created["id"]) == created


async def test_a_batch_without_backend_takes_its_first_jobs_backend(api: Api) -> None:
    session = await _create(api, mode="batch", backend=None)
    assert session["backend_name"] is None
    assert "interactive_ttl" not in session
    await api.submit(backend="fake_eagle", session_id=session["id"])
    assert (await _get(api, session["id"]))["backend_name"] == "fake_eagle"
    other = await api.post(
        "/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron", "session_id": session["id"]}
    )
    assert other.status_code == 400


async def test_state_follows_the_jobs(api: Api, clock: ManualClock) -> None:
    session = await _create(api)
    job_id = await api.submit(session_id=session["id"])
    clock.advance(2)
    running = await _get(api, session["id"])
    assert running["state"] == "active"
    assert running["activated_at"] == running["last_job_started"] == "2026-05-01T12:00:02.000Z"
    clock.advance(3)
    idle = await _get(api, session["id"])
    assert idle["state"] == "inactive"
    assert idle["last_job_completed"] == "2026-05-01T12:00:05.000Z"
    assert idle["elapsed_time"] == 3.0
    stamps = idle["timestamps"]
    assert isinstance(stamps, list)
    assert [stamp["status"] for stamp in stamps] == ["open", "active", "inactive"]
    assert (await api.get(f"/v1/jobs/{job_id}")).json()["session_id"] == session["id"]


async def test_patch_stops_new_jobs_but_lets_queued_ones_run(api: Api, clock: ManualClock) -> None:
    session = await _create(api)
    job_id = await api.submit(session_id=session["id"])
    patched = await api.call("PATCH", f"/v1/sessions/{session['id']}", json={"accepting_jobs": False})
    assert patched.status_code == 204
    assert (await _get(api, session["id"]))["accepting_jobs"] is False
    refused = await api.post(
        "/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron", "session_id": session["id"]}
    )
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "session_not_accepting_jobs"
    clock.advance(5)
    assert (await api.get(f"/v1/jobs/{job_id}")).json()["status"] == "Completed"
    reopened = await api.call("PATCH", f"/v1/sessions/{session['id']}", json={"accepting_jobs": True})
    assert reopened.status_code == 204
    await api.submit(session_id=session["id"])


async def test_close_cancels_queued_jobs(api: Api, clock: ManualClock) -> None:
    session = await _create(api)
    running = await api.submit(session_id=session["id"])
    clock.advance(2)
    queued = await api.submit(session_id=session["id"])
    closed = await api.call("DELETE", f"/v1/sessions/{session['id']}/close")
    assert closed.status_code == 204
    assert (await api.get(f"/v1/jobs/{queued}")).json()["status"] == "Cancelled"
    assert (await api.get(f"/v1/jobs/{running}")).json()["status"] == "Running"
    after = await _get(api, session["id"])
    assert after["state"] == "closed"
    assert after["accepting_jobs"] is False
    assert after["closed_at"] == "2026-05-01T12:00:02.000Z"
    assert after["state_reason"] == "Closed on request."
    refused = await api.post(
        "/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron", "session_id": session["id"]}
    )
    assert refused.status_code == 409


async def test_a_session_closes_at_its_max_ttl(api: Api, clock: ManualClock) -> None:
    session = await _create(api, max_ttl=100)
    clock.advance(100)
    after = await _get(api, session["id"])
    assert after["state"] == "closed"
    assert after["closed_at"] == "2026-05-01T12:01:40.000Z"
    assert after["state_reason"] == "Reached its max_ttl."


@pytest.mark.parametrize(
    "body",
    [{"mode": "solo"}, {}, {"mode": "batch", "backend": "no_such"}, {"mode": "batch", "max_ttl": 0}],
    ids=["bad-mode", "no-mode", "bad-backend", "bad-ttl"],
)
async def test_invalid_session_requests_are_400(api: Api, body: dict[str, object]) -> None:
    assert (await api.post("/v1/sessions", json=body)).status_code == 400


async def test_patch_needs_a_boolean(api: Api) -> None:
    session = await _create(api)
    assert (await api.call("PATCH", f"/v1/sessions/{session['id']}", json={})).status_code == 400


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", ""), ("PATCH", ""), ("DELETE", "/close")],
)
async def test_an_unknown_session_is_404(api: Api, method: str, path: str) -> None:
    response = await api.call(method, f"/v1/sessions/nosuchsession{path}", json={"accepting_jobs": False})
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "session_not_found"
