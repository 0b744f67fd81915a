"""One decision from answer to result or error: namespaces, raw responses and unwrap agree."""

from __future__ import annotations

import httpx
import pytest

from iqp_api.api.jobs import get_job
from iqp_api.models import JobResponseV3
from iqp_wrapper import NotFoundError, UnexpectedResponseError, unwrap
from iqp_wrapper.errors import ServerError

from .scripted import JOB, json_answer, scripted, scripted_async


def answers(status: int, body: object | None) -> httpx.Response:
    return json_answer(status, body) if body is not None else httpx.Response(status)


@pytest.mark.parametrize(
    ("status", "body"),
    [(202, JOB), (202, None), (204, None), (201, JOB)],
    ids=["202-with-job", "202-empty", "204-empty", "201-with-job"],
)
def test_an_undeclared_or_unreadable_success_raises_everywhere(status: int, body: object | None) -> None:
    client = scripted(lambda _: answers(status, body))
    with pytest.raises(UnexpectedResponseError) as caught:
        client.jobs.get("job-1")
    assert caught.value.status_code == status
    raw = client.jobs.with_raw_response.get("job-1")
    assert raw.status_code == status  # the raw variant never raises
    with pytest.raises(UnexpectedResponseError):
        unwrap(raw)
    direct = get_job.sync_detailed("job-1", client=client)
    if status != 204:
        with pytest.raises(UnexpectedResponseError):
            unwrap(direct)
    else:
        # A bare function's Response does not say what the operation declares: a 204
        # with no body reads as a documented empty answer (see unwrap).
        assert unwrap(direct) is None


@pytest.mark.parametrize(("status", "body"), [(202, JOB), (204, None)], ids=["202-with-job", "204-empty"])
async def test_the_async_namespace_decides_the_same(status: int, body: object | None) -> None:
    async with scripted_async(lambda _: answers(status, body)) as client:
        with pytest.raises(UnexpectedResponseError):
            await client.jobs.get("job-1")
        raw = await client.jobs.with_raw_response.get("job-1")
        with pytest.raises(UnexpectedResponseError):
            unwrap(raw)


@pytest.mark.parametrize("body", [b"", b"<html>proxy</html>", b'{"id": null}'])
def test_a_declared_success_that_cannot_be_read_raises_in_every_variant(body: bytes) -> None:
    client = scripted(lambda _: httpx.Response(200, content=body))
    with pytest.raises(UnexpectedResponseError):
        client.jobs.get("job-1")
    with pytest.raises(UnexpectedResponseError):
        client.jobs.with_raw_response.get("job-1")
    with pytest.raises(UnexpectedResponseError):
        get_job.sync_detailed("job-1", client=client)


def test_a_declared_success_is_the_model_in_both_paths() -> None:
    client = scripted(lambda _: json_answer(200, JOB))
    job = client.jobs.get("job-1")
    assert isinstance(job, JobResponseV3)
    assert job.id == JOB["id"]
    assert unwrap(client.jobs.with_raw_response.get("job-1")).id == JOB["id"]


def test_a_declared_no_content_answer_is_none() -> None:
    client = scripted(lambda _: httpx.Response(204))
    assert client.jobs.cancel("job-1") is None  # type: ignore[func-returns-value]
    assert unwrap(client.jobs.with_raw_response.cancel("job-1")) is None


@pytest.mark.parametrize(("status", "error"), [(404, NotFoundError), (503, ServerError), (500, ServerError)])
def test_error_statuses_raise_the_same_typed_error(status: int, error: type[Exception]) -> None:
    body = {"errors": [{"code": 1234, "message": "no", "more_info": "", "solution": ""}], "trace": "t-1"}
    client = scripted(lambda _: json_answer(status, body))
    with pytest.raises(error) as from_namespace:
        client.jobs.get("job-1")
    with pytest.raises(error) as from_unwrap:
        unwrap(client.jobs.with_raw_response.get("job-1"))
    assert type(from_namespace.value) is type(from_unwrap.value)
    assert str(from_namespace.value) == str(from_unwrap.value)


def test_unwrap_takes_the_declared_statuses_when_known() -> None:
    client = scripted(lambda _: httpx.Response(204))
    raw = client.jobs.with_raw_response.get("job-1")
    with pytest.raises(UnexpectedResponseError):
        unwrap(raw, (200,))
    assert unwrap(raw, (200, 204)) is None
