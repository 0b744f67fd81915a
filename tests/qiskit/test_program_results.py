"""The fake serves executor (v0.1, v0.2, v1.0, v1.1, v2.0) and noise-learner (v0.1-v0.3)
results shaped by what was submitted, and IBM's own models accept them.

qiskit-ibm-runtime writes each job's params (witness_programs.py params); the fake runs
them; ibm-quantum-schemas' result model of each version validates the result and
qiskit-ibm-runtime's decoder reads it (witness_programs.py validate), all in
qiskit-ibm-runtime's virtual environment (IQP_QISKIT_PYTHON; skipped without it unless
IQP_REQUIRE_QISKIT=1, as in CI).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from iqp_wrapper.testing.fake import FakeService, JobPlan, ManualClock

from .test_conformance import _qiskit_python

WITNESS = Path(__file__).with_name("witness_programs.py")
EXECUTOR_VERSIONS = ("v0.1", "v0.2", "v1.0", "v1.1", "v2.0")
PINNED = {"ibm-quantum-schemas": "0.13.20261016", "qiskit-ibm-runtime": "0.51.0"}  # as .ci/run installs


def witness(mode: str, given: str = "") -> dict[str, Any]:
    done = subprocess.run(
        [_qiskit_python(), str(WITNESS), mode],
        input=given,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded: dict[str, Any] = json.loads(done.stdout)
    return loaded


@pytest.fixture(scope="module")
def jobs() -> dict[str, Any]:
    clock = ManualClock()
    service = FakeService(clock=clock, schedule=JobPlan(0, 1), rate_limit=None, seed=3)
    client = httpx.Client(transport=service.transport(), base_url=service.url, headers=service.headers())
    served = {}
    for name, job in witness("params").items():
        created = client.post("/v1/jobs", json={**job, "backend": "fake_heron"})
        assert created.status_code == 200, (name, created.text)
        clock.advance(2)
        result = client.get(f"/v1/jobs/{created.json()['id']}/results")
        assert result.status_code == 200, (name, result.text)
        served[name] = {**job, "result": result.json()}
    return served


@pytest.fixture(scope="module")
def judged(jobs: dict[str, Any]) -> dict[str, Any]:
    return witness("validate", json.dumps(jobs))


def test_the_witnesses_are_the_pinned_versions() -> None:
    assert witness("versions") == PINNED, (
        "install the pinned witnesses into IQP_QISKIT_PYTHON's venv (.ci/run)"
    )


@pytest.mark.parametrize("version", EXECUTOR_VERSIONS)
def test_executor_results_validate_and_follow_the_circuits(
    version: str, jobs: dict[str, Any], judged: dict[str, Any]
) -> None:
    name = f"executor {version}"
    assert judged[name]["ok"], judged[name].get("error")
    assert jobs[name]["result"]["schema_version"] == version
    bell, swept = judged[name]["seen"]["items"]
    assert bell["shapes"] == {"meas": [100, 2]}
    (bell_counts,) = bell["counts"]["meas"]
    assert set(bell_counts) == {"00", "11"} and sum(bell_counts.values()) == 100
    assert swept["shapes"] == {"a": [3, 100, 1], "b": [3, 100, 1]}
    zero, half, one = swept["counts"]["a"]  # ry(0), ry(pi/2), ry(pi) measured
    assert zero == {"0": 100} and one == {"1": 100} and set(half) == {"0", "1"}
    assert swept["counts"]["b"] == [{"1": 100}] * 3


@pytest.mark.parametrize("version", ["v0.2", "v1.0", "v1.1", "v2.0"])
def test_passthrough_data_is_echoed(version: str, judged: dict[str, Any]) -> None:
    assert judged[f"executor {version}"]["seen"]["passthrough_data"] == {"post": {"note": "kept", "n": 3}}


@pytest.mark.parametrize("version", ["v1.0", "v1.1", "v2.0"])
def test_semantic_role_is_echoed(version: str, jobs: dict[str, Any], judged: dict[str, Any]) -> None:
    name = f"executor {version}"
    assert jobs[name]["result"]["semantic_role"] == jobs[name]["params"]["quantum_program"]["semantic_role"]
    assert judged[name]["seen"]["semantic_role"] == "fake-witness"


def test_v2_tensors_are_compressed_and_older_ones_are_not(jobs: dict[str, Any]) -> None:
    import base64
    import zlib

    for version in EXECUTOR_VERSIONS:
        tensor = jobs[f"executor {version}"]["result"]["data"][0]["results"]["meas"]
        raw = base64.b64decode(tensor["data"])
        assert tensor["dtype"] == "bool"
        if version == "v2.0":
            assert len(zlib.decompress(raw)) == 100 * 2 // 8
        else:
            assert len(raw) == 100 * 2 // 8


@pytest.mark.parametrize("version", ["v0.1", "v0.2", "v0.3"])
def test_noise_learner_results_validate_per_instruction(version: str, judged: dict[str, Any]) -> None:
    outcome = judged[f"noise-learner {version}"]
    assert outcome["ok"], outcome.get("error")
    assert outcome["seen"] == {"protocols": ["lindblad", "trex"], "count": 2}
