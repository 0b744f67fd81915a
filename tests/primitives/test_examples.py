"""Every script in examples/ runs against the fake on 127.0.0.1, configured by environment
variables exactly as a user's would be."""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from pathlib import Path

import pytest

from iqp_wrapper.primitives import pacing
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeService, JobPlan
from iqp_wrapper.testing.fake.ratelimit import RateLimit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# They run the checkout's examples/, which mutmut's copy of the checkout does not have.
pytestmark = pytest.mark.repo_files
WINDOW = 2.0  # the rate-limit window, shortened from 60 s; waits of 1 s or more are reported


@pytest.fixture
def service_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeService]:
    service = FakeService(
        schedule=JobPlan(queued_seconds=0.1, running_seconds=0.2), seed=9, rate_limit=RateLimit(5, WINDOW)
    )
    monkeypatch.setattr(pacing, "JOB_SUBMISSION_WINDOW", WINDOW)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with service.serve() as server:
        monkeypatch.setenv("IQP_API_TOKEN", DEFAULT_API_KEY)
        monkeypatch.setenv("IQP_SERVICE_CRN", service.crn)
        monkeypatch.setenv("IQP_URL", server.url)
        monkeypatch.setenv("IQP_IAM_URL", server.iam_url)
        yield service


def _run(name: str, capsys: pytest.CaptureFixture[str]) -> str:
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    return capsys.readouterr().out


def test_every_example_is_tested() -> None:
    tested = {
        "sampler_bell.py",
        "estimator_sweep.py",
        "session_two_jobs.py",
        "async_concurrent.py",
        "error_handling.py",
        "executor_sampler.py",
        "pub_tuples.py",
    }
    assert {p.name for p in EXAMPLES.glob("*.py")} == tested


def test_sampler_bell(service_env: FakeService, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("sampler_bell.py", capsys)
    counts = eval(out)  # the script prints a dict of counts
    assert sum(counts.values()) == 1000 and set(counts) <= {"00", "01", "10", "11"}


def test_estimator_sweep(service_env: FakeService, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("estimator_sweep.py", capsys)
    assert "shape (2, 5)" in out
    rows = [line for line in out.splitlines() if line.startswith(("ZZ", "XX"))]
    assert len(rows) == 2 and all(len(row.split()) == 6 for row in rows)


def test_session_two_jobs(service_env: FakeService, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("session_two_jobs.py", capsys)
    lines = out.splitlines()
    assert len(lines) == 2 and all(" in session " in line for line in lines)
    totals = [sum(eval(line.split(": ", 1)[1]).values()) for line in lines]
    assert totals == [100, 200]


def test_async_concurrent(service_env: FakeService, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("async_concurrent.py", capsys)
    done = [line for line in out.splitlines() if line.startswith("job ")]
    assert len(done) == 10
    assert [int(line.split(": ")[1].split()[0]) for line in done] == [100 + i for i in range(10)]
    assert "before a submission (paced)" in out  # ten jobs, five per window: some waited


def test_error_handling(service_env: FakeService, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("error_handling.py", capsys)
    assert "PubError (observables): " in out and "do not broadcast" in out
    assert "PubError (circuit): " in out
    assert "NotFoundError 404" in out or "Error" in out.splitlines()[2]


def test_executor_sampler(service_env: FakeService, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("executor_sampler.py", capsys)
    lines = out.splitlines()
    assert lines and all(line.startswith("item ") for line in lines)
    counted = [line for line in lines if " register " in line]
    if counted:  # a fake that returns bits: the shots of every sweep point add up
        totals = {line.split()[1]: sum(eval(line.split(": ", 1)[1]).values()) for line in counted}
        assert totals == {"0": 500, "1": 1500}
    else:  # the fake's canned executor result holds no bits; its outputs are still shown
        assert all(" output " in line and " of shape (" in line for line in lines)


def test_pub_tuples(service_env: FakeService, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("pub_tuples.py", capsys)
    lines = out.splitlines()
    assert lines[0].startswith("guide circuit: 100 shots, counts {")
    assert lines[1:3] == ["theta point 0: 200 shots", "theta point 1: 200 shots"]
    assert lines[3].startswith("<ZZ> on the guide circuit: ")
    assert lines[4] == "sweep of ZZ and XX: shape (2, 3)"
    assert lines[5].startswith("PubError (pub): PUB 0: an Estimator PUB tuple is ") and "not 5" in lines[5]
