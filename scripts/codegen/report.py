"""The report of one run: API changes, stale overlay entries, and what hand-written code lost.

Printed on the console; with ``--report FILE`` also written as markdown (FILE) and JSON
(FILE with the suffix ``.json``). The markdown's "API changes" list is worded for the
CHANGELOG's API section and can be pasted there as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .changes import Change
from .handwritten import Use


@dataclass(frozen=True)
class Breakage:
    """A pinned name the new package lacks, why, and where hand-written code imports it."""

    name: str
    causes: tuple[str, ...]
    places: tuple[str, ...]

    def line(self) -> str:
        why = "; ".join(self.causes) or "not in the new package"
        where = ", ".join(self.places) or "no import found (stale pin in openapi/overlay.yaml)"
        return f"{self.name}: {why}; used at {where}"


def breakages(missing: list[str], changes: list[Change], used: list[Use]) -> list[Breakage]:
    """Explain each missing pinned name by the changes that touch it."""
    found = []
    for name in missing:
        causes = tuple(c.line() for c in changes if c.breaking and _touches(c.python, name))
        places = tuple(sorted({u.place for u in used if u.name == name}))
        found.append(Breakage(name, causes, places))
    return found


def _touches(python: str, name: str) -> bool:
    return bool(python) and (python == name or name.startswith(f"{python}.") or python.startswith(f"{name}."))


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


@dataclass
class RunReport:
    sources: list[str]
    baseline: str | None  # the stored summary compared against, None when there was none
    changes: list[Change] = field(default_factory=list)
    overlay: list[str] = field(default_factory=list)
    broken: list[Breakage] = field(default_factory=list)
    typecheck_problems: list[str] = field(default_factory=list)
    typecheck_seconds: float | None = None  # None: not run (--check)
    total_seconds: float | None = None  # the whole run: load, generate, review, type check
    outcome: str = ""

    @property
    def breaks_hand_written(self) -> bool:
        return bool(self.broken or self.typecheck_problems)

    def api_lines(self) -> list[str]:
        if self.baseline is None:
            return ["no stored API summary to compare with; this run writes the first one"]
        return [("BREAKING " if c.breaking else "") + c.line() for c in self.changes]

    def console_lines(self) -> list[str]:
        lines = [f"api: {line}" for line in self.api_lines()]
        if self.baseline is not None and not self.changes:
            lines.append("api: no changes")
        lines += [f"overlay: {line}" for line in self.overlay]
        lines += [f"breaks: {b.line()}" for b in self.broken]
        lines += [f"breaks: {p}" for p in self.typecheck_problems]
        if self.typecheck_seconds is not None:
            verdict = "ok" if not self.typecheck_problems else count(len(self.typecheck_problems), "error")
            total = f"; {self.total_seconds:.1f} s in all" if self.total_seconds is not None else ""
            lines.append(
                f"typecheck: hand-written code against the new package: {verdict} "
                f"({self.typecheck_seconds:.1f} s{total})"
            )
        return lines

    def as_json(self) -> dict[str, Any]:
        return {
            "sources": self.sources,
            "baseline": self.baseline,
            "outcome": self.outcome,
            "changes": [c.as_dict() for c in self.changes],
            "overlay_unmatched": self.overlay,
            "hand_written_breakage": [
                {"name": b.name, "causes": list(b.causes), "places": list(b.places)} for b in self.broken
            ],
            "typecheck": {"problems": self.typecheck_problems, "seconds": self.typecheck_seconds},
            "total_seconds": self.total_seconds,
        }

    def markdown(self) -> str:
        out = ["# API change report", "", f"From: {', '.join(self.sources)}", f"Outcome: {self.outcome}", ""]
        out += ["## API changes", ""]
        if self.baseline is not None and not self.changes:
            out.append("No changes.")
        breaking = [c for c in self.changes if c.breaking]
        deprecated = [c for c in self.changes if not c.breaking and "deprecated" in c.kind]
        other = [c for c in self.changes if not c.breaking and c not in deprecated]
        if self.baseline is None:
            out.append(self.api_lines()[0])
        for title, group in (("Breaking", breaking), ("Deprecated", deprecated), ("Other", other)):
            if group:
                out += [f"### {title}", ""] + [f"- {c.line()}" for c in group] + [""]
        if self.overlay:
            out += ["", "## Overlay entries that match nothing", ""] + [f"- {line}" for line in self.overlay]
        if self.broken or self.typecheck_problems:
            out += ["", "## What the hand-written code loses", ""]
            out += [f"- {b.line()}" for b in self.broken] + [f"- {p}" for p in self.typecheck_problems]
        if self.typecheck_seconds is not None:
            out += ["", f"Type check of iqp_wrapper against the new package: {self.typecheck_seconds:.1f} s"]
        text = "\n".join(out)
        while "\n\n\n" in text:  # sections end with a blank line of their own
            text = text.replace("\n\n\n", "\n\n")
        return text.rstrip() + "\n"

    def write(self, path: Path) -> None:
        markdown, data = (path.with_suffix(".md"), path) if path.suffix == ".json" else (path, None)
        data = data or path.with_suffix(".json")
        markdown.write_text(self.markdown(), encoding="utf-8")
        data.write_text(json.dumps(self.as_json(), indent=1) + "\n", encoding="utf-8")
