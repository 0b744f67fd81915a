"""Every fenced code block of README.md and docs/**/*.md, with what the test should do with it.

A block is run unless the markdown says otherwise in an HTML comment on the line before its
fence (blank lines between are allowed):

- ``<!-- not-run: why -->``: not run; the reason is required and shows in the test report.
- ``<!-- run: serve -->`` (bash): a server that runs until stopped; the test starts it, reads
  the ``export ...`` line it prints, runs the next bash block of the file with those
  variables, then stops it.

Blocks without a language are output or synopses shown to the reader, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_MARKER = re.compile(r"^\s*<!--\s*(?P<kind>not-run|run)\s*:\s*(?P<text>.*?)\s*-->\s*$")
PLACEHOLDER = re.compile(r"<[a-z][a-z0-9]*(?:-[a-z0-9]+)+>")  # <job-id>, <session-id>...

PYTHON = ("python", "py", "pycon")
SHELL = ("bash", "sh", "shell", "console")


@dataclass(frozen=True)
class Block:
    path: Path  # relative to the repository root
    line: int  # of the opening fence, 1-based
    lang: str
    code: str
    marker: tuple[str, str] | None  # ("not-run", reason) or ("run", how)

    @property
    def id(self) -> str:
        return f"{self.path.as_posix()}:{self.line}:{self.lang or 'text'}"

    @property
    def not_run_reason(self) -> str | None:
        return self.marker[1] if self.marker and self.marker[0] == "not-run" else None

    @property
    def kind(self) -> str:
        """What running it means: display, not-run, serve, shell, pytest, asyncio-repl, script."""
        if self.lang not in PYTHON + SHELL:
            return "display"
        if self.not_run_reason is not None:
            return "not-run"
        if self.lang in SHELL:
            return "serve" if self.marker == ("run", "serve") else "shell"
        if re.search(r"^(async )?def test_", self.code, re.MULTILINE):
            return "pytest"
        try:
            compile(self.code, self.id, "exec", dont_inherit=True)
        except SyntaxError:
            return "asyncio-repl"  # top-level await: as pasted into `python -m asyncio`
        return "script"


def markdown_files() -> list[Path]:
    """README.md and every markdown file under docs/, relative to the root."""
    found = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [path.relative_to(ROOT) for path in found if path.is_file()]


def blocks_of(relative: Path) -> list[Block]:
    lines = (ROOT / relative).read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        fence = opening["fence"]
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = i + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        info = opening["info"].strip()
        found.append(
            Block(
                path=relative,
                line=i + 1,
                lang=info.split()[0].lower() if info else "",
                code="\n".join(lines[i + 1 : end]) + "\n",
                marker=_marker_before(lines, i),
            )
        )
        i = end + 1
    return found


def all_blocks() -> list[Block]:
    return [block for path in markdown_files() for block in blocks_of(path)]


def _marker_before(lines: list[str], fence_index: int) -> tuple[str, str] | None:
    j = fence_index - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    found = _MARKER.match(lines[j]) if j >= 0 else None
    return (found["kind"], found["text"]) if found else None
