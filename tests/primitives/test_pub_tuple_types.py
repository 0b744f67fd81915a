"""PUB-like tuples type-check as users write them: ``[(qasm, "ZZ")]`` and
``[(qasm, {"theta": [0.1, 0.2]}, 1000)]`` pass pyright strict and mypy strict (no ``Any``),
through ``client.primitives``, the functions, sessions and the async client; tuples of the
wrong length are type errors before they are PubErrors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "pub_tuples.py"

# It type-checks examples/ of the checkout, which a mutation run does not copy.
pytestmark = pytest.mark.repo_files
QASM = (
    'OPENQASM 3.0;\\ninclude "stdgates.inc";\\ninput float[64] theta;\\nbit[1] c;\\n'
    "ry(theta) $0;\\nc[0] = measure $0;\\n"
)
WRITTEN_AS_USERS_DO = f"""
from iqp_wrapper import connect, async_connect
from iqp_wrapper.primitives import async_submit_sampler, open_session, submit_estimator, submit_sampler

QASM = '{QASM}'

with connect() as client:
    a = client.primitives.submit_estimator("ibm_fez", [(QASM, "ZZ")])
    b = client.primitives.submit_sampler("ibm_fez", [(QASM, {{"theta": [0.1, 0.2]}}, 1000)])
    c = submit_estimator(client, "ibm_fez", [(QASM, [["Z"], ["X"]], {{"theta": [0.1, 0.2]}}, 0.01)])
    d = submit_sampler(client, "ibm_fez", [QASM, (QASM, [[0.1]]), (QASM, None, 100)])
    with open_session(client, "ibm_fez") as session:
        e = session.run_estimator([(QASM, {{"Z": 1.0}})])
    print(a.id, b.id, c.id, d.id, e.id)


async def main() -> None:
    async with async_connect() as client:
        f = await client.primitives.submit_estimator("ibm_fez", [(QASM, "ZZ")])
        g = await async_submit_sampler(client, "ibm_fez", [(QASM, {{"theta": [0.1, 0.2]}}, 1000)])
        print(f.id, g.id)
"""
WRONG = """
from iqp_wrapper import connect

with connect() as client:
    client.primitives.submit_estimator("ibm_fez", [("OPENQASM 3.0;",)])
    client.primitives.submit_sampler("ibm_fez", [("OPENQASM 3.0;", None, 10, 4)])
"""


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    folder = tmp_path_factory.mktemp("pub-tuples")
    (folder / "written_as_users_do.py").write_text(WRITTEN_AS_USERS_DO, encoding="utf-8")
    (folder / "wrong.py").write_text(WRONG, encoding="utf-8")
    return [EXAMPLE, folder / "written_as_users_do.py"], folder / "wrong.py"


def _mypy(*paths: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mypy", "--strict", "--disallow-any-expr", "--no-incremental"]
    return subprocess.run(
        [*command, "--config-file", "/dev/null", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def _pyright(config: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.10"}), encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pyright",
            "--project",
            str(config),
            "--pythonpath",
            sys.executable,
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )


def test_mypy_strict_accepts_tuples_and_rejects_wrong_lengths(sources: tuple[list[Path], Path]) -> None:
    good, wrong = sources
    done = _mypy(*good)
    assert done.returncode == 0, done.stdout + done.stderr
    refused = _mypy(wrong)
    assert refused.stdout.count("error:") == 2 and "List item 0 has incompatible type" in refused.stdout


def test_pyright_strict_accepts_tuples_and_rejects_wrong_lengths(
    sources: tuple[list[Path], Path], tmp_path: Path
) -> None:
    good, wrong = sources
    done = _pyright(tmp_path / "pyrightconfig.json", *good)
    assert done.returncode == 0, done.stdout + done.stderr
    refused = _pyright(tmp_path / "pyrightconfig.json", wrong)
    assert "2 errors" in refused.stdout and "Tuple size mismatch" in refused.stdout
