"""Ctrl-C after a job exists: its id is never lost, and the job is cancelled only if asked.

``iqp run`` prints the job's id as soon as it exists (on stderr in --json mode, and in the
JSON it prints on an interrupt); on Ctrl-C it says how to cancel the job, or cancels it
with --cancel-on-interrupt. ``wait_for_job`` (sync and async) raises JobWaitInterrupted,
a KeyboardInterrupt that names the job. Against the fake over HTTP; the interrupt comes
from the wait's sleep, where a real Ctrl-C would most likely land.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iqp_api.api.jobs import get_job
from iqp_wrapper import IQPClient, JobWaitInterrupted, unwrap
from iqp_wrapper.cli import exits
from iqp_wrapper.jobs import async_wait_for_job, wait_for_job
from iqp_wrapper.primitives import submit_sampler
from tests.cli.conftest import Cli

BELL = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nh $0;\ncx $0, $1;\nmeas = measure $0:1;\n'


def ctrl_c(seconds: float) -> None:
    raise KeyboardInterrupt


@pytest.fixture
def bell(tmp_path: Path) -> str:
    path = tmp_path / "bell.qasm"
    path.write_text(BELL)
    return str(path)


def status_of(cli: Cli, job_id: str) -> str:
    return str(cli("jobs", "show", job_id, "--json").json()["status"])


def test_text_mode_names_the_job_and_how_to_cancel_it(cli: Cli, bell: str) -> None:
    ran = cli("run", "sampler", bell, "--backend", "fake_eagle", sleep=ctrl_c)
    assert ran.code == exits.INTERRUPTED
    job_id = re.search(r"Sampler job (\S+) on fake_eagle", ran.out).group(1)  # type: ignore[union-attr]
    assert f"iqp jobs cancel {job_id}" in ran.err
    assert status_of(cli, job_id) in ("Queued", "Running")


def test_json_mode_prints_the_id_at_once_and_in_the_json(cli: Cli, bell: str) -> None:
    ran = cli("run", "sampler", bell, "--backend", "fake_eagle", "--json", sleep=ctrl_c)
    assert ran.code == exits.INTERRUPTED
    said = ran.json()
    assert said == {"job_id": said["job_id"], "interrupted": True, "cancelled": False}
    assert f"job {said['job_id']} submitted" in ran.err


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_cancel_on_interrupt_cancels_the_job(cli: Cli, bell: str, as_json: bool) -> None:
    argv = ["run", "sampler", bell, "--backend", "fake_eagle", "--cancel-on-interrupt"]
    ran = cli(*argv, *(["--json"] if as_json else []), sleep=ctrl_c)
    assert ran.code == exits.INTERRUPTED
    job_id = ran.json()["job_id"] if as_json else re.search(r"job (\S+) was cancelled", ran.err).group(1)  # type: ignore[union-attr]
    if as_json:
        assert ran.json()["cancelled"] is True
    assert status_of(cli, job_id) == "Cancelled"


@pytest.mark.parametrize("cancel", [False, True], ids=["left-running", "cancelled"])
def test_executor_runs_are_interrupted_the_same_way(cli: Cli, bell: str, cancel: bool) -> None:
    argv = ["run", "executor", bell, "--shots", "100", "--backend", "fake_eagle", "--json"]
    ran = cli(*argv, *(["--cancel-on-interrupt"] if cancel else []), sleep=ctrl_c)
    assert ran.code == exits.INTERRUPTED
    said = ran.json()
    assert said == {"job_id": said["job_id"], "interrupted": True, "cancelled": cancel}
    assert f"job {said['job_id']} submitted" in ran.err
    expected = ("Cancelled",) if cancel else ("Queued", "Running")
    assert status_of(cli, said["job_id"]) in expected


def test_wait_for_job_interrupted_names_the_job(iqp_client: IQPClient) -> None:
    job = submit_sampler(iqp_client, "fake_eagle", [BELL])
    with pytest.raises(JobWaitInterrupted) as caught:
        wait_for_job(iqp_client, job.id, sleep=ctrl_c)
    assert isinstance(caught.value, KeyboardInterrupt)
    assert caught.value.job_id == job.id and job.id in str(caught.value)
    assert caught.value.status == "Queued"
    assert unwrap(get_job.sync_detailed(job.id, client=iqp_client)).status.value == "Queued"


async def test_async_wait_for_job_interrupted_names_the_job(iqp_client: IQPClient) -> None:
    job = submit_sampler(iqp_client, "fake_eagle", [BELL])

    async def ctrl_c_async(seconds: float) -> None:
        raise KeyboardInterrupt

    with pytest.raises(JobWaitInterrupted) as caught:
        await async_wait_for_job(iqp_client, job.id, sleep=ctrl_c_async)
    assert caught.value.job_id == job.id
