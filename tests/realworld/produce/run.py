"""Regenerate tests/realworld/qiskit/ with a pinned qiskit-ibm-runtime in its own venv.

    python3 tests/realworld/produce/run.py                  # creates .venv-qiskit if missing
    python3 tests/realworld/produce/run.py --python PATH    # an interpreter that already has it

The venv (.venv-qiskit at the repository root, git-ignored) is the one the qiskit
conformance test uses too; qiskit-ibm-runtime is never a dependency of iqp-wrapper.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

# qiskit-noise-learning: what the executor-based NoiseLearnerV3 needs to prepare its program.
PINNED = ["qiskit-ibm-runtime==0.51.0", "qiskit-noise-learning==0.1.0"]
ROOT = Path(__file__).resolve().parents[3]
VENV = ROOT / ".venv-qiskit"


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    # Every time: a venv made for the conformance tests may lack what only recording needs.
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PINNED], check=True)
    return python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="an interpreter with the PINNED packages installed")
    args = parser.parse_args()
    python = Path(args.python) if args.python else ensure_venv()
    produce = Path(__file__).with_name("produce.py")
    return subprocess.run([str(python), str(produce)], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
