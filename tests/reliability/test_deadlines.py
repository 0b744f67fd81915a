"""Whole-call deadlines: how they are derived, and how waiters on one IAM exchange keep
their own."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from iqp_wrapper import IAMTimeoutError, RetryPolicy, connect
from iqp_wrapper.transport._deadline import budget

from .rawserver import API_KEY, RawServer, delayed, respond, stall

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/raw0account:raw0instance::"


@pytest.mark.parametrize(
    ("timeout", "seconds"),
    [
        (httpx.Timeout(1.0), 1.0),
        (httpx.Timeout(60.0, connect=10.0), 60.0),
        (httpx.Timeout(2.5, read=0.5), 2.5),
        (httpx.Timeout(None), None),
        (httpx.Timeout(5.0, read=None), None),
        ({"connect": 1.0, "read": 3.0, "write": 2.0, "pool": 1.0}, 3.0),
        (None, None),
    ],
)
def test_budget_is_the_longest_part(timeout: httpx.Timeout | None, seconds: float | None) -> None:
    assert budget(timeout) == seconds


@pytest.fixture
def raw() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server


def test_a_waiter_outlives_a_leader_cut_short_by_its_own_deadline(raw: RawServer) -> None:
    """The leader's call has 0.5 s, IAM's first answer takes 1.5 s: the leader fails at its
    deadline, and the waiter (3 s) does not inherit that failure: it leads a new exchange."""
    client = connect(
        API_KEY,
        service_crn=CRN,
        url=raw.api_url,
        iam_url=raw.iam_url,
        trust_env=False,
        timeout=10.0,
        retries=RetryPolicy(backoff=0.01),
    )
    raw.script("POST", "/identity/token", stall(1.5))
    http = client.get_httpx_client()
    outcomes: dict[str, object] = {}

    def call(name: str, timeout: float, delay: float) -> None:
        time.sleep(delay)
        started = time.monotonic()
        try:
            outcomes[name] = http.get("/v1/versions", timeout=timeout).status_code
        except Exception as exc:
            outcomes[name] = exc
        outcomes[name + "_took"] = time.monotonic() - started

    leader = threading.Thread(target=call, args=("leader", 0.5, 0.0))
    waiter = threading.Thread(target=call, args=("waiter", 3.0, 0.1))
    leader.start()
    waiter.start()
    leader.join()
    waiter.join()
    assert isinstance(outcomes["leader"], IAMTimeoutError)
    assert outcomes["leader_took"] < 1.0  # type: ignore[operator]
    assert outcomes["waiter"] == 200
    assert raw.count("POST", "/identity/token") == 2


def test_a_waiter_shares_the_outcome_of_the_retried_exchange(raw: RawServer) -> None:
    client = connect(
        API_KEY,
        service_crn=CRN,
        url=raw.api_url,
        iam_url=raw.iam_url,
        trust_env=False,
        timeout=5.0,
        retries=RetryPolicy(backoff=0.01),
    )
    raw.script("POST", "/identity/token", delayed(0.3, respond((503, {}, {}))))
    http = client.get_httpx_client()
    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(http.get("/v1/versions").status_code))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 8
    assert raw.count("POST", "/identity/token") == 2  # one exchange: a 503, then the token
