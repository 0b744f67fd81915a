"""No API key or bearer token in any log record (DEBUG included), repr, str or error text."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

import httpx
import pytest

from iqp_api.api.jobs import create_job
from iqp_api.api.versions import get_versions
from iqp_api.models.job_run_params import JobRunParams
from iqp_wrapper import IQPError, RetryPolicy, connect, resolve_settings, unwrap
from iqp_wrapper.credentials.qiskit_file import load_account

from .fakes import API_KEY, API_URL, CRN, IAM_TOKEN_URL, OTHER_HOST_URL, IAMStub, token, write_accounts

JOBS_URL = f"{API_URL}/v1/jobs"
SECRETS = (API_KEY, token(1), token(2), token(3))


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def error_text(error: BaseException) -> str:
    return str(error) + repr(error) + "".join(traceback.format_exception(error))


def test_nothing_secret_is_logged_shown_or_raised(
    httpx_mock: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    monkeypatch.setenv("IQP_API_TOKEN", API_KEY)
    monkeypatch.setenv("IQP_SERVICE_CRN", CRN)
    iam = IAMStub()
    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)

    def unauthorized() -> httpx.Response:
        return httpx.Response(401, json={"errors": [{"code": "1201", "message": "expired"}], "trace": "t"})

    ok = httpx.Response(200, json={"id": "job-1", "backend": "b"})
    jobs = iter([unauthorized(), ok, unauthorized(), unauthorized()])
    httpx_mock.add_callback(lambda request: next(jobs), url=JOBS_URL, is_reusable=True)
    versions = iter([httpx.Response(503), httpx.Response(200, json={"versions": []})])
    httpx_mock.add_callback(lambda request: next(versions), url=f"{API_URL}/v1/versions", is_reusable=True)
    httpx_mock.add_response(url=OTHER_HOST_URL)
    errors: list[BaseException] = []
    shown: list[str] = []

    client = connect(retries=RetryPolicy(backoff=0.0))
    with client:
        body = JobRunParams(program_id="sampler", backend="b")
        unwrap(create_job.sync_detailed(client=client, body=body))  # 401, refresh, resend
        unwrap(get_versions.sync_detailed(client=client))  # 503, retry
        client.get_httpx_client().get(OTHER_HOST_URL)
        try:  # 401 again, then 401 on the resend: AuthenticationError
            create_job.sync_detailed(client=client, body=body)
        except IQPError as exc:
            errors.append(exc)
        auth = client.get_httpx_client().auth
        transport = client.get_httpx_client()._transport
        shown += [repr(client), str(client), repr(auth), str(auth), repr(transport)]
        assert client.settings is not None
        shown += [repr(client.settings), str(client.settings), repr(client.settings.network)]

    # IAM refusing the key, and IAM out of reach.
    httpx_mock.add_response(
        url=IAM_TOKEN_URL, status_code=400, json={"errorCode": "BXNIM0415E", "errorMessage": f"no {API_KEY}"}
    )
    httpx_mock.add_exception(httpx.ConnectError("refused"), url=IAM_TOKEN_URL)
    for _ in range(2):
        with connect(retries=False) as failing:
            try:
                get_versions.sync_detailed(client=failing)
            except IQPError as exc:
                errors.append(exc)

    # Configuration errors about the key itself.
    for bad in (f'"{API_KEY}"', f" {API_KEY}", f"{API_KEY}\n"):
        try:
            resolve_settings(bad, service_crn=CRN, environ={})
        except IQPError as exc:
            errors.append(exc)

    # A saved account, shown.
    path = write_accounts(tmp_path / "accounts.json", {"a": {"token": API_KEY, "instance": CRN}})
    shown.append(repr(load_account(path, "a")))

    # The secrets were really in play: the key reached IAM and tokens reached the API.
    assert any(API_KEY in request.content.decode() for request in httpx_mock.get_requests())
    assert iam.calls == 3  # first token, refresh after the first 401, refresh after the third
    assert len(errors) == 6

    records = caplog.records
    assert any(record.levelno == logging.DEBUG for record in records)
    for record in records:
        text = record.getMessage() + repr(record.args)
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        assert not leaks(text), f"{record.name}: {record.getMessage()}"
    for error in errors:
        assert not leaks(error_text(error)), error_text(error)
    for text in shown:
        assert not leaks(text), text
