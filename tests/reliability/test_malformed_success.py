"""A success answer whose body cannot be read is UnexpectedResponseError, for every operation.

The generated operations hand such a body to ``Client._on_unparseable``; IQPClient turns it
into UnexpectedResponseError with the raw body. Checked on every generated operation's own
parser, then end to end (sync and async) through the client on a few of them.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

import iqp_api.api
from iqp_api import errors as generated_errors
from iqp_api.api.jobs import create_job, get_job, list_jobs
from iqp_api.api.sessions import create_session
from iqp_api.client import Client
from iqp_api.models import CreateSessionRequestCloud, JobRunParams
from iqp_wrapper import IQPClient, UnexpectedResponseError, connect

API_KEY = "test-key-not-real"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/test-account-not-real:test-instance-not-real::"

# Bodies no success schema accepts: each used to escape as a different bare exception.
BROKEN_BODIES = {
    "not_json": b"<html>gateway says hello</html>",  # JSONDecodeError
    "truncated": b'{"id": "abc", "backend": ',  # JSONDecodeError
    "bad_utf8": b'{"id": "\xff\xfe"}',  # UnicodeDecodeError
    "too_deep": b"[" * 100_000 + b"]" * 100_000,  # RecursionError
}


def _operations() -> Iterator[tuple[str, ModuleType, int]]:
    """Every generated operation with a parsed success body, and that status."""
    for info in pkgutil.walk_packages(iqp_api.api.__path__, "iqp_api.api."):
        module = importlib.import_module(info.name)
        if not hasattr(module, "_parse_response"):
            continue
        source = module.__loader__.get_source(module.__name__)  # type: ignore[union-attr]
        match = re.search(r"if response\.status_code == (2\d\d):\n\s+try:", source or "")
        if match:
            yield info.name.removeprefix("iqp_api.api."), module, int(match.group(1))


OPERATIONS = sorted(_operations(), key=lambda item: item[0])


def _client(handler: Any = None) -> IQPClient:
    transport = httpx.MockTransport(handler or _refuse)
    return connect(API_KEY, service_crn=CRN, transport=transport)


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected: {request.method} {request.url}")


def test_every_json_operation_is_covered() -> None:
    names = {name for name, _, _ in OPERATIONS}
    # One per family at least: a regression in the template would drop them all.
    for expected in (
        "jobs.create_job",
        "jobs.get_job",
        "jobs.list_jobs",
        "sessions.create_session",
        "backends.list_backends",
        "instances.get_instance",
        "versions.get_versions",
    ):
        assert expected in names
    assert len(OPERATIONS) >= 20


@pytest.mark.parametrize(
    "body_name",
    [
        pytest.param(name, marks=[pytest.mark.deep_recursion] if name == "too_deep" else [])
        for name in sorted(BROKEN_BODIES)
    ],
)
@pytest.mark.parametrize(("name", "module", "status"), OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_broken_success_body_is_unexpected_response(
    name: str, module: ModuleType, status: int, body_name: str
) -> None:
    content = BROKEN_BODIES[body_name]
    response = httpx.Response(status, content=content, headers={"content-type": "application/json"})
    with pytest.raises(UnexpectedResponseError) as caught:
        module._parse_response(client=_client(), response=response)
    assert caught.value.status_code == status
    assert caught.value.content == content


@pytest.mark.parametrize(("name", "module", "status"), OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_plain_generated_client_raises_its_own_error(name: str, module: ModuleType, status: int) -> None:
    response = httpx.Response(status, content=b"not json")
    with pytest.raises(generated_errors.UnparseableResponse) as caught:
        module._parse_response(client=Client(base_url="http://127.0.0.1"), response=response)
    assert caught.value.content == b"not json"
    assert "JSONDecodeError" in caught.value.reason


# Shapes that are JSON but not the schema: each a bare KeyError/TypeError/None before.
WRONG_JOBS = {
    "missing_backend": {"id": "job-1"},
    "null_id": {"id": None, "backend": "ibm_fez"},
    "id_number": {"id": 17, "backend": "ibm_fez"},
    "list": [],
    "string": "ok",
}


@pytest.mark.parametrize("shape", sorted(WRONG_JOBS))
def test_create_job_wrong_shape(shape: str) -> None:
    content = json.dumps(WRONG_JOBS[shape]).encode()
    client = _client(lambda request: _iam_or(request, httpx.Response(200, content=content)))
    body = JobRunParams(program_id="sampler", backend="ibm_fez")
    with pytest.raises(UnexpectedResponseError) as caught:
        create_job.sync_detailed(client=client, body=body)
    assert caught.value.content == content
    assert caught.value.status_code == 200


async def test_async_get_job_null_id() -> None:
    content = json.dumps({"id": None, "backend": "ibm_fez", "status": "Queued"}).encode()
    client = _client(lambda request: _iam_or(request, httpx.Response(200, content=content)))
    with pytest.raises(UnexpectedResponseError) as caught:
        await get_job.asyncio_detailed("job-1", client=client)
    assert caught.value.content == content


async def test_async_list_jobs_and_session_not_json() -> None:
    client = _client(lambda request: _iam_or(request, httpx.Response(200, content=b"{")))
    with pytest.raises(UnexpectedResponseError):
        await list_jobs.asyncio_detailed(client=client)
    with pytest.raises(UnexpectedResponseError):
        await create_session.asyncio_detailed(
            client=client, body=CreateSessionRequestCloud.from_dict({"mode": "batch"})
        )


def _iam_or(request: httpx.Request, api_answer: httpx.Response) -> httpx.Response:
    if request.url.path == "/identity/token":
        return httpx.Response(
            200, json={"access_token": "test-token-not-real", "expires_in": 3600, "token_type": "Bearer"}
        )
    return api_answer
