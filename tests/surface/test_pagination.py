"""Every paged list operation iterates lazily over its pages: offset (jobs) and cursor (workloads).

The servers below page by the API's documented rules (``limit``/``offset`` with a
``count``; ``limit`` with a ``next`` link carrying the cursor); 7 items in pages of 3
make 3 pages.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from iqp_api.errors import UnparseableResponse
from iqp_api.models import JobResponseV3, JobsResponse, PaginationWorkloadsResponse, WorkloadResponse

from .scripted import JOB, json_answer, scripted, scripted_async

ITEMS = 7
PAGE = 3


def _job(n: int) -> dict[str, Any]:
    job = copy.deepcopy(JOB)
    job["id"] = f"job-{n}"
    return job


def _workload(n: int) -> dict[str, Any]:
    return {
        "id": f"workload-{n}",
        "created": "2026-12-03T10:00:00Z",
        "backend": "ibm_fez",
        "instance": "crn:v1:test-not-real",
        "user_id": "IBMid-test-not-real",
        "mode": "job",
        "status": "completed",
    }


class OffsetServer:
    """GET /v1/jobs paged by limit and offset."""

    def __init__(self) -> None:
        self.asked: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        self.asked.append(query)
        limit, offset = int(query.get("limit", 10)), int(query.get("offset", 0))
        jobs = [_job(n) for n in range(offset, min(offset + limit, ITEMS))]
        return json_answer(200, {"jobs": jobs, "offset": offset, "limit": limit, "count": ITEMS})


class CursorServer:
    """GET /v1/workloads paged by limit and a next link whose ``next`` query is the cursor."""

    def __init__(self, link_cursor: bool = True) -> None:
        self.asked: list[dict[str, str]] = []
        self.link_cursor = link_cursor

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        self.asked.append(query)
        limit = int(query.get("limit", 10))
        start = int(query["next"].removeprefix("after-")) if "next" in query else 0
        end = min(start + limit, ITEMS)
        body: dict[str, Any] = {
            "workloads": [_workload(n) for n in range(start, end)],
            "total_count": ITEMS,
            "limit": limit,
        }
        if end < ITEMS:
            cursor = f"&next=after-{end}" if self.link_cursor else ""
            body["next"] = {"href": f"https://quantum.cloud.ibm.com/api/v1/workloads?limit={limit}{cursor}"}
        if start:
            body["previous"] = {
                "href": f"https://quantum.cloud.ibm.com/api/v1/workloads?previous=before-{start}"
            }
        return json_answer(200, body)


def test_jobs_iterate_over_three_offset_pages_lazily() -> None:
    server = OffsetServer()
    client = scripted(server)
    jobs = iter(client.jobs.iter(page_size=PAGE))
    assert server.asked == []  # nothing fetched before the iteration asks
    first = next(jobs)
    assert isinstance(first, JobResponseV3)
    assert len(server.asked) == 1
    rest = list(jobs)
    assert [job.id for job in [first, *rest]] == [f"job-{n}" for n in range(ITEMS)]
    assert [q.get("offset") for q in server.asked] == [None, "3", "6"]
    assert len(server.asked) == 3  # 3 + 3 + 1: the short page is the last


def test_jobs_pages_are_the_page_models() -> None:
    server = OffsetServer()
    pages = list(scripted(server).jobs.iter(page_size=PAGE).pages())
    assert all(isinstance(page, JobsResponse) for page in pages)
    assert [len(page.jobs) for page in pages] == [3, 3, 1]


def test_workloads_iterate_over_three_cursor_pages_lazily() -> None:
    server = CursorServer()
    client = scripted(server)
    workloads = iter(client.workloads.iter(page_size=PAGE))
    first = next(workloads)
    assert isinstance(first, WorkloadResponse)
    assert len(server.asked) == 1
    ids = [first.id, *(w.id for w in workloads)]
    assert ids == [f"workload-{n}" for n in range(ITEMS)]
    assert [q.get("next") for q in server.asked] == [None, "after-3", "after-6"]
    assert all(q["limit"] == "3" for q in server.asked)


def test_workloads_pages_and_filters() -> None:
    server = CursorServer()
    pager = scripted(server).workloads.iter(page_size=PAGE, backend="ibm_fez", tags=["a"])
    pages = list(pager.pages())
    assert all(isinstance(page, PaginationWorkloadsResponse) for page in pages)
    assert [len(page.workloads) for page in pages] == [3, 3, 1]
    assert all(q["backend"] == "ibm_fez" and q["tags"] == "a" for q in server.asked)


@pytest.mark.parametrize("operation", ["jobs", "workloads"])
def test_limit_stops_early_and_asks_for_no_more(operation: str) -> None:
    server: OffsetServer | CursorServer = OffsetServer() if operation == "jobs" else CursorServer()
    namespace = getattr(scripted(server), operation)
    assert len(list(namespace.iter(page_size=PAGE, limit=4))) == 4
    assert [q["limit"] for q in server.asked] == ["3", "1"]


def test_a_next_link_without_a_cursor_is_an_error_not_a_silent_end() -> None:
    with pytest.raises(UnparseableResponse, match="next"):
        list(scripted(CursorServer(link_cursor=False)).workloads.iter(page_size=PAGE))


async def test_async_iterators_over_three_pages_each() -> None:
    jobs_server, workloads_server = OffsetServer(), CursorServer()
    async with scripted_async(jobs_server) as client:
        ids = [job.id async for job in client.jobs.iter(page_size=PAGE)]
        assert ids == [f"job-{n}" for n in range(ITEMS)]
        assert len(jobs_server.asked) == 3
        pages = [page async for page in client.jobs.iter(page_size=PAGE).pages()]
        assert [len(page.jobs) for page in pages] == [3, 3, 1]
    async with scripted_async(workloads_server) as client:
        ids = [w.id async for w in client.workloads.iter(page_size=PAGE)]
        assert ids == [f"workload-{n}" for n in range(ITEMS)]
        assert [q.get("next") for q in workloads_server.asked] == [None, "after-3", "after-6"]
        workload_pages = [page async for page in client.workloads.iter(page_size=PAGE).pages()]
        assert [len(page.workloads) for page in workload_pages] == [3, 3, 1]


def test_every_paged_list_operation_has_an_iterator() -> None:
    # The rule, checked from the other side: each namespace method taking a page size and
    # an offset or a cursor has its iterator, sync and async.
    import inspect

    from iqp_api.resources import AsyncResourceClient, ResourceClient

    client = scripted(OffsetServer())
    async_client = scripted_async(OffsetServer())
    paged = []
    for name, prop in inspect.getmembers(ResourceClient, lambda m: isinstance(m, property)):
        namespace = prop.fget(client)
        async_namespace = getattr(AsyncResourceClient, name).fget(async_client)
        for method_name, method in inspect.getmembers(namespace, inspect.ismethod):
            parameters = inspect.signature(method).parameters
            if "limit" in parameters and ({"offset", "next_"} & set(parameters)):
                paged.append(f"{name}.{method_name}")
                iterator = "iter" if method_name == "list" else "iter_" + method_name.removeprefix("list_")
                assert callable(getattr(namespace, iterator))
                assert callable(getattr(async_namespace, iterator))
    assert sorted(paged) == ["jobs.list", "workloads.list"]
