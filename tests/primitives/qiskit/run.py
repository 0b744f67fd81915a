"""Regenerate tests/primitives/qiskit/ with a pinned qiskit-ibm-runtime in its own venv.

python3 tests/primitives/qiskit/run.py                  # creates .venv-qiskit if missing
python3 tests/primitives/qiskit/run.py --python PATH    # an interpreter that already has it
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

PINNED = "qiskit-ibm-runtime==0.51.0"
ROOT = Path(__file__).resolve().parents[3]
VENV = ROOT / ".venv-qiskit"


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", PINNED], check=True)
    return python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="an interpreter with qiskit-ibm-runtime installed")
    args = parser.parse_args()
    python = Path(args.python) if args.python else ensure_venv()
    produce = Path(__file__).with_name("produce.py")
    return subprocess.run([str(python), str(produce)], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
