"""What every API call must bring: a valid token, a known Service-CRN, a known version."""

from __future__ import annotations

import pytest

from iqp_wrapper.testing.fake import OTHER_REGION_CRN, FakeService, ManualClock, VersionInfo

from .conftest import Api


def _error_code(body: dict[str, object]) -> object:
    errors = body["errors"]
    assert isinstance(errors, list) and len(errors) == 1
    return errors[0]["code"]


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer not-a-token", "Basic abc", "token"])
async def test_a_missing_or_unknown_token_is_401(api: Api, authorization: str | None) -> None:
    response = await api.get("/v1/jobs", headers=api.headers(Authorization=authorization))
    assert response.status_code == 401
    body = response.json()
    assert _error_code(body) == "unauthorized"
    assert body["trace"]


async def test_an_expired_token_is_401(api: Api, clock: ManualClock) -> None:
    assert (await api.get("/v1/jobs")).status_code == 200
    clock.advance(3600)
    assert (await api.get("/v1/jobs")).status_code == 401


async def test_usage_answers_401_in_its_own_error_layout(api: Api) -> None:
    response = await api.get("/v1/instances/usage", headers=api.headers(Authorization=None))
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["code"] == 401
    assert error["solution"] and error["more_info"] and error["message"]


async def test_a_crn_of_another_region_is_instance_not_found(api: Api) -> None:
    response = await api.get("/v1/backends", headers=api.headers(Service_CRN=OTHER_REGION_CRN))
    assert response.status_code == 404
    body = response.json()
    assert _error_code(body) == "instance_not_found"
    assert "Instance not found" in body["errors"][0]["message"]
    assert "eu-de" in body["errors"][0]["message"]


async def test_a_missing_crn_is_400(api: Api) -> None:
    response = await api.get("/v1/backends", headers=api.headers(Service_CRN=None))
    assert response.status_code == 400
    assert _error_code(response.json()) == "missing_service_crn"


async def test_the_token_is_checked_before_the_crn(api: Api) -> None:
    headers = api.headers(Authorization=None, Service_CRN=OTHER_REGION_CRN)
    assert (await api.get("/v1/backends", headers=headers)).status_code == 401


async def test_crns_can_be_added_and_removed(api: Api, service: FakeService) -> None:
    service.add_crn(OTHER_REGION_CRN)
    headers = api.headers(Service_CRN=OTHER_REGION_CRN)
    assert (await api.get("/v1/instance", headers=headers)).status_code == 200
    service.remove_crn(OTHER_REGION_CRN)
    assert (await api.get("/v1/instance", headers=headers)).status_code == 404


def test_the_unknown_instance_status_is_configurable() -> None:
    service = FakeService(clock=ManualClock(), unknown_instance_status=403)
    import httpx

    with httpx.Client(transport=service.transport(), base_url=service.url) as http:
        response = http.get("/v1/instance", headers=service.headers(crn=OTHER_REGION_CRN))
    assert response.status_code == 403


async def test_versions_needs_no_token_crn_or_version(api: Api) -> None:
    response = await api.get("/v1/versions", headers={})
    assert response.status_code == 200
    versions = response.json()["versions"]
    assert [v["version"] for v in versions] == [
        "2024-01-01",
        "2025-01-01",
        "2025-05-01",
        "2026-02-01",
        "2026-02-15",
        "2026-03-15",
        "2026-04-15",
    ]
    assert versions[-1] == {"version": "2026-04-15", "status": "live"}
    assert all(v["status"] == "deprecated" and v["sunset_date"].startswith("2027") for v in versions[:-1])


async def test_the_answer_names_the_version_that_served_it(api: Api) -> None:
    response = await api.get("/v1/instance")
    assert response.headers["IBM-API-Version"] == "2026-04-15"
    assert response.headers["IBM-API-Version-Status"] == "live"
    assert "Sunset" not in response.headers


async def test_a_deprecated_version_is_flagged_with_its_sunset(api: Api) -> None:
    response = await api.get("/v1/instance", headers=api.headers(IBM_API_Version="2025-01-01"))
    assert response.status_code == 200
    assert response.headers["IBM-API-Version-Status"] == "deprecated"
    assert response.headers["Sunset"] == "Mon, 01 Feb 2027 00:00:00 GMT"


async def test_a_version_can_be_deprecated_while_running(api: Api, service: FakeService) -> None:
    service.versions.deprecate("2026-04-15", "2027-12-31")
    service.versions.make_live("2026-06-01")
    response = await api.get("/v1/instance", headers=api.headers(IBM_API_Version="2026-04-15"))
    assert response.headers["IBM-API-Version-Status"] == "deprecated"
    listed = (await api.get("/v1/versions", headers={})).json()["versions"]
    assert {"version": "2026-04-15", "status": "deprecated", "sunset_date": "2027-12-31"} in listed
    assert listed[-1] == {"version": "2026-06-01", "status": "live"}
    assert service.live_version == "2026-06-01"


async def test_no_version_header_means_the_oldest(api: Api) -> None:
    response = await api.get("/v1/backends", headers=api.headers(IBM_API_Version=None))
    assert response.status_code == 200
    assert response.headers["IBM-API-Version"] == "2024-01-01"
    # ... which lists backends in the older layout: names only.
    assert response.json() == {"devices": ["fake_eagle", "fake_falcon", "fake_heron"]}


@pytest.mark.parametrize("version", ["2023-01-01", "latest", "2026-4-15"])
async def test_an_unknown_version_is_400(api: Api, version: str) -> None:
    response = await api.get("/v1/instance", headers=api.headers(IBM_API_Version=version))
    assert response.status_code == 400
    assert _error_code(response.json()) == "api_version_unsupported"


async def test_a_sunset_version_is_400(clock: ManualClock) -> None:
    service = FakeService(
        clock=clock,
        versions=[VersionInfo("2026-04-15"), VersionInfo("2025-01-01", "deprecated", "2026-01-01")],
    )
    api = Api(service, "inproc-async", None)
    response = await api.get("/v1/instance", headers=api.headers(IBM_API_Version="2025-01-01"))
    await api.close()
    assert response.status_code == 400
    assert _error_code(response.json()) == "api_version_sunset"


async def test_unknown_paths_and_methods(api: Api) -> None:
    assert (await api.get("/v1/nothing")).status_code == 404
    assert (await api.send("GET", api.url.removesuffix("/api") + "/elsewhere")).status_code == 404
    wrong_method = await api.call("PUT", "/v1/jobs")
    assert wrong_method.status_code == 405
    assert set(wrong_method.headers["Allow"].split(", ")) == {"GET", "POST"}


async def test_every_answer_has_a_date_from_the_fake_clock(api: Api, service: FakeService) -> None:
    assert (await api.get("/v1/versions", headers={})).headers["Date"] == "Fri, 01 May 2026 12:00:00 GMT"
    service.clock_skew = -7200
    assert (await api.get("/v1/versions", headers={})).headers["Date"] == "Fri, 01 May 2026 10:00:00 GMT"
