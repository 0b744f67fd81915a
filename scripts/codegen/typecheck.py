"""Proving a freshly generated package still serves the hand-written code, before the swap.

Two checks, each in a child process so nothing of the new package leaks into this one:
import every module of the new package, then run ``mypy --strict`` over the hand-written
package with the new one first on the search path (``MYPYPATH`` wins over the installed,
still old, ``generated/``). mypy runs without its cache: a cache written against another
copy of the package (same module names, another folder) answered for the old package when
tried, and a cold run over iqp_wrapper and what it imports takes about 3 s.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# Imports every module of the package named by argv[1]; prints the first failure.
_IMPORT_ALL = """
import importlib, pkgutil, sys, traceback
name = sys.argv[1]
root = importlib.import_module(name)
for info in pkgutil.walk_packages(root.__path__, name + "."):
    try:
        importlib.import_module(info.name)
    except Exception as exc:
        print(f"{info.name}: {type(exc).__name__}: {exc}")
        sys.exit(1)
"""

# Runs mypy with every other copy of the package (the installed generated/, put on the path
# by the editable install) taken off sys.path: mypy looks modules up one by one along the
# whole path, so a module missing from the new package would be found in the old one.
_MYPY_ALONE = """
import os, sys
package, keep = sys.argv.pop(1), sys.argv.pop(1)
sys.path = [p for p in sys.path if p == keep or not os.path.isdir(os.path.join(p or ".", package))]
sys.argv[0] = "mypy"
from mypy.__main__ import console_entry
console_entry()
"""

_MYPY_LINE = re.compile(r"^(?P<place>[^:\s]+\.pyi?:\d+)(?::\d+)?: (?P<level>error|note): (?P<text>.*)$")


@dataclass
class TypecheckResult:
    """What broke (one line each, naming the hand-written place) and how long it took."""

    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_against(new_package: Path, hand_written: Path) -> TypecheckResult:
    """Import ``new_package`` and type-check ``hand_written`` against it."""
    started = time.perf_counter()
    result = TypecheckResult()
    env = dict(os.environ)
    search = str(new_package.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (search, env.get("PYTHONPATH")) if p)
    env["MYPYPATH"] = search
    imported = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, new_package.name],
        env=env,
        cwd=new_package.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if imported.returncode != 0:
        lines = (imported.stdout.strip() or imported.stderr.strip()).splitlines()
        result.problems.append(f"import {new_package.name} fails: {lines[-1] if lines else '?'}")
    result.problems += _mypy(new_package, hand_written, env)
    result.seconds = time.perf_counter() - started
    return result


def _mypy(new_package: Path, hand_written: Path, env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _MYPY_ALONE,
            new_package.name,
            str(new_package.parent),
            "--strict",
            "--no-error-summary",
            "--show-absolute-path",
            "--hide-error-context",
            "--no-pretty",
            f"--cache-dir={os.devnull}",
            hand_written.name,
        ],
        env=env,
        cwd=hand_written.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        return []
    problems = []
    for raw in done.stdout.splitlines():
        match = _MYPY_LINE.match(raw)
        if match and match.group("level") == "error":
            problems.append(f"{_shown(match.group('place'), hand_written.parent)}: {match.group('text')}")
    if not problems:  # mypy itself failed (bad config, crash): say so rather than pass
        tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-3:]
        problems.append(f"mypy exited {done.returncode}: {' | '.join(tail)}")
    return problems


def _shown(place: str, base: Path) -> str:
    path, _, line = place.rpartition(":")
    try:
        return f"{Path(path).relative_to(base)}:{line}"
    except ValueError:
        return place
