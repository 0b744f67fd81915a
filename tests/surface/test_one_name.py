"""One name per thing on each namespace; the other names still work, with a DeprecationWarning."""

from __future__ import annotations

import inspect

import httpx
import pytest

from iqp_api.models import JobRunParams
from iqp_api.resources.jobs import AsyncJobs, Jobs
from iqp_wrapper.jobs import SubmittedJob

from .scripted import json_answer, scripted, scripted_async

CREATED = {"id": "job-9", "backend": "ibm_fez"}


def _api(request: httpx.Request) -> httpx.Response:
    if request.method == "POST":
        return json_answer(200, CREATED)
    return json_answer(200, {"results": [], "metadata": {}})


def _body() -> JobRunParams:
    return JobRunParams.from_dict({"program_id": "sampler", "backend": "ibm_fez", "params": {}})


def test_the_deprecated_names_warn_and_still_work() -> None:
    client = scripted(_api)
    with pytest.warns(DeprecationWarning, match=r"client\.jobs\.submit"):
        created = client.jobs.create(body=_body())
    assert created.id == "job-9"
    with pytest.warns(DeprecationWarning, match=r"client\.jobs\.results"):
        assert client.jobs.get_results("job-9") is not None


async def test_the_async_deprecated_names_warn_and_still_work() -> None:
    async with scripted_async(_api) as client:
        with pytest.warns(DeprecationWarning, match="submit"):
            assert (await client.jobs.create(body=_body())).id == "job-9"
        with pytest.warns(DeprecationWarning, match="results"):
            assert await client.jobs.get_results("job-9") is not None


def test_the_one_names_do_not_warn(recwarn: pytest.WarningsRecorder) -> None:
    client = scripted(_api)
    submitted = client.jobs.submit(_body())
    assert isinstance(submitted, SubmittedJob) and submitted.id == "job-9"
    assert client.jobs.results("job-9") == {"results": [], "metadata": {}}
    assert client.jobs.with_raw_response.create(body=_body()).status_code == 200  # raw keeps names
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


def test_list_and_iter_take_the_same_filters_with_the_same_defaults() -> None:
    for namespace in (Jobs, AsyncJobs):
        listed = inspect.signature(namespace.list).parameters
        iterated = inspect.signature(namespace.iter).parameters
        for name, parameter in iterated.items():
            if name in listed and name != "limit":  # iter's limit caps the items, list's a page
                assert parameter.default == listed[name].default, name
        assert iterated["page_size"].default == listed["limit"].default


async def test_aiter_jobs_is_the_deprecated_spelling_of_async_iter_jobs() -> None:
    from iqp_wrapper import aiter_jobs, async_iter_jobs

    from .test_pagination import OffsetServer

    async with scripted_async(OffsetServer()) as client:
        expected = [job.id async for job in async_iter_jobs(client, limit=4)]
        with pytest.warns(DeprecationWarning, match="async_iter_jobs"):
            jobs = aiter_jobs(client, limit=4)
        assert [job.id async for job in jobs] == expected
