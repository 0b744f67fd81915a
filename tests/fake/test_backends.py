"""Backends: the list, status, properties, configuration and defaults."""

from __future__ import annotations

import pytest

from iqp_wrapper.testing.fake import FakeBackend, FakeService, ManualClock

from .conftest import Api


async def test_list_describes_every_backend(api: Api) -> None:
    response = await api.get("/v1/backends")
    assert response.status_code == 200
    devices = {device["name"]: device for device in response.json()["devices"]}
    assert set(devices) == {"fake_heron", "fake_eagle", "fake_falcon"}
    heron = devices["fake_heron"]
    assert heron["status"] == {"name": "online"}
    assert heron["qubits"] == 133
    assert heron["is_simulator"] is False
    assert heron["processor_type"]["family"] == "Heron"
    assert heron["performance_metrics"]["two_q_error_best"]["gate"] == "cz"
    assert "wait_time_seconds" not in heron
    assert devices["fake_falcon"]["status"] == {"name": "paused", "reason": "Calibration in progress"}


async def test_queue_length_counts_queued_jobs(api: Api, clock: ManualClock) -> None:
    await api.submit()
    await api.submit()
    heron = await api.get("/v1/backends/fake_heron/status")
    assert heron.json()["length_queue"] == 2 + 2
    listed = (await api.get("/v1/backends")).json()["devices"]
    assert next(d for d in listed if d["name"] == "fake_heron")["queue_length"] == 4
    clock.advance(2)
    assert (await api.get("/v1/backends/fake_heron/status")).json()["length_queue"] == 2


async def test_wait_times_only_when_asked(api: Api) -> None:
    response = await api.get("/v1/backends", params={"fields": "wait_time_seconds"})
    heron = next(d for d in response.json()["devices"] if d["name"] == "fake_heron")
    assert heron["wait_time_seconds"] == {"average": 6, "p50": 4, "p95": 15}


async def test_status(api: Api) -> None:
    assert (await api.get("/v1/backends/fake_heron/status")).json() == {
        "state": True,
        "status": "active",
        "message": "",
        "length_queue": 2,
        "backend_version": "1.0.0",
    }
    paused = (await api.get("/v1/backends/fake_falcon/status")).json()
    assert paused["state"] is False and paused["status"] == "paused"


async def test_properties_describe_every_qubit(api: Api, clock: ManualClock) -> None:
    clock.advance(1800)
    body = (await api.get("/v1/backends/fake_falcon/properties")).json()
    assert body["backend_name"] == "fake_falcon"
    assert body["last_update_date"] == "2026-05-01T12:00:00Z"
    assert len(body["qubits"]) == 27
    assert {item["name"] for item in body["qubits"][0]} >= {"T1", "T2", "readout_error", "frequency"}
    two_qubit = [gate for gate in body["gates"] if gate["gate"] == "cx"]
    assert len(two_qubit) == 2 * 26
    again = (await api.get("/v1/backends/fake_falcon/properties")).json()
    assert again == body


async def test_configuration_matches_the_backend(api: Api) -> None:
    body = (await api.get("/v1/backends/fake_eagle/configuration")).json()
    assert body["backend_name"] == "fake_eagle"
    assert body["n_qubits"] == 127
    assert body["basis_gates"] == ["ecr", "id", "rz", "sx", "x"]
    assert [0, 1] in body["coupling_map"] and [1, 0] in body["coupling_map"]
    assert len(body["coords"]) == 127
    assert body["processor_type"] == {"family": "Eagle", "revision": "3.0"}


async def test_defaults(api: Api) -> None:
    body = (await api.get("/v1/backends/fake_heron/defaults")).json()
    assert len(body["qubit_freq_est"]) == 133
    assert len(body["meas_freq_est"]) == 133


@pytest.mark.parametrize("what", ["status", "properties", "configuration", "defaults"])
async def test_an_unknown_backend_is_404(api: Api, what: str) -> None:
    response = await api.get(f"/v1/backends/no_such/{what}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "backend_not_found"


async def test_a_simulator_has_no_calibration_data(clock: ManualClock) -> None:
    service = FakeService(clock=clock, backends=[FakeBackend("fake_sim", 32, simulator=True)])
    api = Api(service, "inproc-async", None)
    listed = (await api.get("/v1/backends")).json()["devices"]
    assert listed[0]["is_simulator"] is True and listed[0]["clops"] is None
    assert (await api.get("/v1/backends/fake_sim/configuration")).status_code == 200
    for what in ("properties", "defaults"):
        response = await api.get(f"/v1/backends/fake_sim/{what}")
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_provided"
    await api.close()


def test_backend_figures_are_validated() -> None:
    with pytest.raises(ValueError, match="two qubits"):
        FakeBackend("tiny", 1)
    with pytest.raises(ValueError, match="letters"):
        FakeBackend("bad-name", 5)
