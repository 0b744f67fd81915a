"""The client says, once, when the API version it sends is deprecated, sunset or unknown."""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Mapping

import httpx
import pytest

from iqp_wrapper.testing import FakeService
from iqp_wrapper.testing.connect import connect_fake
from iqp_wrapper.transport.api_versions import APIVersionWarning, VersionWatch, VersionWatchTransport
from iqp_wrapper.transport.retry import NO_RETRIES


def _caught(run: object) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run()  # type: ignore[operator]
    return [str(w.message) for w in caught if issubclass(w.category, APIVersionWarning)]


def test_a_deprecated_version_warns_once_from_answer_headers(iqp_fake: FakeService) -> None:
    client = connect_fake(iqp_fake, api_version="2026-03-15")  # deprecated in the fake's table

    def calls() -> None:
        for _ in range(3):
            client.backends.list()

    said = _caught(calls)
    assert len(said) == 1
    assert "(2026-03-15) is deprecated, sunset " in said[0]
    assert "connect(api_version=...)" in said[0]


def test_the_live_version_never_warns(iqp_fake: FakeService) -> None:
    client = connect_fake(iqp_fake)
    assert _caught(lambda: (client.backends.list(), client.versions.get())) == []


@pytest.mark.asyncio
async def test_async_clients_warn_too(iqp_fake: FakeService) -> None:
    from iqp_wrapper.client import AsyncIQPClient

    client = AsyncIQPClient.like(connect_fake(iqp_fake, api_version="2025-01-01"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await client.backends.list()
        await client.backends.list()
    said = [str(w.message) for w in caught if issubclass(w.category, APIVersionWarning)]
    assert len(said) == 1 and "(2025-01-01) is deprecated" in said[0]


def _versions_answer(body: Mapping[str, object]) -> tuple[httpx.Request, httpx.Response]:
    request = httpx.Request("GET", "https://quantum.cloud.ibm.com/api/v1/versions")
    return request, httpx.Response(200, json=body, request=request)


NEWEST = "the newest live version is 2026-06-01"
LISTED = {
    "versions": [
        {"version": "2026-02-01", "status": "deprecated", "sunset_date": "2027-04-01"},
        {"version": "2026-04-15", "status": "live"},
        {"version": "2026-06-01", "status": "live"},
    ]
}


@pytest.mark.parametrize(
    ("sent", "today", "expected"),
    [
        (
            "2026-02-01",
            "2026-12-03",
            "(2026-02-01) is deprecated, sunset 2027-04-01; the newest live version is 2026-06-01",
        ),
        (
            "2026-02-01",
            "2027-04-01",
            "(2026-02-01) is past its sunset (2027-04-01); the newest live version is 2026-06-01",
        ),
        (
            "2025-01-01",
            "2026-12-03",
            "does not list the API version this client sends (2025-01-01); the newest live",
        ),
        ("2026-04-15", "2026-12-03", None),  # live, if not the newest: no warning
        ("2026-06-01", "2026-12-03", None),
    ],
)
def test_the_versions_list_decides(sent: str, today: str, expected: str | None) -> None:
    watch = VersionWatch(sent, today=lambda: datetime.date.fromisoformat(today))
    said = _caught(lambda: watch.observe(*_versions_answer(LISTED)))
    if expected is None:
        assert said == [] and watch.warned is None
    else:
        assert len(said) == 1 and expected in said[0]


@pytest.mark.parametrize(
    "headers",
    [
        {"Deprecation": "@1767225600"},
        {"Sunset": "Wed, 01 Sep 2027 00:00:00 GMT"},
        {"IBM-API-Version-Status": "Deprecated"},
    ],
)
def test_standard_deprecation_headers_are_heeded(headers: dict[str, str]) -> None:
    watch = VersionWatch("2026-04-15")
    request = httpx.Request("GET", "https://quantum.cloud.ibm.com/api/v1/jobs")
    said = _caught(lambda: watch.observe(request, httpx.Response(200, headers=headers, request=request)))
    assert len(said) == 1 and "(2026-04-15) is deprecated" in said[0]


def test_an_unreadable_versions_answer_is_left_to_the_caller() -> None:
    watch = VersionWatch("2026-04-15")
    request = httpx.Request("GET", "https://quantum.cloud.ibm.com/api/v1/versions")
    assert (
        _caught(lambda: watch.observe(request, httpx.Response(200, content=b"<html>", request=request))) == []
    )


def test_the_transport_passes_answers_through_unchanged() -> None:
    inner = httpx.MockTransport(lambda request: httpx.Response(200, json=LISTED))
    transport = VersionWatchTransport(inner, None, policy=NO_RETRIES, watch=VersionWatch("2026-02-01"))
    with httpx.Client(transport=transport) as client, warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        answer = client.get("https://quantum.cloud.ibm.com/api/v1/versions")
    assert answer.json() == LISTED
    assert transport.watch.warned is not None
