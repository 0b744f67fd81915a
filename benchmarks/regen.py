"""Regeneration wall time: ``scripts/generate.py`` into a scratch --output (generated/ untouched).

A run that swaps type-checks iqp_wrapper against the new package first; its own time is
read from the script's ``typecheck:`` line. ``--check`` (what CI runs) skips that step.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import Row, verdict

ROOT = Path(__file__).resolve().parents[1]
SECTION = "regeneration"
_TYPECHECK = re.compile(r"^typecheck: .*\((?P<seconds>[\d.]+) s", re.MULTILINE)


def wall(runs: int, *extra: str) -> tuple[list[float], list[float]]:
    """Wall times of full regenerations, and the type-check times they reported."""
    times, checks = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            command = [sys.executable, str(ROOT / "scripts" / "generate.py"), "--output", scratch, "--quiet"]
            started = time.perf_counter()
            done = subprocess.run([*command, *extra], check=True, capture_output=True, text=True, cwd=ROOT)
            times.append(time.perf_counter() - started)
            found = _TYPECHECK.search(done.stdout)
            if found:
                checks.append(float(found.group("seconds")))
    return times, checks


def check_wall(runs: int) -> list[float]:
    """Wall times of ``generate.py --check`` against the committed generated/."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        command = [sys.executable, str(ROOT / "scripts" / "generate.py"), "--check", "--quiet"]
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return times


def _spread(times: list[float]) -> str:
    return f"best of {len(times)}" + (f" (worst {max(times):.1f} s)" if len(times) > 1 else "")


def rows(*, quick: bool) -> list[Row]:
    runs = 1 if quick else 3
    times, checks = wall(runs)
    found = [
        Row(
            SECTION,
            "python scripts/generate.py (into a scratch --output), type check included",
            f"{min(times):.1f} s",
            _spread(times),
            "< 60 s (issue 12)",
            verdict(max(times) < 60),
        )
    ]
    if checks:
        label = "of which: mypy --strict over iqp_wrapper against the new package, and its import"
        found.append(Row(SECTION, label, f"{min(checks):.1f} s", _spread(checks)))
    checked = check_wall(runs)
    label = "python scripts/generate.py --check (CI)"
    found.append(Row(SECTION, label, f"{min(checked):.1f} s", _spread(checked)))
    return found
