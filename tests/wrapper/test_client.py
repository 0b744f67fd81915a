"""connect(): the generated client, wired with headers, IAM auth and retries, sync and async."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from iqp_api.api.jobs import create_job, delete_job
from iqp_api.api.versions import get_versions
from iqp_api.client import AuthenticatedClient
from iqp_api.models.job_run_params import JobRunParams
from iqp_wrapper import (
    APITimeoutError,
    AuthenticationError,
    IQPClient,
    NotFoundError,
    RetryPolicy,
    ServerError,
    __version__,
    build_client,
    connect,
    resolve_settings,
    unwrap,
)

from .fakes import API_KEY, API_URL, CRN, CRN_EU, IAM_TOKEN_URL, OTHER_HOST_URL, FakeClock, IAMStub, token

JOBS_URL = f"{API_URL}/v1/jobs"
JOB = {"id": "test-job-1", "backend": "test_backend"}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IQP_API_TOKEN", API_KEY)
    monkeypatch.setenv("IQP_SERVICE_CRN", CRN)


class Recorder:
    """Answers with ``responses`` in turn (the last repeats), recording each attempt's headers."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = responses
        self.headers: list[dict[str, str]] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.headers.append(dict(request.headers))
        self.bodies.append(request.content)
        return self.responses[min(len(self.headers), len(self.responses)) - 1]


def params() -> JobRunParams:
    return JobRunParams(program_id="sampler", backend="test_backend")


def test_connect_returns_the_generated_client_type(env: None) -> None:
    client = connect()
    assert isinstance(client, IQPClient) and isinstance(client, AuthenticatedClient)
    assert client.settings is not None and client.settings.service_crn == CRN


def test_every_api_call_carries_the_four_headers(env: None, httpx_mock: Any, iam_stub: IAMStub) -> None:
    api = Recorder(httpx.Response(200, json=JOB))
    httpx_mock.add_callback(api, url=JOBS_URL, method="POST")
    with connect() as client:
        job = unwrap(create_job.sync_detailed(client=client, body=params()))
    assert job.id == "test-job-1"
    (headers,) = api.headers
    assert headers["authorization"] == f"Bearer {token(1)}"
    assert headers["service-crn"] == CRN
    assert headers["ibm-api-version"] == "2026-04-15"
    assert headers["user-agent"].startswith(f"iqp-wrapper/{__version__} ")
    (iam_request,) = iam_stub.requests
    assert not {"authorization", "service-crn", "ibm-api-version"} & set(iam_request.headers)


async def test_async_calls_carry_the_four_headers(env: None, httpx_mock: Any, iam_stub: IAMStub) -> None:
    api = Recorder(httpx.Response(200, json=JOB))
    httpx_mock.add_callback(api, url=JOBS_URL, method="POST")
    async with connect(api_version="2026-03-15") as client:
        job = unwrap(await create_job.asyncio_detailed(client=client, body=params()))
    assert job.id == "test-job-1"
    (headers,) = api.headers
    assert headers["authorization"] == f"Bearer {token(1)}"
    assert headers["service-crn"] == CRN
    assert headers["ibm-api-version"] == "2026-03-15"
    assert headers["user-agent"].startswith("iqp-wrapper/")


def test_one_client_serves_sync_and_async(env: None, httpx_mock: Any, iam_stub: IAMStub) -> None:
    httpx_mock.add_response(url=f"{API_URL}/v1/versions", json={"versions": []}, is_reusable=True)
    client = connect()
    with client:
        unwrap(get_versions.sync_detailed(client=client))

    async def use_async() -> None:
        async with client:
            unwrap(await get_versions.asyncio_detailed(client=client))

    asyncio.run(use_async())
    assert iam_stub.calls == 1  # the token is shared by the sync and async sides


