"""The generated client against the fake: every answer parses into the declared model.

Runs a job's whole life through ``iqp_api`` with an ``AuthenticatedClient`` whose httpx
clients use the fake's transports (in process) or its URL (over HTTP), sync and async.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from iqp_api.api.backends import (
    get_backend_configuration,
    get_backend_defaults,
    get_backend_properties,
    get_backend_status,
    list_backends,
)
from iqp_api.api.instances import get_instance, get_instance_usage
from iqp_api.api.jobs import (
    cancel_job,
    create_job,
    delete_job,
    get_job,
    get_job_logs,
    get_job_metrics,
    get_job_results,
    list_jobs,
    replace_job_tags,
)
from iqp_api.api.sessions import close_session, create_session, get_session, update_session
from iqp_api.api.tags import list_tags
from iqp_api.api.versions import get_versions
from iqp_api.client import AuthenticatedClient
from iqp_api.models import (
    BackendConfigurationResponse,
    BackendDefaultsResponse,
    BackendPropertiesResponse,
    BackendsResponse,
    BackendStatusResponse,
    CreateSessionRequestCloud,
    ErrorContainer,
    ExecutorV02QuantumProgramResultModel,
    GetUsageResponse,
    Instance,
    JobCreateResponse,
    JobMetricsResponse,
    JobResponseV3,
    JobResultsType4Type0,
    JobRunParams,
    JobSession,
    JobsResponse,
    ListTagsResponse,
    ListTagsType,
    ReplaceJobTagsBody,
    SessionState,
    UpdateSessionRequest,
    VersionResponse,
)
from iqp_wrapper.testing.fake import FakeService, ManualClock

MODES = ("inproc-sync", "inproc-async", "http-sync", "http-async")


class Driver:
    """Calls a generated operation with ``sync_detailed`` or ``asyncio_detailed``."""

    def __init__(self, client: AuthenticatedClient, is_async: bool) -> None:
        self.client = client
        self.is_async = is_async

    async def __call__(self, operation: Any, *args: Any, **kwargs: Any) -> Any:
        if self.is_async:
            return await operation.asyncio_detailed(*args, client=self.client, **kwargs)
        return operation.sync_detailed(*args, client=self.client, **kwargs)


@pytest.fixture(params=MODES)
async def run(request: pytest.FixtureRequest, service: FakeService) -> AsyncIterator[Driver]:
    mode: str = request.param
    server = service.serve() if mode.startswith("http") else None
    httpx_args: dict[str, Any] = {}
    if server is None:
        transport = service.transport()
        httpx_args["transport"] = transport
    client = AuthenticatedClient(
        base_url=server.url if server else service.url,
        token=service.issue_token(),
        headers={"Service-CRN": service.crn, "IBM-API-Version": service.live_version},
        timeout=httpx.Timeout(5.0),
        httpx_args=httpx_args,
    )
    try:
        yield Driver(client, mode.endswith("async"))
    finally:
        if mode.endswith("async"):
            await client.get_async_httpx_client().aclose()
        else:
            client.get_httpx_client().close()
        if server is not None:
            server.stop()


async def test_backends_instance_and_versions(run: Driver) -> None:
    assert isinstance((await run(get_versions)).parsed, VersionResponse)
    backends = (await run(list_backends)).parsed
    assert isinstance(backends, BackendsResponse)
    assert [device.name for device in backends.devices] == ["fake_heron", "fake_eagle", "fake_falcon"]
    assert isinstance((await run(get_backend_status, "fake_heron")).parsed, BackendStatusResponse)
    properties = (await run(get_backend_properties, "fake_heron")).parsed
    assert isinstance(properties, BackendPropertiesResponse) and len(properties.qubits) == 133
    configuration = (await run(get_backend_configuration, "fake_heron")).parsed
    assert isinstance(configuration, BackendConfigurationResponse) and configuration.n_qubits == 133
    assert isinstance((await run(get_backend_defaults, "fake_heron")).parsed, BackendDefaultsResponse)
    assert isinstance((await run(get_instance)).parsed, Instance)
    assert isinstance((await run(get_instance_usage)).parsed, GetUsageResponse)


async def test_a_job_from_submission_to_deletion(run: Driver, clock: ManualClock) -> None:
    body = JobRunParams.from_dict({"program_id": "executor", "backend": "fake_heron", "tags": ["gen"]})
    created = (await run(create_job, body=body)).parsed
    assert isinstance(created, JobCreateResponse)
    job = (await run(get_job, created.id)).parsed
    assert isinstance(job, JobResponseV3)
    assert job.status.value == "Queued"
    assert (await run(get_job_results, created.id)).status_code == 204
    clock.advance(5)
    done = (await run(get_job, created.id)).parsed
    assert isinstance(done, JobResponseV3) and done.status.value == "Completed"
    result = (await run(get_job_results, created.id)).parsed
    assert isinstance(result, ExecutorV02QuantumProgramResultModel)
    assert isinstance((await run(get_job_metrics, created.id)).parsed, JobMetricsResponse)
    logs = (await run(get_job_logs, created.id)).parsed
    assert isinstance(logs, str) and "completed" in logs
    tags = ReplaceJobTagsBody.from_dict({"tags": ["renamed"]})
    assert (await run(replace_job_tags, created.id, body=tags)).status_code == 204
    found = (await run(list_tags, type_=ListTagsType.JOB, search="renam")).parsed
    assert isinstance(found, ListTagsResponse) and found.tags == ["renamed"]
    listed = (await run(list_jobs, limit=1, tags=["renamed"])).parsed
    assert isinstance(listed, JobsResponse) and listed.count == 1
    cancel = await run(cancel_job, created.id)
    assert cancel.status_code == 409 and isinstance(cancel.parsed, ErrorContainer)
    assert (await run(delete_job, created.id)).status_code == 204
    assert isinstance((await run(get_job, created.id)).parsed, ErrorContainer)


async def test_a_sampler_result_parses_as_a_json_object(run: Driver, clock: ManualClock) -> None:
    qasm = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[3] c;\nc = measure $[0:2];\n'
    body = {
        "program_id": "sampler",
        "backend": "fake_eagle",
        "params": {"pubs": [[qasm, [], 100]], "version": 2},
    }
    created = (await run(create_job, body=JobRunParams.from_dict(body))).parsed
    assert isinstance(created, JobCreateResponse)
    clock.advance(5)
    result = (await run(get_job_results, created.id)).parsed
    assert isinstance(result, JobResultsType4Type0)
    data = result.to_dict()["results"][0]["data"]
    assert list(data) == ["c"] and data["c"]["num_bits"] == 3 and len(data["c"]["samples"]) == 100


async def test_a_session(run: Driver) -> None:
    body = CreateSessionRequestCloud.from_dict({"mode": "batch", "backend": "fake_heron"})
    session = (await run(create_session, body=body)).parsed
    assert isinstance(session, JobSession) and session.backend_name == "fake_heron"
    update = UpdateSessionRequest.from_dict({"accepting_jobs": False})
    assert (await run(update_session, session.id, body=update)).status_code == 204
    assert (await run(close_session, session.id)).status_code == 204
    closed = (await run(get_session, session.id)).parsed
    assert isinstance(closed, JobSession) and isinstance(closed.state, SessionState)
    assert closed.state.value == "closed"
