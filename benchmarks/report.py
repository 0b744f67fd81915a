"""The results table: rows of measurements, targets with PASS/MISS, rendered as markdown."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One line of the table. ``verdict`` is PASS, MISS, or empty where there is no target."""

    section: str
    measurement: str
    value: str
    compared: str = ""
    target: str = ""
    verdict: str = ""


def verdict(ok: bool) -> str:
    return "PASS" if ok else "**MISS**"


def ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}x"


def render(rows: list[Row]) -> str:
    head = "| Section | Measurement | Value | Compared | Target | Result |"
    rule = "|---|---|---|---|---|---|"
    lines = [head, rule]
    for row in rows:
        cells = (row.section, row.measurement, row.value, row.compared, row.target, row.verdict)
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    """Cores and CPU model, from nproc's source and /proc/cpuinfo."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores ({model}), Python {platform.python_version()}, {platform.system()}"