def test_the_region_decides_the_host(
    monkeypatch: pytest.MonkeyPatch, httpx_mock: Any, iam_stub: IAMStub
) -> None:
    httpx_mock.add_response(url="https://eu-de.quantum.cloud.ibm.com/api/v1/jobs/test-job-1", status_code=204)
    with connect(API_KEY, service_crn=CRN_EU) as client:
        assert unwrap(delete_job.sync_detailed("test-job-1", client=client)) is None
    request = httpx_mock.get_request(url="https://eu-de.quantum.cloud.ibm.com/api/v1/jobs/test-job-1")
    assert request.headers["authorization"] == f"Bearer {token(1)}"


def test_other_hosts_get_no_api_headers_through_the_client(env: None, httpx_mock: Any) -> None:
    storage = Recorder(httpx.Response(200, content=b"{}"))
    httpx_mock.add_callback(storage, url=OTHER_HOST_URL)
    with connect() as client:
        client.get_httpx_client().get(OTHER_HOST_URL)
    (headers,) = storage.headers
    assert not {"authorization", "service-crn", "ibm-api-version"} & set(headers)
    assert [r.url.host for r in httpx_mock.get_requests()] == ["storage.example.test"]  # no IAM call


def test_unwrap_raises_the_api_error(env: None, httpx_mock: Any, iam_stub: IAMStub) -> None:
    httpx_mock.add_response(
        url=f"{JOBS_URL}/test-job-1",
        method="DELETE",
        status_code=404,
        json={"errors": [{"code": "1216", "message": "Job not found"}], "trace": "test-trace"},
    )
    with connect() as client, pytest.raises(NotFoundError) as caught:
        unwrap(delete_job.sync_detailed("test-job-1", client=client))
    assert caught.value.trace == "test-trace"


def test_a_second_401_raises_authentication_error_from_a_generated_call(
    env: None, httpx_mock: Any, iam_stub: IAMStub
) -> None:
    api = Recorder(httpx.Response(401, json={"errors": [{"code": "1201", "message": "nope"}], "trace": "t"}))
    httpx_mock.add_callback(api, url=JOBS_URL, is_reusable=True)
    with connect() as client, pytest.raises(AuthenticationError):
        create_job.sync_detailed(client=client, body=params())
    assert iam_stub.calls == 2
    assert [h["authorization"] for h in api.headers] == [f"Bearer {token(1)}", f"Bearer {token(2)}"]
    assert api.bodies[0] == api.bodies[1] and json.loads(api.bodies[0])["program_id"] == "sampler"


def test_a_job_is_never_submitted_twice(env: None, httpx_mock: Any, iam_stub: IAMStub) -> None:
    api = Recorder(httpx.Response(503, json={"errors": [{"message": "busy"}]}))
    httpx_mock.add_callback(api, url=JOBS_URL, is_reusable=True)
    with connect() as client, pytest.raises(ServerError):
        unwrap(create_job.sync_detailed(client=client, body=params()))
    assert len(api.headers) == 1


def test_a_job_is_not_resubmitted_after_a_read_timeout(env: None, httpx_mock: Any, iam_stub: IAMStub) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("read timed out"), url=JOBS_URL)
    with connect() as client, pytest.raises(APITimeoutError) as caught:
        create_job.sync_detailed(client=client, body=params())
    assert caught.value.may_have_reached_server is True
    assert len([r for r in httpx_mock.get_requests() if r.url.path == "/api/v1/jobs"]) == 1


def test_retries_are_wired_and_can_be_switched_off(env: None, httpx_mock: Any, iam_stub: IAMStub) -> None:
    versions = Recorder(httpx.Response(503), httpx.Response(200, json={"versions": []}))
    httpx_mock.add_callback(versions, url=f"{API_URL}/v1/versions", is_reusable=True)
    # Zero waits: the policy is exercised without the test sleeping.
    with connect(retries=RetryPolicy(backoff=0.0)) as client:
        unwrap(get_versions.sync_detailed(client=client))
    assert len(versions.headers) == 2
    again = Recorder(httpx.Response(503), httpx.Response(200, json={"versions": []}))
    httpx_mock.add_callback(again, url=f"{API_URL}/v1/versions", is_reusable=True)
    with connect(retries=False) as client, pytest.raises(ServerError):
        unwrap(get_versions.sync_detailed(client=client))
    assert len(again.headers) == 1


