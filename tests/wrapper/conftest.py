"""Fixtures for the iqp_wrapper tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper import IAMAuth
from iqp_wrapper.transport.retry import NO_RETRIES

from .fakes import API_KEY, API_URL, IAM_TOKEN_URL, IAM_URL, FakeClock, IAMStub


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def iam_stub(httpx_mock: Any) -> IAMStub:
    stub = IAMStub()
    httpx_mock.add_callback(stub, method="POST", url=IAM_TOKEN_URL, is_reusable=True, is_optional=True)
    return stub


@pytest.fixture
def auth(clock: FakeClock) -> IAMAuth:
    # No IAM retries: these tests see each IAM answer; test_iam_retries.py covers retries.
    return IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, clock=clock, retries=NO_RETRIES)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads the developer's IQP_* variables, proxies or ~/.qiskit."""
    for name in (
        "IQP_API_TOKEN",
        "IQP_SERVICE_CRN",
        "IQP_API_VERSION",
        "IQP_URL",
        "IQP_IAM_URL",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    yield
