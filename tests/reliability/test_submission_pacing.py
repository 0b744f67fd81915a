"""429 on job submission: one owner (the pacer), every wait bounded, reported and logged,
and the slots shared by the processes of one user. Raw-socket server, sync and async."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper import IQPClient, RateLimitError, RetryPolicy, connect
from iqp_wrapper.primitives import Pacer, SubmitWait, async_submit_sampler, submit_sampler
from iqp_wrapper.primitives.pacing import pacer_for

from .rawserver import API_KEY, RawServer, respond

pytestmark = pytest.mark.reliability

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/raw0account:raw0instance::"
JOBS = "/api/v1/jobs"
BELL = "OPENQASM 3.0;\nbit[2] meas;\nmeas = measure $[0:1];\n"
POLICY = RetryPolicy(max_attempts=4, max_elapsed=10.0, backoff=0.01, max_backoff=0.05, max_retry_after=5.0)


@pytest.fixture
def raw() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server


def make(raw: RawServer, timeout: float = 3.0) -> IQPClient:
    return connect(
        API_KEY,
        service_crn=CRN,
        url=raw.api_url,
        iam_url=raw.iam_url,
        trust_env=False,
        timeout=timeout,
        retries=POLICY,
    )


class Sleeps:
    """A pacer whose sleeps are recorded, not slept."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        if seconds > 3600:
            raise AssertionError(f"asked to sleep {seconds}s")
        self.slept.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def pacer(self) -> Pacer:
        return Pacer(sleep=self.sleep, async_sleep=self.async_sleep)


def busy(retry_after: str | None) -> Any:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    return respond((429, {"errors": [{"code": "3211", "message": "too many jobs"}]}, headers))


async def submit(client: IQPClient, mode: str, sleeps: Sleeps, seen: list[SubmitWait]) -> str:
    pacer = sleeps.pacer()
    if mode == "sync":
        return submit_sampler(client, "ibm_fez", [BELL], pacer=pacer, progress=seen.append).id
    return (await async_submit_sampler(client, "ibm_fez", [BELL], pacer=pacer, progress=seen.append)).id


@pytest.mark.parametrize("value", ["1e9", "3600", "86400"], ids=["1e9", "hour", "day"])
async def test_an_absurd_retry_after_is_refused_typed_at_once(raw: RawServer, mode: str, value: str) -> None:
    client = make(raw)
    raw.script("POST", JOBS, busy(value))
    sleeps, seen = Sleeps(), list[SubmitWait]()
    started = time.monotonic()
    with pytest.raises(RateLimitError) as caught:
        await submit(client, mode, sleeps, seen)
    assert time.monotonic() - started < 2.0
    assert raw.count("POST", JOBS) == 1  # neither the generic retry nor the pacer resent it
    assert sleeps.slept == [] and seen == []
    assert caught.value.retry_after == float(value)
    assert "max_retry_after" in str(caught.value)
    assert not raw.jobs


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "soon", "-5", "0"])
async def test_unusable_retry_after_values_become_bounded_waits(
    raw: RawServer, mode: str, value: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = make(raw)
    raw.script("POST", JOBS, busy(value), busy(value))
    sleeps, seen = Sleeps(), list[SubmitWait]()
    with caplog.at_level(logging.INFO, logger="iqp_wrapper"):
        job_id = await submit(client, mode, sleeps, seen)
    assert job_id in raw.jobs
    assert raw.count("POST", JOBS) == 3  # two refusals, one success: nothing resent by retry.py
    waits = [w.seconds for w in seen if w.reason == "retry_after"]
    assert len(waits) == 2
    assert all(1.0 <= w <= POLICY.max_retry_after for w in waits), waits
    assert sleeps.slept == waits
    logged = [r.getMessage() for r in caplog.records if "Retry-After" in r.getMessage()]
    assert len(logged) == 2


async def test_a_small_retry_after_is_waited_reported_and_logged(
    raw: RawServer, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = make(raw)
    raw.script("POST", JOBS, busy("2"))
    sleeps, seen = Sleeps(), list[SubmitWait]()
    with caplog.at_level(logging.INFO, logger="iqp_wrapper"):
        await submit(client, mode, sleeps, seen)
    assert seen == [SubmitWait("retry_after", 2.0, "sampler")]
    assert raw.count("POST", JOBS) == 2
    assert any("2.0s (Retry-After)" in r.getMessage() for r in caplog.records)


async def test_a_retry_after_beyond_the_call_deadline_is_refused(raw: RawServer, mode: str) -> None:
    client = make(raw, timeout=1.0)
    raw.script("POST", JOBS, busy("3"))  # within max_retry_after (5 s), beyond the 1 s deadline
    with pytest.raises(RateLimitError) as caught:
        await submit(client, mode, Sleeps(), [])
    assert caught.value.retry_after == 3.0
    assert raw.count("POST", JOBS) == 1


async def test_rounds_of_429_end_typed(raw: RawServer, mode: str) -> None:
    client = make(raw)
    raw.script("POST", JOBS, *[busy("1") for _ in range(20)])
    sleeps, seen = Sleeps(), list[SubmitWait]()
    with pytest.raises(RateLimitError):
        await submit(client, mode, sleeps, seen)
    assert raw.count("POST", JOBS) == 6  # the pacer's six attempts, nothing more
    assert [w.seconds for w in seen if w.reason == "retry_after"] == [1.0] * 5
    assert len(seen) == len(sleeps.slept)  # the sixth was paced (5 per minute): told as well


def test_the_default_pacer_shares_slots_through_the_state_directory(raw: RawServer, tmp_path: Path) -> None:
    from iqp_wrapper.primitives.shared_slots import slots_file

    client = make(raw)
    pacer = pacer_for(client)
    assert pacer.shared is not None
    assert pacer.shared.path == slots_file(raw.api_url)
    assert str(pacer.shared.path).startswith(str(tmp_path))  # XDG_STATE_HOME, set by tests/conftest.py
    pacer.reserve()
    assert len(json.loads(pacer.shared.path.read_text())["slots"]) == 1


_RESERVE = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from iqp_wrapper.primitives import Pacer
    from iqp_wrapper.primitives.shared_slots import SharedSlots
    # One fixed wall-clock moment for both: the waits then depend on the shared slots only.
    pacer = Pacer(limit=2, window=30, shared=SharedSlots(Path(sys.argv[1])), wall_clock=lambda: 1000.0)
    while not Path(sys.argv[2]).exists():
        time.sleep(0.01)
    print(json.dumps([pacer.reserve() for _ in range(3)]))
    """
)


def test_two_processes_take_turns(tmp_path: Path) -> None:
    """Two scripts of one user, three submissions each, limit 2 per 30 s: together they
    get the waits one process alone would get for six."""
    state, go = tmp_path / "slots.json", tmp_path / "go"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _RESERVE, str(state), str(go)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    go.touch()
    waits = sorted(w for run in runs for w in json.loads(run.communicate(timeout=60)[0]))
    assert waits == [0, 0, 30, 30, 60, 60]


def test_an_unusable_state_file_paces_in_process(tmp_path: Path) -> None:
    from iqp_wrapper.primitives.shared_slots import SharedSlots

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    pacer = Pacer(limit=1, window=10, clock=lambda: 0.0, shared=SharedSlots(blocker / "slots.json"))
    assert [pacer.reserve(), pacer.reserve()] == [0, 10]
