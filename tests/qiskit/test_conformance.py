"""IBM's own client, qiskit-ibm-runtime, drives the fake over HTTP on 127.0.0.1.

The fake is started here (port 0); drive.py runs in qiskit-ibm-runtime's own virtual
environment, found through IQP_QISKIT_PYTHON (`.ci/run` creates `.venv-qiskit` with the
pinned version and sets it). Without it the test skips and says why, unless
IQP_REQUIRE_QISKIT=1, which CI sets: there a missing interpreter is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeService, JobPlan

DRIVER = Path(__file__).with_name("drive.py")
PYTHON_VARIABLE = "IQP_QISKIT_PYTHON"


def _qiskit_python() -> str:
    python = os.environ.get(PYTHON_VARIABLE, "")
    if python and Path(python).is_file():
        return python
    reason = (
        f"{PYTHON_VARIABLE} is not set to an interpreter with qiskit-ibm-runtime "
        f"(got {python!r}); `.ci/run` creates .venv-qiskit and sets it"
    )
    if os.environ.get("IQP_REQUIRE_QISKIT") == "1":
        pytest.fail(f"IQP_REQUIRE_QISKIT=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    python = _qiskit_python()
    service = FakeService(schedule=JobPlan(queued_seconds=0.2, running_seconds=0.3), rate_limit=None)
    with service.serve() as server:
        done = subprocess.run(
            [python, str(DRIVER), server.url, server.iam_url, DEFAULT_API_KEY, service.crn],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        pytest.fail(f"drive.py exited {done.returncode}: {done.stderr[-800:]}")
    loaded: dict[str, Any] = json.loads(done.stdout)
    return loaded


def seen(report: dict[str, Any], step: str) -> Any:
    outcome = report[step]
    assert outcome["ok"], f"qiskit-ibm-runtime failed at {step}: {outcome['error']}"
    return outcome["seen"]


def test_service_backends_and_least_busy(report: dict[str, Any]) -> None:
    assert seen(report, "service") == "created"
    names = seen(report, "backends")
    assert {"fake_eagle", "fake_heron"} <= set(names)
    assert seen(report, "least_busy") in names


def test_the_target_transpiles_a_bell_circuit(report: dict[str, Any]) -> None:
    transpiled = seen(report, "transpile")
    assert transpiled["num_qubits"] > 2
    assert "measure" in transpiled["ops"] and {"ecr", "cz", "cx"} & set(transpiled["ops"])


def test_sampler_counts_follow_the_bell_circuit(report: dict[str, Any]) -> None:
    sampled = seen(report, "sampler")
    assert sampled["total"] == 1000
    assert set(sampled["counts"]) == {"00", "11"}  # the transpiled Bell pair, simulated


def test_estimator_evs_are_the_bell_state_s(report: dict[str, Any]) -> None:
    estimated = seen(report, "estimator")
    assert estimated["shape"] == [2, 1]
    assert estimated["evs"] == [1.0, 1.0]  # ZZ and XX on an ideal Bell pair


def _bell_counts(outcome: dict[str, Any], shots: int) -> None:
    assert outcome["total"] == shots
    assert set(outcome["counts"]) == {"00", "11"}
    assert abs(outcome["counts"]["00"] - shots / 2) < 4 * (shots**0.5) / 2  # four standard deviations


def test_executor_sampler_gives_a_bell_pair_s_counts(report: dict[str, Any]) -> None:
    _bell_counts(seen(report, "executor_sampler"), 1000)


def test_executor_sampler_in_a_session(report: dict[str, Any]) -> None:
    outcome = seen(report, "executor_sampler_session")
    _bell_counts(outcome, 1000)
    assert outcome["session_id"] and outcome["job_session"] == outcome["session_id"]


def test_executor_sampler_in_a_batch(report: dict[str, Any]) -> None:
    outcome = seen(report, "executor_sampler_batch")
    assert outcome["batch_id"]
    for result, shots in zip(outcome["results"], (1000, 300), strict=True):
        _bell_counts(result, shots)


BELL_VALUES = [1.0, 1.0, -1.0]  # ZZ, XX, YY on an ideal Bell pair (then ZI: 0 within the shots)


def _bell_values(outcome: dict[str, Any]) -> None:
    assert outcome["shape"] == [4]
    assert outcome["evs"][:3] == pytest.approx(BELL_VALUES, abs=1e-9)
    assert abs(outcome["evs"][3]) < 0.1


def test_executor_estimator_gives_the_bell_state_s_values(report: dict[str, Any]) -> None:
    _bell_values(seen(report, "executor_estimator"))


def test_executor_estimator_in_a_session_and_a_batch(report: dict[str, Any]) -> None:
    session = seen(report, "executor_estimator_session")
    _bell_values(session)
    assert session["session_id"]
    batch = seen(report, "executor_estimator_batch")
    _bell_values(batch)
    assert batch["batch_id"]


def test_noise_learner_v3_learns_each_instruction(report: dict[str, Any]) -> None:
    learned = seen(report, "noise_learner_v3")
    assert learned["protocols"] == ["lindblad", "trex"]
    assert learned["generators"][0] == 15  # X, Y, Z on two qubits and the nine two-qubit Paulis
    assert set(learned["rates"]) == {0.0}  # an ideal device


def test_session_and_batch(report: dict[str, Any]) -> None:
    session = seen(report, "session")
    assert session["session_id"] and session["job_session"] == session["session_id"]
    assert session["total"] == 200
    batch = seen(report, "batch")
    assert batch["batch_id"] and batch["totals"] == [100, 300]


def test_jobs_listing_and_cancel(report: dict[str, Any]) -> None:
    listed = seen(report, "jobs")
    assert seen(report, "sampler")["job_id"] in listed
    cancelled = seen(report, "cancel")
    assert cancelled["status"].endswith("CANCELLED")
