"""help() shows each method's own words; close/aclose; ``with`` before or after first use."""

from __future__ import annotations

import inspect
import pydoc

import pytest

from iqp_wrapper import ClientClosedError
from iqp_wrapper.jobs import submit_job, wait_for_job
from iqp_wrapper.primitives.submit import submit_sampler

from .scripted import JOB, json_answer, scripted, scripted_async

PLAIN = pydoc.plaintext  # type: ignore[attr-defined]  # in pydoc, not in its stubs


def test_help_shows_the_helpers_own_signature_and_docstring() -> None:
    client = scripted(lambda _: json_answer(200, JOB))
    for method, function in (
        (client.jobs.wait, wait_for_job),
        (client.jobs.submit, submit_job),
        (client.primitives.submit_sampler, submit_sampler),
    ):
        text = pydoc.render_doc(method, renderer=PLAIN)
        assert "partial" not in text
        assert function.__doc__ is not None and function.__doc__.splitlines()[0] in text
        parameters = list(inspect.signature(method).parameters)
        assert parameters == list(inspect.signature(function).parameters)[1:]  # the client is bound


def test_help_shows_a_generated_methods_own_signature() -> None:
    client = scripted(lambda _: json_answer(200, JOB))
    text = pydoc.render_doc(client.jobs.get, renderer=PLAIN)
    assert "Get the details of a job" in text
    assert list(inspect.signature(client.jobs.get).parameters)[:2] == ["id", "exclude_params"]


def test_with_works_after_the_first_call_and_close_ends_the_client() -> None:
    client = scripted(lambda _: json_answer(200, JOB))
    assert client.jobs.get("job-1").id == JOB["id"]
    with client as same:  # httpx alone refuses this once the client was used
        assert same is client
        assert client.jobs.get("job-1").id == JOB["id"]
    with pytest.raises(ClientClosedError, match="connect"):
        client.jobs.get("job-1")
    with pytest.raises(ClientClosedError):
        client.__enter__()


def test_close_without_with() -> None:
    client = scripted(lambda _: json_answer(200, JOB))
    client.jobs.get("job-1")
    client.close()
    with pytest.raises(ClientClosedError):
        client.jobs.get("job-1")


async def test_async_with_after_first_call_and_aclose() -> None:
    client = scripted_async(lambda _: json_answer(200, JOB))
    assert (await client.jobs.get("job-1")).id == JOB["id"]
    async with client:
        assert (await client.jobs.get("job-1")).id == JOB["id"]
    with pytest.raises(ClientClosedError):
        await client.jobs.get("job-1")
    other = scripted_async(lambda _: json_answer(200, JOB))
    await other.jobs.get("job-1")
    await other.aclose()
    with pytest.raises(ClientClosedError):
        async with other:
            pass


async def test_each_client_enters_both_ways_after_first_use() -> None:
    from iqp_api.api.jobs import get_job
    from iqp_wrapper import unwrap

    client = scripted(lambda _: json_answer(200, JOB))  # a sync client, used async (the README's helpers)
    assert unwrap(await get_job.asyncio_detailed("job-1", client=client)).id == JOB["id"]
    async with client:
        assert unwrap(await get_job.asyncio_detailed("job-1", client=client)).id == JOB["id"]
    with pytest.raises(ClientClosedError):
        await get_job.asyncio_detailed("job-1", client=client)
    twin = scripted_async(lambda _: json_answer(200, JOB))
    assert unwrap(get_job.sync_detailed("job-1", client=twin)).id == JOB["id"]
    with twin:
        assert unwrap(get_job.sync_detailed("job-1", client=twin)).id == JOB["id"]
    with pytest.raises(ClientClosedError):
        get_job.sync_detailed("job-1", client=twin)
