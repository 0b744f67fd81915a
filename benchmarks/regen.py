"""Regeneration wall time: ``scripts/generate.py`` into a scratch --output (generated/ untouched)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import Row

ROOT = Path(__file__).resolve().parents[1]
SECTION = "regeneration"


def wall(runs: int) -> tuple[float, float]:
    """Best and worst wall time of a full regeneration."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            command = [sys.executable, str(ROOT / "scripts" / "generate.py"), "--output", scratch, "--quiet"]
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - started)
    return min(times), max(times)


def rows(*, quick: bool) -> list[Row]:
    runs = 1 if quick else 3
    best, worst = wall(runs)
    spread = f"best of {runs}" + (f" (worst {worst:.1f} s)" if runs > 1 else "")
    return [Row(SECTION, "python scripts/generate.py (into a scratch --output)", f"{best:.1f} s", spread)]
