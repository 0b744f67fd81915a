"""The safe swap: decide, before ``generated/`` changes, whether the new package may replace it.

``review`` is cheap and runs in every mode: the change report against the stored summary
and the pinned names the new package lacks. ``typecheck`` imports the new package and
type-checks the hand-written code against it; only a run that is about to swap pays for it.
"""

from __future__ import annotations

from pathlib import Path

from .api_summary import Summary, load_summary
from .changes import compare
from .handwritten import missing_names, uses
from .overlay import Overlay
from .report import RunReport, breakages
from .typecheck import check_against


def review(
    *,
    sources: list[str],
    fresh: Path,
    summary: Summary,
    baseline: Path,
    overlay: Overlay,
    unmatched: list[str],
    hand_written: Path,
) -> RunReport:
    stored = load_summary(baseline)
    report = RunReport(sources=sources, baseline=str(baseline) if stored is not None else None)
    if stored is not None:
        report.changes = compare(stored, summary)
    report.overlay = unmatched
    missing = missing_names(fresh, list(overlay.pinned_names))
    if missing:
        used = uses(hand_written, fresh.name)
        report.broken = breakages(missing, report.changes, used)
    return report


def typecheck(report: RunReport, fresh: Path, hand_written: Path) -> None:
    result = check_against(fresh, hand_written)
    report.typecheck_problems = result.problems
    report.typecheck_seconds = result.seconds
