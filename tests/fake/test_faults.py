"""Injected faults: status sequences, garbled bodies, dropped connections, slow answers,
and a skewed clock."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from iqp_wrapper.testing.fake import OPERATIONS, FakeService, Fault, ManualClock

from .conftest import Api


async def test_the_next_n_answers_of_an_operation_fail_then_it_recovers(
    api: Api, service: FakeService
) -> None:
    service.faults.fail_next("list_jobs", 503, 503, 500)
    statuses = [(await api.get("/v1/jobs")).status_code for _ in range(4)]
    assert statuses == [503, 503, 500, 200]
    assert service.faults.pending() == 0


async def test_an_injected_error_has_the_operation_error_layout(api: Api, service: FakeService) -> None:
    service.faults.fail_next("list_jobs", 503, retry_after=7)
    service.faults.fail_next("get_instance_usage", 502)
    failed = await api.get("/v1/jobs")
    assert failed.headers["Retry-After"] == "7"
    assert failed.json()["errors"][0]["code"] == "injected_fault"
    usage = await api.get("/v1/usage")
    assert usage.status_code == 502
    assert usage.json()["errors"][0]["code"] == 502


async def test_faults_hit_only_their_operation(api: Api, service: FakeService) -> None:
    service.faults.fail_next("create_job", 503)
    assert (await api.get("/v1/jobs")).status_code == 200
    assert service.faults.pending("create_job") == 1
    assert (await api.post("/v1/jobs", json={"program_id": "s", "backend": "fake_heron"})).status_code == 503


async def test_a_wildcard_fault_hits_the_next_request_of_any_kind(api: Api, service: FakeService) -> None:
    service.faults.fail_next("*", 500)
    assert (await api.get("/v1/versions", headers={})).status_code == 500
    assert (await api.get("/v1/versions", headers={})).status_code == 200


async def test_a_fault_comes_before_authentication(api: Api, service: FakeService) -> None:
    service.faults.fail_next("get_instance", 503)
    assert (await api.get("/v1/instance", headers={})).status_code == 503


async def test_iam_can_fail(api: Api, service: FakeService) -> None:
    service.faults.fail_next("iam_token", 500, 503)
    first = await api.iam()
    assert first.status_code == 500
    assert first.json()["errorCode"] == "FAKEIAM0500E"
    assert (await api.iam()).status_code == 503
    assert (await api.iam()).status_code == 200
    assert service.iam_calls == 3 and service.tokens_issued == 1


async def test_iam_can_answer_garbage(api: Api, service: FakeService) -> None:
    service.faults.garble_next("iam_token")
    response = await api.iam()
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html"
    with pytest.raises(ValueError):
        response.json()


async def test_the_api_can_answer_garbage(api: Api, service: FakeService) -> None:
    service.faults.garble_next("get_job", times=2)
    job_id = await api.submit()
    for _ in range(2):
        response = await api.get(f"/v1/jobs/{job_id}")
        assert response.status_code == 200
        with pytest.raises(ValueError):
            response.json()
    assert (await api.get(f"/v1/jobs/{job_id}")).json()["id"] == job_id


async def test_a_dropped_connection_raises_like_a_real_one(api: Api, service: FakeService) -> None:
    service.faults.drop_next("list_backends")
    with pytest.raises(httpx.RemoteProtocolError):
        await api.get("/v1/backends")
    assert (await api.get("/v1/backends")).status_code == 200


async def test_iam_can_drop_the_connection(api: Api, service: FakeService) -> None:
    service.faults.drop_next("iam_token")
    with pytest.raises(httpx.RemoteProtocolError):
        await api.iam()
    assert (await api.iam()).status_code == 200


async def test_a_dropped_create_still_creates(api: Api, service: FakeService) -> None:
    """The answer is lost, not the request: what a client must not blindly resend."""
    service.faults.drop_next("create_job")
    with pytest.raises(httpx.RemoteProtocolError):
        await api.post("/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron"})
    assert (await api.get("/v1/jobs")).json()["count"] == 1


async def test_a_slow_answer_past_the_timeout_times_out(api: Api, service: FakeService) -> None:
    # In process the fake raises at once; over HTTP the server holds the answer.
    service.faults.slow_next("iam_token", 5.0)
    with pytest.raises(httpx.ReadTimeout):
        await api.send(
            "POST",
            api.iam_url + "/identity/token",
            data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": "fake-key-ok"},
            timeout=httpx.Timeout(5.0, read=0.05),
        )
    assert (await api.iam()).status_code == 200


async def test_a_slow_answer_within_the_timeout_arrives(api: Api, service: FakeService) -> None:
    service.faults.slow_next("get_instance", 0.01)
    assert (await api.get("/v1/instance")).status_code == 200


async def test_a_skewed_clock_shows_in_the_date_header(
    api: Api, service: FakeService, clock: ManualClock
) -> None:
    service.clock_skew = 600.0
    response = await api.get("/v1/versions", headers={})
    served = email.utils.parsedate_to_datetime(response.headers["Date"]).timestamp()
    assert served - clock() == 600.0


async def test_skew_applies_to_tokens_as_well(api: Api, service: FakeService, clock: ManualClock) -> None:
    service.clock_skew = 3600.0
    body = (await api.iam()).json()
    assert body["expiration"] == int(clock()) + 3600 + 3600
    # Tokens stay valid for their lifetime on the fake's own (skewed) clock.
    headers = api.headers(Authorization=f"Bearer {body['access_token']}")
    assert (await api.get("/v1/instance", headers=headers)).status_code == 200


def test_faults_name_known_operations() -> None:
    service = FakeService(clock=ManualClock())
    with pytest.raises(ValueError, match="unknown operation"):
        service.faults.fail_next("list_job", 503)
    with pytest.raises(ValueError, match="4xx or 5xx"):
        Fault.http(200)
    with pytest.raises(ValueError):
        Fault.slow(0)
    assert "iam_token" in OPERATIONS and "get_instance_usage" in OPERATIONS


def test_faults_can_be_mixed_and_cleared() -> None:
    service = FakeService(clock=ManualClock())
    service.faults.inject("get_job", Fault.http(500), Fault.disconnect(), Fault.garbled())
    assert service.faults.pending("get_job") == 3
    service.faults.clear()
    assert service.faults.pending() == 0


def test_dropping_every_open_connection(service: FakeService) -> None:
    with service.serve() as server, httpx.Client(base_url=server.url) as http:
        headers = service.headers()
        assert http.get("/v1/instance", headers=headers).status_code == 200
        assert server.drop_connections() == 1
        # httpx notices the pooled connection was closed and opens a new one.
        assert http.get("/v1/instance", headers=headers).status_code == 200
