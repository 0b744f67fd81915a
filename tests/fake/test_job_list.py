"""GET /v1/jobs: limit/offset paging, order, and the filters."""

from __future__ import annotations

from typing import Any

import pytest

from iqp_wrapper.testing.fake import FakeService, ManualClock

from .conftest import Api


@pytest.fixture
def service(clock: ManualClock) -> FakeService:
    # Many submissions in a row: no rate limit here (it has its own tests).
    return FakeService(clock=clock, seed=7, rate_limit=None)


async def _ids(api: Api, **params: Any) -> list[str]:
    response = await api.get("/v1/jobs", params=params)
    assert response.status_code == 200, response.text
    return [job["id"] for job in response.json()["jobs"]]


async def _submit_spaced(api: Api, clock: ManualClock, count: int, **fields: Any) -> list[str]:
    ids = []
    for _ in range(count):
        ids.append(await api.submit(**fields))
        clock.advance(0.5)
    return ids


async def test_newest_first_with_count_and_default_limit(api: Api, clock: ManualClock) -> None:
    ids = await _submit_spaced(api, clock, 5)
    body = (await api.get("/v1/jobs")).json()
    assert body["count"] == 5 and body["offset"] == 0 and body["limit"] == 200
    assert [job["id"] for job in body["jobs"]] == ids[::-1]
    assert await _ids(api, sort="ASC") == ids


async def test_limit_and_offset_page_through_everything(api: Api, clock: ManualClock) -> None:
    ids = await _submit_spaced(api, clock, 7)
    pages = []
    for offset in range(0, 7, 3):
        body = (await api.get("/v1/jobs", params={"limit": 3, "offset": offset})).json()
        assert body["count"] == 7 and body["limit"] == 3 and body["offset"] == offset
        pages.append([job["id"] for job in body["jobs"]])
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [job_id for page in pages for job_id in page] == ids[::-1]
    assert await _ids(api, offset=7) == []


@pytest.mark.parametrize(("limit", "expected"), [("0", 200), ("201", 200), ("abc", 200), ("10", 10)])
async def test_out_of_range_limits_fall_back_to_the_default(api: Api, limit: str, expected: int) -> None:
    assert (await api.get("/v1/jobs", params={"limit": limit})).json()["limit"] == expected


async def test_list_leaves_params_out_unless_asked(api: Api) -> None:
    params = {"pubs": [["OPENQASM 3.0;\nbit b;\n"]], "version": 2}
    await api.submit(params=params)
    assert "params" not in (await api.get("/v1/jobs")).json()["jobs"][0]
    included = (await api.get("/v1/jobs", params={"exclude_params": "false"})).json()["jobs"][0]
    assert included["params"] == params


async def test_pending_filter(api: Api, clock: ManualClock) -> None:
    done = await api.submit()
    clock.advance(5)
    pending = await api.submit()
    assert await _ids(api, pending="true") == [pending]
    assert await _ids(api, pending="false") == [done]


async def test_program_backend_and_session_filters(api: Api) -> None:
    session = (await api.post("/v1/sessions", json={"mode": "batch", "backend": "fake_eagle"})).json()["id"]
    sampler = await api.submit()
    estimator = await api.submit(program_id="estimator")
    eagle = await api.submit(backend="fake_eagle", session_id=session)
    assert await _ids(api, program="estimator") == [estimator]
    assert await _ids(api, backend="fake_eagle") == [eagle]
    assert await _ids(api, session_id=session) == [eagle]
    assert set(await _ids(api, program="sampler")) == {sampler, eagle}


async def test_created_after_and_before(api: Api, clock: ManualClock) -> None:
    first = await api.submit()
    clock.advance(60)
    second = await api.submit()
    assert await _ids(api, created_after="2026-05-01T12:00:30Z") == [second]
    assert await _ids(api, created_before="2026-05-01T12:00:30Z") == [first]
    assert await _ids(api, created_after="2026-05-01T13:00:30+01:00") == [second]


async def test_tags_filter_needs_every_tag(api: Api) -> None:
    both = await api.submit(tags=["red", "blue"])
    red = await api.submit(tags=["red"])
    assert set(await _ids(api, tags="red")) == {both, red}
    assert await _ids(api, tags=["red", "blue"]) == [both]
    assert await _ids(api, tags="green") == []


async def test_filters_and_paging_combine(api: Api, clock: ManualClock) -> None:
    tagged = await _submit_spaced(api, clock, 4, tags=["x"])
    await _submit_spaced(api, clock, 3)
    body = (await api.get("/v1/jobs", params={"tags": "x", "limit": 3, "sort": "ASC"})).json()
    assert body["count"] == 4
    assert [job["id"] for job in body["jobs"]] == tagged[:3]
