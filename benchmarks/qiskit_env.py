"""Where qiskit-ibm-runtime lives for the comparison: a virtualenv of its own, never ours.

``python benchmarks/run.py --setup-qiskit`` creates ``benchmarks/.venv-qiskit`` (ignored
by git) and installs qiskit-ibm-runtime there; ``IQP_BENCH_QISKIT_PYTHON`` may name
another interpreter that has it. The project itself never depends on it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.payloads import Payloads

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-qiskit"
ENV_PYTHON = "IQP_BENCH_QISKIT_PYTHON"
QISKIT_VERSION = "0.51.0"


def qiskit_python() -> Path | str:
    """The interpreter that has qiskit-ibm-runtime, or a sentence saying why there is none."""
    given = os.environ.get(ENV_PYTHON)
    python = Path(given) if given else VENV / "bin" / "python"
    if not python.exists():
        return "not installed (run benchmarks/run.py --setup-qiskit)"
    found = subprocess.run(
        [str(python), "-c", "import qiskit_ibm_runtime"], capture_output=True, text=True, check=False
    )
    if found.returncode != 0:
        return "does not import in its virtualenv: " + (found.stderr.strip().splitlines() or ["?"])[-1]
    return python


def setup() -> int:
    """Create the separate virtualenv and install qiskit-ibm-runtime into it."""
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    # The version the conformance suite pins (.ci/run), so both compare against one client.
    return subprocess.run([*pip, f"qiskit-ibm-runtime=={QISKIT_VERSION}"], check=False).returncode


def inprocess(payloads: Payloads, *, number: int, repeat: int) -> dict[str, Any] | str:
    """qiskit-ibm-runtime's REST layer against fixed bodies, or why there is no figure."""
    python = qiskit_python()
    if isinstance(python, str):
        return python
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "payloads.json"
        payloads.save(path)
        command = [
            str(python),
            str(HERE / "qiskit_side.py"),
            "inprocess",
            str(path),
            str(number),
            str(repeat),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        return "run failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    result: dict[str, Any] = json.loads(done.stdout)
    return result
