"""``iqp run sampler|estimator`` and the decoded ``iqp jobs results``, against the fake on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from iqp_wrapper.cli import exits
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeServer, FakeService, ManualClock
from tests.cli.conftest import Cli

BELL = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nh $0;\ncx $0, $1;\nmeas = measure $0:1;\n'


@pytest.fixture
def cli(
    iqp_fake: FakeService,
    iqp_server: FakeServer,
    iqp_clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Cli:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    environ = {
        "IQP_API_TOKEN": DEFAULT_API_KEY,
        "IQP_SERVICE_CRN": iqp_fake.crn,
        "IQP_URL": iqp_server.url,
        "IQP_IAM_URL": iqp_server.iam_url,
    }
    return Cli(environ, iqp_clock)


@pytest.fixture
def bell(tmp_path: Path) -> str:
    path = tmp_path / "bell.qasm"
    path.write_text(BELL)
    return str(path)


def test_run_sampler_prints_a_histogram(cli: Cli, bell: str) -> None:
    ran = cli("run", "sampler", bell, "--shots", "200", "--backend", "fake_eagle")
    assert ran.code == exits.OK, ran.err
    assert "Sampler job" in ran.out and "on fake_eagle" in ran.out
    assert "PUB 0 register meas: 200 shots of 2 bits" in ran.out
    assert "#" in ran.out


def test_run_sampler_json_counts_add_up(cli: Cli, bell: str) -> None:
    data = cli("run", "sampler", bell, "--shots", "64", "--json").json()
    counts = data["results"][0]["meas"]["counts"]
    assert sum(counts.values()) == 64 and all(len(k) == 2 for k in counts)


def test_run_estimator_prints_evs_and_stds(cli: Cli, bell: str) -> None:
    ran = cli("run", "estimator", bell, "--observable", "ZZ", "--observable", "XX")
    assert ran.code == exits.OK, ran.err
    assert "evs" in ran.out and "stds" in ran.out
    data = cli("run", "estimator", bell, "--observable", "ZZ", "--json").json()
    assert isinstance(data["results"][0]["evs"], float)


def test_bad_observable_is_a_clear_error_before_any_job(cli: Cli, bell: str, iqp_fake: FakeService) -> None:
    ran = cli("run", "estimator", bell, "--observable", "ZQ")
    assert ran.code != exits.OK
    assert "not a Pauli string" in ran.err
    assert "Traceback" not in ran.err


def test_missing_circuit_file(cli: Cli, tmp_path: Path) -> None:
    ran = cli("run", "sampler", str(tmp_path / "nope.qasm"))
    assert ran.code != exits.OK and "cannot read the circuit file" in ran.err


def test_jobs_results_are_decoded(cli: Cli, bell: str) -> None:
    job_id = cli("run", "sampler", bell, "--shots", "30", "--json").json()["job_id"]
    ran = cli("jobs", "results", job_id)
    assert "PUB 0 register meas: 30 shots of 2 bits" in ran.out


RY = (
    'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] theta;\nbit[2] meas;\nry(theta) $0;\n'
    "cx $0, $1;\nmeas[0] = measure $0;\nmeas[1] = measure $1;\n"
)


@pytest.fixture
def ry(tmp_path: Path) -> str:
    path = tmp_path / "ry.qasm"
    path.write_text(RY)
    return str(path)


def test_run_takes_parameter_values_as_the_pub_tuple_does(cli: Cli, ry: str, iqp_fake: FakeService) -> None:
    sampled = cli(
        "run", "sampler", ry, "--parameter-values", '{"theta": [0.1, 0.2, 0.3]}', "--shots", "8", "--json"
    )
    assert sampled.json()["results"][0]["meas"]["shape"] == [3]
    estimated = cli(
        "run",
        "estimator",
        ry,
        "--observable",
        "ZZ",
        "--observable",
        "XX",
        "--parameter-values",
        "[[0.5]]",
        "--json",
    )
    assert estimated.json()["results"][0]["shape"] == [2]
    assert iqp_fake.calls("create_job") == 2


def test_run_parameter_value_mistakes_are_clear_before_any_job(
    cli: Cli, ry: str, iqp_fake: FakeService
) -> None:
    missing = cli("run", "sampler", ry)
    assert missing.code != exits.OK and "give parameter_values for them" in missing.err
    wrong_name = cli("run", "estimator", ry, "--observable", "ZZ", "--parameter-values", '{"phi": 1}')
    assert wrong_name.code != exits.OK and "missing ['theta'], unknown ['phi']" in wrong_name.err
    not_json = cli("run", "sampler", ry, "--parameter-values", "{theta: 1}")
    assert not_json.code != exits.OK and "--parameter-values is not JSON" in not_json.err
    assert all("Traceback" not in ran.err for ran in (missing, wrong_name, not_json))
    assert iqp_fake.calls("create_job") == 0 and iqp_fake.calls("list_backends") == 0
