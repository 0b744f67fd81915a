"""Putting a freshly generated package in place, or comparing it with the one there."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

_IGNORED = {"__pycache__", ".mypy_cache", ".ruff_cache"}


def files_of(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {
        str(p.relative_to(root)): p
        for p in root.rglob("*")
        if p.is_file() and not _IGNORED.intersection(p.relative_to(root).parts)
    }


def differences(expected: Path, actual: Path) -> list[str]:
    """One line per file that is missing, extra or different in ``actual``."""
    want, have = files_of(expected), files_of(actual)
    lines = [f"missing: {name}" for name in sorted(want.keys() - have.keys())]
    lines += [f"not generated: {name}" for name in sorted(have.keys() - want.keys())]
    lines += [
        f"differs: {name}"
        for name in sorted(want.keys() & have.keys())
        if not filecmp.cmp(want[name], have[name], shallow=False)
    ]
    return lines


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` (same filesystem), never leaving it half written."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)
