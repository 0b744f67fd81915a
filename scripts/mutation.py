"""Mutation-test hand-written modules with mutmut and print a score table.

    .venv/bin/python scripts/mutation.py core              # the five core modules, every mutant
    .venv/bin/python scripts/mutation.py config crn        # named groups or modules
    .venv/bin/python scripts/mutation.py iqp_wrapper/jobs/waiting.py
    .venv/bin/python scripts/mutation.py --changed-since origin/main --sample 60 --budget 240   # CI

What may be mutated and which tests judge it is `[tool.mutmut]` in pyproject.toml; mutmut
runs, for each mutant, only the tests that reached the mutated function. Results land in
`mutants/` (git-ignored) and are reused by `mutmut results` / `mutmut show NAME`.

Bounding a run (CI): `--sample N` tests at most N mutants, drawn with a fixed seed from the
chosen modules (the same code gives the same sample); `--budget S` stops mutmut after S
seconds of wall clock and scores only the mutants it finished. The exit code is 1 if a
module of the `core` group scores under `--fail-under`, else 0. docs/mutation.md lists
the survivors that are left on purpose.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tomllib  # type: ignore[import-not-found, unused-ignore]  # Python 3.11+, as mutmut is run

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).parent / "mutmut"

# Groups of modules, by name. "core" is the group whose score is held at 95% (docs/mutation.md).
GROUPS: dict[str, tuple[str, ...]] = {
    "core": (
        "iqp_wrapper/auth.py",
        "iqp_wrapper/_singleflight.py",
        "iqp_wrapper/retry.py",
        "iqp_wrapper/crn.py",
        "iqp_wrapper/config.py",
    ),
    "auth": ("iqp_wrapper/auth.py", "iqp_wrapper/_singleflight.py"),
    "singleflight": ("iqp_wrapper/_singleflight.py",),
    "retry": ("iqp_wrapper/retry.py",),
    "crn": ("iqp_wrapper/crn.py",),
    "config": ("iqp_wrapper/config.py", "iqp_wrapper/config_checks.py"),
}

# mutmut's exit codes per mutant, by what they mean for the score.
_KILLED = {1, 3, 24, -24, 152, 255, 36, 37}  # a test failed, timed out, or the type check failed
_SURVIVED = {0}
_NO_TESTS = {5, 33}


@dataclass
class Score:
    module: str
    mutants: int = 0
    killed: int = 0
    survived: int = 0
    no_tests: int = 0
    not_run: int = 0

    @property
    def checked(self) -> int:
        return self.killed + self.survived + self.no_tests

    @property
    def percent(self) -> float | None:
        # A mutant no test reaches counts against the score, as a survivor would.
        return 100.0 * self.killed / self.checked if self.checked else None


def mutable_modules() -> list[str]:
    """The .py files `[tool.mutmut]` allows mutmut to mutate."""
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    found = []
    for source in conf["source_paths"]:
        for path in sorted((ROOT / source).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            allowed = any(fnmatch.fnmatch(rel, p) for p in conf.get("only_mutate", ["*"]))
            denied = any(fnmatch.fnmatch(rel, p) for p in conf.get("do_not_mutate", []))
            if allowed and not denied:
                found.append(rel)
    return found


def resolve(targets: Iterable[str]) -> list[str]:
    allowed = set(mutable_modules())
    chosen: list[str] = []
    for target in targets:
        for module in GROUPS.get(target, (target,)):
            if module not in allowed:
                if target in GROUPS and not (ROOT / module).exists():
                    continue  # a group member not written yet
                raise SystemExit(f"error: {module} is not a module [tool.mutmut] may mutate")
            if module not in chosen:
                chosen.append(module)
    return chosen


def changed_since(ref: str) -> list[str]:
    """Mutable modules changed since the merge base of ``ref`` and HEAD (uncommitted changes
    included); on ``ref`` itself, since the previous commit."""
    base = _git("merge-base", ref, "HEAD") or _git("merge-base", f"origin/{ref}", "HEAD")
    if not base or base == _git("rev-parse", "HEAD"):
        base = _git("rev-parse", "HEAD~1")
    if not base:
        return []
    names = _git("diff", "--name-only", base, "--", "iqp_wrapper").splitlines()
    allowed = mutable_modules()
    return [name for name in names if name in allowed and (ROOT / name).exists()]


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def mutant_names(module: str) -> list[str]:
    """Every mutant mutmut makes of ``module``, by name, without running anything."""
    from mutmut.mutation.file_mutation import mutate_file_contents
    from mutmut.utils.format_utils import get_mutant_name

    code = (ROOT / module).read_text("utf-8")
    mutated = mutate_file_contents(module, code)
    return sorted(get_mutant_name(Path(module), name) for name in mutated.mutant_names)


def run_mutmut(patterns: list[str], *, budget: float | None, children: int) -> bool:
    """Run mutmut on ``patterns``; False if the budget ran out first."""
    # mutmut keeps which tests reach which function between runs and updates it only for
    # new tests: after a merge or a refactor it would judge mutants with stale lists (and
    # call functions new since then untested). One traced run of the tests is cheaper than
    # a wrong score.
    (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    command = [str(MUTMUT), "run", "--max-children", str(children), *patterns]
    # Its own process group, so that running out of budget stops its workers too.
    with subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL) as proc:
        try:
            proc.wait(timeout=budget)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            return False
    if proc.returncode != 0:
        raise SystemExit(f"error: mutmut exited with {proc.returncode}; run `{' '.join(command)}` to see why")
    return True


def scores(modules: list[str], only: set[str] | None) -> tuple[list[Score], list[str]]:
    table, survivors = [], []
    for module in modules:
        meta = ROOT / "mutants" / (module + ".meta")
        codes: dict[str, int | None] = {}
        if meta.exists():
            codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        score = Score(module)
        for name, code in sorted(codes.items()):
            if only is not None and name not in only:
                continue
            score.mutants += 1
            if code in _KILLED:
                score.killed += 1
            elif code in _SURVIVED:
                score.survived += 1
                survivors.append(name)
            elif code in _NO_TESTS:
                score.no_tests += 1
                survivors.append(name)
            else:
                score.not_run += 1
        table.append(score)
    return table, survivors


def print_table(table: list[Score]) -> None:
    print("| module | mutants | killed | survived | no tests | not run | score |")
    print("|---|---|---|---|---|---|---|")
    for s in table:
        pct = "n/a" if s.percent is None else f"{s.percent:.1f}%"
        counts = f"{s.mutants} | {s.killed} | {s.survived} | {s.no_tests} | {s.not_run}"
        print(f"| {s.module} | {counts} | {pct} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("targets", nargs="*", help=f"groups ({', '.join(GROUPS)}) or module paths")
    parser.add_argument("--changed-since", metavar="REF", help="add the modules changed since REF")
    parser.add_argument("--sample", type=int, metavar="N", help="test at most N mutants, drawn with --seed")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--budget", type=float, metavar="SECONDS", help="wall-clock limit for mutmut")
    parser.add_argument("--children", type=int, default=2, help="mutmut workers (default 2)")
    parser.add_argument("--fail-under", type=float, default=0.0, help="exit 1 if a core module scores lower")
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    parser.add_argument(
        "--retry-survivors", action="store_true", help="rerun only the last run's survivors (after new tests)"
    )
    args = parser.parse_args(argv)

    modules = resolve(args.targets)
    if args.changed_since:
        modules += [m for m in changed_since(args.changed_since) if m not in modules]
    if not modules:
        print("mutation: no mutable module to test (none named, none changed)")
        return 0

    names = {module: mutant_names(module) for module in modules}
    everyone = [n for module in modules for n in names[module]]
    chosen = everyone
    if args.retry_survivors:
        _, last_survivors = scores(modules, None)
        chosen = [name for name in everyone if name in set(last_survivors)]
    if args.sample is not None and len(everyone) > args.sample:
        chosen = sorted(random.Random(args.seed).sample(everyone, args.sample))
    print(f"mutation: {len(chosen)} of {len(everyone)} mutants of {', '.join(modules)}", flush=True)

    started = time.monotonic()
    finished = run_mutmut(chosen, budget=args.budget, children=args.children) if chosen else True
    elapsed = time.monotonic() - started
    table, survivors = scores(modules, None if args.retry_survivors else set(chosen))
    print_table(table)
    print(f"mutation: {elapsed:.0f} s{'' if finished else f' (budget of {args.budget:.0f} s ran out)'}")
    if args.survivors and survivors:
        print("survivors (`.venv/bin/mutmut show NAME` shows one):")
        for name in survivors:
            print(f"  {name}")
    core = [s for s in table if s.module in GROUPS["core"] and s.percent is not None]
    low = [s for s in core if s.percent is not None and s.percent < args.fail_under]
    for s in low:
        print(f"mutation: {s.module} scores {s.percent:.1f}%, under {args.fail_under:.0f}%")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
