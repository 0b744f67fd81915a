"""The README's client examples type-check strictly, with no ``Any`` reaching them.

Every ``python`` block of the README that calls ``connect`` or ``async_connect`` is written
to a file (a block that awaits is wrapped in a coroutine) and checked by
``mypy --strict --disallow-any-expr`` (no expression of the example may be ``Any``) and by
pyright in strict mode (no unknown types).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT

BLOCK = re.compile(r"```python\n(.*?)```", re.S)
USES_THE_CLIENT = re.compile(r"^from iqp_wrapper import .*\b(async_)?connect\b", re.M)

# They check the README's text, which mutmut's copy of the checkout does not have.
pytestmark = pytest.mark.repo_files


def client_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block for block in BLOCK.findall(readme) if USES_THE_CLIENT.search(block)]


def as_module(block: str) -> str:
    if "await " not in block and "async " not in block:
        return block
    imports = [line for line in block.splitlines() if line.startswith(("from ", "import "))]
    body = [line for line in block.splitlines() if not line.startswith(("from ", "import "))]
    return (
        "\n".join(
            [*imports, "", "", "async def example() -> None:", textwrap.indent("\n".join(body), "    ")]
        )
        + "\n"
    )


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    blocks = client_examples()
    assert len(blocks) >= 4  # sync and async, operations and helpers
    folder = tmp_path_factory.mktemp("readme-examples")
    paths = []
    for number, block in enumerate(blocks):
        path = folder / f"example_{number}.py"
        path.write_text(as_module(block), encoding="utf-8")
        paths.append(path)
    return paths


def test_the_examples_use_the_client_surface() -> None:
    for block in client_examples():
        assert "unwrap(" not in block and "sync_detailed" not in block, block


def test_mypy_strict_finds_no_any(examples: list[Path]) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--disallow-any-expr",
            "--no-incremental",
            "--config-file",
            "/dev/null",
            *map(str, examples),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_pyright_strict_finds_no_unknown(examples: list[Path], tmp_path: Path) -> None:
    config = tmp_path / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.10"}), encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pyright",
            "--project",
            str(config),
            "--pythonpath",
            sys.executable,
            *map(str, examples),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
