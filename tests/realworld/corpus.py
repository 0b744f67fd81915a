"""Access to the real-world corpus (see README.md beside this file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent


def load(relative: str) -> Any:
    """The parsed JSON of one corpus file, e.g. ``load("rest/results/sampler_qasm3.json")``."""
    return json.loads((ROOT / relative).read_text())


def files(folder: str, pattern: str = "*.json") -> list[Path]:
    """The corpus files in ``folder`` (relative to tests/realworld), sorted by name."""
    return sorted((ROOT / folder).glob(pattern))


def job_bodies() -> list[Path]:
    """Every recorded or documented ``POST /v1/jobs`` body."""
    return files("qiskit/requests", "post_jobs_*.json") + files("rest/requests", "post_jobs_*.json")


def primitive_results() -> list[Path]:
    """Every Sampler/Estimator result body, both the REST form and qiskit's encoded form."""
    return files("qiskit/results") + files("rest/results")