def test_verify_proxies_and_timeouts_reach_iam_and_the_api(
    env: None, httpx_mock: Any, iam_stub: IAMStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[dict[str, Any]] = []
    real_init = httpx.HTTPTransport.__init__

    def recording_init(self: httpx.HTTPTransport, *args: Any, **kwargs: Any) -> None:
        built.append(kwargs)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(httpx.HTTPTransport, "__init__", recording_init)
    api = Recorder(httpx.Response(200, json={"versions": []}))
    httpx_mock.add_callback(api, url=f"{API_URL}/v1/versions")
    with connect(verify=False, proxies="http://proxy.example.test:3128", timeout=7.5) as client:
        unwrap(get_versions.sync_detailed(client=client))

    assert len(built) == 2  # one for the API (at connect), one for the IAM exchange
    for kwargs in built:
        assert kwargs["verify"] is False
        assert kwargs["proxy"] == "http://proxy.example.test:3128"
    (iam_request,) = iam_stub.requests
    api_request = httpx_mock.get_request(url=f"{API_URL}/v1/versions")
    # Each shrunk to what was left of the call's 7.5 s deadline when it was sent.
    expected = pytest.approx({"connect": 7.5, "read": 7.5, "write": 7.5, "pool": 7.5}, abs=0.5)
    assert iam_request.extensions["timeout"] == expected
    assert api_request.extensions["timeout"] == expected


def test_reprs_show_no_secret(env: None, httpx_mock: Any, iam_stub: IAMStub) -> None:
    httpx_mock.add_response(url=f"{API_URL}/v1/versions", json={"versions": []})
    with connect() as client:
        unwrap(get_versions.sync_detailed(client=client))  # a token is now cached
        text = repr(client) + str(client)
    assert API_KEY not in text and token(1) not in text
    assert "api_key='***'" in text


def test_build_client_takes_an_injected_clock(httpx_mock: Any) -> None:
    clock = FakeClock()
    iam = IAMStub(expires_in=100)
    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)
    httpx_mock.add_response(url=f"{API_URL}/v1/versions", json={"versions": []}, is_reusable=True)
    settings = resolve_settings(API_KEY, service_crn=CRN, environ={})
    with build_client(settings, refresh_fraction=0.5, clock=clock) as client:
        get_versions.sync_detailed(client=client)
        clock.advance(51)
        get_versions.sync_detailed(client=client)
    assert iam.calls == 2


def test_saved_account_users_need_no_setup(tmp_path: Path, httpx_mock: Any, iam_stub: IAMStub) -> None:
    qiskit = tmp_path / "home" / ".qiskit"
    qiskit.mkdir(parents=True)
    (qiskit / "qiskit-ibm.json").write_text(
        json.dumps(
            {
                "default-ibm-quantum-platform": {
                    "channel": "ibm_quantum_platform",
                    "token": API_KEY,
                    "instance": CRN,
                    "url": "https://cloud.ibm.com",
                    "verify": True,
                    "private_endpoint": False,
                }
            }
        )
    )
    httpx_mock.add_response(url=f"{API_URL}/v1/versions", json={"versions": []})
    with connect() as client:
        unwrap(get_versions.sync_detailed(client=client))
    assert iam_stub.calls == 1


def test_with_headers_keeps_the_wiring(env: None, httpx_mock: Any, iam_stub: IAMStub) -> None:
    api = Recorder(httpx.Response(200, json={"versions": []}))
    httpx_mock.add_callback(api, url=f"{API_URL}/v1/versions")
    with connect().with_headers({"X-Request-Tag": "test"}) as client:
        assert isinstance(client, IQPClient) and client.settings is not None
        unwrap(get_versions.sync_detailed(client=client))
    (headers,) = api.headers
    assert headers["x-request-tag"] == "test"
    assert headers["authorization"] == f"Bearer {token(1)}"
    assert headers["service-crn"] == CRN
