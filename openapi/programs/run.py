"""Refresh openapi/programs/ from a pinned ibm-quantum-schemas in its own venv.

    python3 openapi/programs/run.py                  # creates .venv-schemas if missing
    python3 openapi/programs/run.py --python PATH    # an interpreter that already has it
    python3 openapi/programs/run.py --pin 0.13.20261016  # another release (API change: regenerate)
    python3 openapi/programs/run.py --setup-only     # only make the venv; print its interpreter

The venv (.venv-schemas at the repository root, git-ignored) holds IBM's program schemas
package and what it needs (qiskit, samplomatic, numpy); it is never a dependency of
iqp-wrapper. export.py writes the schemas; scripts/generate.py then merges them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

PINNED = "0.13.20261016"
ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-schemas"


def ensure_venv(pin: str) -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    requirement = f"ibm-quantum-schemas=={pin}"
    # pip's output goes to stderr: stdout carries only the interpreter's path (--setup-only).
    install = [str(python), "-m", "pip", "install", "--quiet", requirement]
    subprocess.run(install, check=True, stdout=sys.stderr)
    return python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="an interpreter with ibm-quantum-schemas installed")
    parser.add_argument("--pin", default=PINNED, help=f"the ibm-quantum-schemas release (default {PINNED})")
    parser.add_argument(
        "--setup-only", action="store_true", help="make the venv and print its python; export nothing"
    )
    args = parser.parse_args()
    python = Path(args.python) if args.python else ensure_venv(args.pin)
    if args.setup_only:
        print(python)
        return 0
    export = Path(__file__).with_name("export.py")
    return subprocess.run([str(python), str(export)], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
