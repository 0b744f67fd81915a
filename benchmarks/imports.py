"""Cold import time: a fresh interpreter per run, the best of several, against a bare one.

Each figure is the wall time of ``python -c "<statement>"`` minus nothing: the bare
interpreter (``pass``) is its own row and the target is measured over it. Byte code is
already compiled (the first, untimed run sees to it).
"""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks.report import Row, verdict

SECTION = "cold import"
TARGET_MS = 150.0
STATEMENTS = (
    ("bare interpreter", "pass"),
    ("import httpx", "import httpx"),
    ("import iqp_api", "import iqp_api"),
    ("import iqp_api.models", "import iqp_api.models"),
    ("one endpoint: from iqp_api.api.jobs import get_job", "from iqp_api.api.jobs import get_job"),
    ("import iqp_wrapper", "import iqp_wrapper"),
    ("from iqp_wrapper import connect, unwrap", "from iqp_wrapper import connect, unwrap"),
    (
        "from iqp_wrapper import connect, unwrap + the get_job endpoint",
        "from iqp_wrapper import connect, unwrap; from iqp_api.api.jobs import get_job",
    ),
)
# ``import iqp_wrapper`` alone loads its public names lazily (on first use); the target
# is also checked on what a program needs before its first call.
TARGETED = ("import iqp_wrapper", "from iqp_wrapper import connect, unwrap + the get_job endpoint")


def wall(statement: str, runs: int) -> float:
    """Best wall time, in seconds, of a fresh interpreter running ``statement``."""
    command = [sys.executable, "-c", statement]
    subprocess.run(command, check=True)
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True)
        best = min(best, time.perf_counter() - started)
    return best


def rows(*, quick: bool) -> list[Row]:
    runs = 3 if quick else 15
    times = {label: wall(statement, runs) for label, statement in STATEMENTS}
    bare = times["bare interpreter"]
    out = []
    for label, seconds in times.items():
        over = (seconds - bare) * 1e3
        is_target = label in TARGETED
        out.append(
            Row(
                SECTION,
                label,
                f"{seconds * 1e3:.0f} ms",
                "" if label == "bare interpreter" else f"+{over:.0f} ms over bare",
                f"<= +{TARGET_MS:.0f} ms over bare" if is_target else "",
                verdict(over <= TARGET_MS) if is_target else "",
            )
        )
    return out
