"""``iqp run executor`` against the fake on 127.0.0.1, and its display of a v2.0 result
built by IBM's own models (qiskit/executor_v2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iqp_wrapper import IQPClient
from iqp_wrapper.cli import exits
from iqp_wrapper.cli.run import render_sampler
from iqp_wrapper.cli.run_executor import render_tensors
from iqp_wrapper.primitives import ExecutorResult
from iqp_wrapper.testing.fake import FakeService
from tests.cli.conftest import Cli

from .test_cli_run import BELL, bell, cli  # noqa: F401 - the fixtures

PARAM = (
    'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] theta;\nbit[1] c;\nry(theta) $0;\n'
    "c[0] = measure $0;\n"
)
WITNESS = Path(__file__).parent / "qiskit" / "executor_v2"


@pytest.fixture
def param(tmp_path: Path) -> str:
    path = tmp_path / "param.qasm"
    path.write_text(PARAM)
    return str(path)


def test_run_executor_prints_what_each_item_measured(cli: Cli, bell: str) -> None:  # noqa: F811
    ran = cli("run", "executor", bell, "--shots", "64", "--backend", "fake_eagle")
    assert ran.code == exits.OK, ran.err
    assert "Executor job" in ran.out and "on fake_eagle" in ran.out
    # Counts when the result holds bits; each output's dtype and shape otherwise.
    assert "PUB 0 register" in ran.out or "item 0 output" in ran.out


def test_run_executor_json_sends_the_arguments(
    cli: Cli,  # noqa: F811
    bell: str,  # noqa: F811
    param: str,
    iqp_client: IQPClient,
) -> None:
    ran = cli(
        "run",
        "executor",
        bell,
        param,
        "--shots",
        "8",
        "--arguments",
        "[]",
        "--arguments",
        '{"theta": [0, 1, 2]}',
        "--json",
    )
    assert ran.code == exits.OK, ran.err
    data = ran.json()
    assert data["schema_version"] and ("results" in data or "items" in data)
    params = iqp_client.jobs.get(data["job_id"]).to_dict()["params"]
    items = params["quantum_program"]["items"]
    assert [i["circuit_arguments"]["shape"] for i in items] == [[0], [3, 1]]
    assert params["quantum_program"]["shots"] == 8 and params["schema_version"] == "v2.0"


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--arguments", "[1"], "not JSON"),
        (["--arguments", "[]", "--arguments", "[]"], "at most one per circuit"),
        (["--arguments", "[1.0]"], "parameters"),
        (["--shots", "0"], "shots"),
    ],
)
def test_run_executor_says_what_to_fix_and_sends_nothing(
    cli: Cli,  # noqa: F811
    bell: str,  # noqa: F811
    iqp_fake: FakeService,
    extra: list[str],
    words: str,
) -> None:
    args = ["run", "executor", bell, "--backend", "fake_eagle", *extra]
    if "--shots" not in extra:
        args += ["--shots", "5"]
    ran = cli(*args)
    # ProgramError is a PubError: the CLI exits 1 for it, as for `iqp run sampler`'s.
    assert ran.code != exits.OK, (ran.out, ran.err)
    assert words in ran.err
    assert iqp_fake.calls("create_job") == 0


def test_a_v2_sampler_result_shows_as_counts() -> None:
    result = ExecutorResult.from_json((WITNESS / "sampler.json").read_text())
    expected = json.loads((WITNESS / "expected.json").read_text())["sampler"]["sampler"]
    shown = render_sampler(result.sampler_result())
    assert "PUB 1 register meas: 30 shots of 11 bits, shape (2, 3)" in shown
    top = max(expected[0]["c2"]["counts"].items(), key=lambda kv: (kv[1], [-ord(c) for c in kv[0]]))
    assert f"  {top[0]}  {top[1]:>7}  " in shown
    assert "item 0 output f16: f16 of shape (2, 3)" in render_tensors(
        ExecutorResult.from_json((WITNESS / "every_dtype.json").read_text())
    )


@pytest.mark.parametrize("circuit", ["bell", "param"])
def test_jobs_results_shows_an_executor_result_decoded(
    cli: Cli,  # noqa: F811
    bell: str,  # noqa: F811
    param: str,
    circuit: str,
) -> None:
    path, arguments = (bell, []) if circuit == "bell" else (param, ["--arguments", '{"theta": [0, 3.14]}'])
    ran = cli("run", "executor", path, "--shots", "16", "--backend", "fake_eagle", *arguments, "--json")
    assert ran.code == exits.OK, ran.err
    submitted = ran.json()

    shown = cli("jobs", "results", submitted["job_id"])
    assert shown.code == exits.OK, shown.err
    # What `iqp run executor` printed for it, not the JSON (base64 tensors) it is sent as.
    assert '"data"' not in shown.out
    if "results" in submitted:  # every item measured bits: counts
        register, bits = next(iter(submitted["results"][0].items()))
        assert f"PUB 0 register {register}: 16 shots of {bits['num_bits']} bits" in shown.out
        for outcome, count in bits["counts"].items():
            assert f"  {outcome}  {count:>7}  " in shown.out
    else:
        assert "item 0 output" in shown.out

    raw = cli("jobs", "results", submitted["job_id"], "--json")
    assert raw.code == exits.OK, raw.err
    assert raw.json()["schema_version"] == submitted["schema_version"]
    assert isinstance(raw.json()["data"], list)
