"""Mutation-test hand-written modules with mutmut and print a score table.

    .venv/bin/python scripts/mutation.py core              # the five core modules, every mutant
    .venv/bin/python scripts/mutation.py config crn        # named groups or modules
    .venv/bin/python scripts/mutation.py decoders deadline # the result decoders; whole-call deadlines
    .venv/bin/python scripts/mutation.py iqp_wrapper/jobs/waiting.py
    .venv/bin/python scripts/mutation.py smoke --sample 20                   # CI: the fixed sample
    .venv/bin/python scripts/mutation.py --changed-since main --sample 60 --budget 240   # CI

What may be mutated is `[tool.mutmut]` in pyproject.toml; which tests judge a module is
`TESTS` below (mutmut then runs, for each mutant, only those of them that reached the
mutated function). Tests marked `repo_files` read the checkout's files (source text, README,
examples) rather than run the code; mutmut's copy has mutated source and no README, so the
mutation run deselects them. Results land in `mutants/` (git-ignored) and are reused by
`mutmut results` / `mutmut show NAME`; mutmut's own output goes to `mutants/mutation.log`.

Bounding a run (CI): `--sample N` tests at most N mutants, drawn with a fixed seed from the
chosen modules (the same code gives the same sample), half of them reserved for the modules
held to a target (`HELD`); `--budget S` stops mutmut S seconds
after its first mutant started (after its one traced run of the tests) and scores only the
mutants it finished. `--fail-under P` exits 1 if the mutants of held modules, pooled, score
under P% (judged only from `MIN_JUDGED` checked mutants up: a handful measures nothing).
`--write-doc` puts this run's rows into the measured table of docs/mutation.md.

After a run: `--retry-survivors` tests again only its survivors (after new tests), `--resume`
only the mutants it did not finish (a budget ran out, or it was stopped); both score the
module from all of mutmut's results on the unchanged source.

`--python PATH` runs mutmut, and so the tests of every mutant, with the mutmut installed
beside that interpreter (a venv with `.[dev]`). Some mutants are equivalent only on newer
Pythons: `int.from_bytes(b)` without `"big"` works from 3.11 on, where it is the default,
and fails on 3.10, which the package supports. A venv of the oldest supported Python
measures those honestly:

    python3.10 -m venv .venv310 && .venv310/bin/pip install -e '.[dev]'
    .venv/bin/python scripts/mutation.py decoders --python .venv310/bin/python
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
from typing import Any

import tomllib  # type: ignore[import-not-found, unused-ignore]  # Python 3.11+, as mutmut is run

ROOT = Path(__file__).resolve().parent.parent

# Groups of modules, by name; members are globs, so modules added later are picked up.
GROUPS: dict[str, tuple[str, ...]] = {
    "core": (
        "iqp_wrapper/auth/flow.py",
        "iqp_wrapper/auth/_singleflight.py",
        "iqp_wrapper/transport/retry.py",
        "iqp_wrapper/crn.py",
        "iqp_wrapper/config/settings.py",
    ),
    "auth": ("iqp_wrapper/auth/flow.py", "iqp_wrapper/auth/_singleflight.py"),
    "singleflight": ("iqp_wrapper/auth/_singleflight.py",),
    "retry": ("iqp_wrapper/transport/retry.py",),
    "crn": ("iqp_wrapper/crn.py",),
    "config": ("iqp_wrapper/config/settings.py", "iqp_wrapper/config/checks.py"),
    # What turns a job's result body into counts, bit arrays and tensors.
    "decoders": (
        "iqp_wrapper/primitives/bitarray.py",
        "iqp_wrapper/primitives/results.py",
        "iqp_wrapper/primitives/tensors.py",
        "iqp_wrapper/primitives/npy.py",
        "iqp_wrapper/primitives/nested.py",
        # The executor modules that decode results (not those that build and submit jobs).
        "iqp_wrapper/primitives/executor_bits.py",
        "iqp_wrapper/primitives/executor_results.py",
        "iqp_wrapper/primitives/executor_sampler.py",
    ),
    "primitives": ("iqp_wrapper/primitives/*.py",),
    "deadline": ("iqp_wrapper/transport/_deadline.py", "iqp_wrapper/transport/_bodies.py"),
    # CI's fixed sample draws from modules whose tests, together, take in every test directory
    # of the mutmut selection, so that each is run under mutmut on every change.
    "smoke": (
        "iqp_wrapper/auth/_singleflight.py",
        "iqp_wrapper/primitives/bitarray.py",
        "iqp_wrapper/transport/_bodies.py",
        "iqp_wrapper/jobs/waiting.py",
    ),
}

# Which tests judge a module: the first pattern that matches it. A directory, or test files in
# it (globs); every directory must be in `pytest_add_cli_args_test_selection` of
# `[tool.mutmut]`, and everything else there is left out of the run. Core modules are judged
# by the tests written for them: nearly every test of tests/wrapper goes through the retry
# transport and the auth flow, so with the whole directory each of their surviving mutants
# would run hundreds of unrelated tests.


def _wrapper(*files: str) -> tuple[str, ...]:
    return tuple("tests/wrapper/" + name for name in files)


TESTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("iqp_wrapper/primitives/*", ("tests/primitives",)),
    # The deadline-bound backend is pinned operation by operation (a recording backend, and a
    # small server on 127.0.0.1): the raw-socket suite adds minutes per run and reaches every
    # socket operation, so each of its mutants would run all of it.
    (
        "iqp_wrapper/transport/_deadline.py",
        _wrapper("test_deadline*.py", "test_retry*.py", "test_auth_deadlines.py", "test_async_bounds.py"),
    ),
    ("iqp_wrapper/transport/_bodies.py", ("tests/wrapper", "tests/reliability")),
    (
        "iqp_wrapper/auth/flow.py",
        _wrapper(
            *("test_auth*.py", "test_token_freshness.py", "test_single_flight.py", "test_flight.py"),
            *("test_async_bounds.py", "test_secrets.py", "test_client.py"),
        ),
    ),
    (
        "iqp_wrapper/auth/_singleflight.py",
        _wrapper("test_flight.py", "test_single_flight.py", "test_auth*.py"),
    ),
    (
        "iqp_wrapper/transport/retry.py",
        _wrapper(
            *("test_retry*.py", "test_no_retries.py", "test_errors.py", "test_bodies_pinned.py"),
            *("test_tls_settings.py", "test_secrets.py", "test_async_bounds.py"),
        ),
    ),
    ("iqp_wrapper/crn.py", _wrapper("test_crn*.py", "test_config*.py")),
    (
        "iqp_wrapper/config/*.py",
        (
            *_wrapper(
                *("test_config*.py", "test_crn*.py", "test_client.py", "test_tls_settings.py"),
                *("test_api_versions.py", "test_fixed_transport.py", "test_secrets.py"),
            ),
            "tests/credentials",  # the accounts of `iqp login` and qiskit-ibm-runtime's file
        ),
    ),
    ("*", ("tests/wrapper", "tests/helpers", "tests/credentials")),
)

# The score each module is held to (docs/mutation.md); `--fail-under` judges these only.
HELD: dict[str, float] = {
    **dict.fromkeys(GROUPS["core"], 97.0),
    **dict.fromkeys(("iqp_wrapper/primitives/bitarray.py", "iqp_wrapper/primitives/results.py"), 95.0),
    **dict.fromkeys(("iqp_wrapper/primitives/tensors.py", "iqp_wrapper/transport/_deadline.py"), 95.0),
    **dict.fromkeys(
        (f"iqp_wrapper/primitives/executor_{name}.py" for name in ("bits", "results", "sampler")), 95.0
    ),
}
MIN_JUDGED = 20

# What mutmut prints once the tests' traced run is over and the first mutant starts.
_MUTATING = "Running mutation testing"

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
    allowed = mutable_modules()
    chosen: list[str] = []
    for target in targets:
        if target in GROUPS:
            # A member that matches nothing is a module not written yet (or gone): skipped.
            found = [m for pattern in GROUPS[target] for m in allowed if fnmatch.fnmatch(m, pattern)]
        elif target in allowed:
            found = [target]
        else:
            raise SystemExit(f"error: {target} is neither a group nor a module [tool.mutmut] may mutate")
        chosen += [module for module in found if module not in chosen]
    return chosen


def test_dirs(modules: Iterable[str]) -> list[str]:
    """The tests (directories, or globs of test files) that judge ``modules``."""
    return sorted(
        {d for m in modules for d in next(dirs for pattern, dirs in TESTS if fnmatch.fnmatch(m, pattern))}
    )


def left_out(tests: Iterable[str]) -> list[str]:
    """What of the mutmut selection a run judged by ``tests`` ignores: whole directories,
    and the other test files of a directory only some of whose files are named."""
    wanted = list(tests)
    ignored = []
    for directory in selection():
        inside = [t for t in wanted if t == directory or t.startswith(directory + "/")]
        if not inside:
            ignored.append(directory)
        elif directory not in inside:
            for path in sorted((ROOT / directory).rglob("test_*.py")):
                rel = path.relative_to(ROOT).as_posix()
                if not any(fnmatch.fnmatch(rel, glob) for glob in inside):
                    ignored.append(rel)
    return ignored


def selection() -> list[str]:
    """The test directories `[tool.mutmut]` lets mutmut collect."""
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    return list(conf["pytest_add_cli_args_test_selection"])


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


def run_mutmut(
    patterns: list[str],
    tests: list[str],
    *,
    budget: float | None,
    children: int,
    python: str,
    keep_trace: bool = False,
) -> bool:
    """Run mutmut on ``patterns``, judged by the tests in ``tests``, with the mutmut of the
    interpreter ``python``; False if the budget ran out first. ``keep_trace``: reuse the last
    run's record of which tests reach which function."""
    # mutmut keeps which tests reach which function between runs and updates it only for
    # new tests: after a merge or a refactor it would judge mutants with stale lists (and
    # call functions new since then untested). One traced run of the tests is cheaper than
    # a wrong score, except when the source has not changed since the last run of the same
    # modules (--retry-survivors, --resume), where the record is current and mutmut traces
    # the tests added since.
    (ROOT / "mutants").mkdir(exist_ok=True)
    if not keep_trace:
        (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    command = [str(Path(python).parent / "mutmut"), "run", "--max-children", str(children), *patterns]
    # The selection of [tool.mutmut] names every test directory; what this run does not need
    # is left out through pytest's own environment variable, which mutmut passes on. pytest's
    # --ignore skips only what it meets while walking a directory, not a directory named on
    # its command line (as the selection's are): those are deselected by node id prefix.
    leave_out = [f"--deselect={p}/" if (ROOT / p).is_dir() else f"--ignore={p}" for p in left_out(tests)]
    addopts = " ".join([os.environ.get("PYTEST_ADDOPTS", ""), *leave_out])
    env = {**os.environ, "PYTEST_ADDOPTS": addopts.strip()}
    log = ROOT / "mutants" / "mutation.log"
    # Its own process group, so that running out of budget stops its workers too.
    with (
        log.open("w", encoding="utf-8") as out,
        subprocess.Popen(
            command, cwd=ROOT, env=env, start_new_session=True, stdout=out, stderr=subprocess.STDOUT
        ) as proc,
    ):
        # The budget counts from the first mutant: the traced run of the tests before it is
        # bounded by the tests themselves, and a budget it used up would score nothing.
        mutating_since: float | None = None
        while proc.poll() is None:
            time.sleep(0.5)
            if mutating_since is None:
                if _MUTATING in log.read_text("utf-8", errors="replace"):
                    mutating_since = time.monotonic()
            elif budget is not None and time.monotonic() - mutating_since > budget:
                _stop(proc)
                return False
    if proc.returncode != 0:
        tail = "\n".join(log.read_text("utf-8", errors="replace").splitlines()[-40:])
        raise SystemExit(f"{tail}\nerror: mutmut exited with {proc.returncode} (the end of {log} above)")
    return True


def _stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


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


def finished_mutants(modules: list[str]) -> set[str]:
    """The mutants of ``modules`` that mutmut has a result for."""
    done = set()
    for module in modules:
        meta = ROOT / "mutants" / (module + ".meta")
        if meta.exists():
            codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
            done |= {name for name, code in codes.items() if code is not None}
    return done


def print_table(table: list[Score]) -> None:
    print("| module | mutants | killed | survived | no tests | not run | score |")
    print("|---|---|---|---|---|---|---|")
    for s in table:
        pct = "n/a" if s.percent is None else f"{s.percent:.1f}%"
        counts = f"{s.mutants} | {s.killed} | {s.survived} | {s.no_tests} | {s.not_run}"
        print(f"| {s.module} | {counts} | {pct} |")


DOC = ROOT / "docs" / "mutation.md"
_BEGIN = "<!-- begin: written by scripts/mutation.py --write-doc; do not edit by hand -->"
_END = "<!-- end: written by scripts/mutation.py --write-doc -->"
_DATA = "<!-- mutation-data "


def doc_parts() -> tuple[str, dict[str, Any], str]:
    """docs/mutation.md as (text before the block, the block's data, text after it)."""
    text = DOC.read_text("utf-8")
    if _BEGIN not in text or _END not in text:
        raise SystemExit(f"error: {DOC} has no block between {_BEGIN!r} and {_END!r}")
    head, rest = text.split(_BEGIN, 1)
    block, tail = rest.split(_END, 1)
    data: dict[str, Any] = {"runs": [], "rows": {}}
    if _DATA in block:
        data = json.loads(block.split(_DATA, 1)[1].split(" -->", 1)[0])
    return head, data, tail


def render(data: dict[str, Any]) -> str:
    """The block of docs/mutation.md that shows ``data``: a row per module, then the runs."""
    lines = [
        "",
        f"{_DATA}{json.dumps(data, sort_keys=True)} -->",
        "",
        "| module | mutants | killed | survived | no tests | not run | score | held to | run |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for module in sorted(data["rows"]):
        row = data["rows"][module]
        checked = row["killed"] + row["survived"] + row["no_tests"]
        score = f"{100.0 * row['killed'] / checked:.1f}%" if checked else "n/a"
        target = f"{HELD[module]:.0f}%" if module in HELD else "-"
        counts = " | ".join(str(row[k]) for k in ("mutants", "killed", "survived", "no_tests", "not_run"))
        lines.append(f"| `{module}` | {counts} | {score} | {target} | {row['run'] + 1} |")
    lines += ["", "Runs:", ""]
    for number, run in enumerate(data["runs"], 1):
        lines.append(
            f"{number}. {run['date']}, commit {run['commit']}, {run['versions']}: `{run['command']}`"
        )
    return _BEGIN + "\n".join(lines) + "\n\n" + _END


def write_doc(table: list[Score], argv: list[str], survivors: list[str], python: str) -> None:
    """Put ``table`` into docs/mutation.md's measured table, replacing those modules' rows.

    Each row names the run that measured it (date, commit, command), so modules measured
    by separate runs sit in one table without any figure being copied by hand."""
    head, data, tail = doc_parts()
    dirty = _git("status", "--porcelain", "--", "iqp_wrapper", "tests", "pyproject.toml")
    data["runs"].append(
        {
            "date": time.strftime("%Y-%m-%d", time.gmtime()),
            "commit": _git("rev-parse", "--short", "HEAD") + (" with uncommitted changes" if dirty else ""),
            "command": " ".join(["scripts/mutation.py", *(a for a in argv if a != "--write-doc")]),
            "versions": _versions(python),
        }
    )
    for s in table:
        if s.checked:
            counts = {"mutants": s.mutants, "killed": s.killed, "survived": s.survived}
            counts |= {"no_tests": s.no_tests, "not_run": s.not_run, "run": len(data["runs"]) - 1}
            data["rows"][s.module] = counts
    used = sorted({row["run"] for row in data["rows"].values()})  # drop runs no row refers to
    data["runs"] = [data["runs"][i] for i in used]
    for row in data["rows"].values():
        row["run"] = used.index(row["run"])
    DOC.write_text(head + render(data) + tail, "utf-8")
    print(f"mutation: wrote {sum(1 for s in table if s.checked)} rows into {DOC.relative_to(ROOT)}")
    # Reasons are listed under each module by the mutant's own name (its last part).
    for name in survivors:
        if name.rsplit(".", 1)[-1] not in tail:
            print(f"mutation: survivor with no reason in {DOC.relative_to(ROOT)}: {name}")


# Run in the interpreter that ran the mutants: its Python, mutmut and numpy are what was measured.
_VERSIONS = """
import platform
from importlib.metadata import PackageNotFoundError, version
found = [f"Python {platform.python_version()}"]
for name in ("mutmut", "numpy"):
    try:
        found.append(f"{name} {version(name)}")
    except PackageNotFoundError:
        found.append(f"no {name}")
print(", ".join(found))
"""


def _versions(python: str) -> str:
    done = subprocess.run([python, "-c", _VERSIONS], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def draw(names: dict[str, list[str]], size: int, seed: int) -> list[str]:
    """``size`` mutants drawn with ``seed``: half from held modules (as far as they have
    mutants), the rest from all.

    However many modules a change touches, the verdict on the held ones then rests on at
    least half the sample, not on their share of it (a wide merge would leave them a handful)."""
    rng = random.Random(seed)
    held = [n for module, found in names.items() if module in HELD for n in found]
    chosen = rng.sample(held, min(len(held), size // 2))
    rest = [n for found in names.values() for n in found if n not in set(chosen)]
    chosen += rng.sample(rest, min(len(rest), size - len(chosen)))
    return sorted(chosen)


def _patterns(names: dict[str, list[str]], chosen: list[str]) -> list[str]:
    """What to pass mutmut for ``chosen``: a module whose every mutant is chosen as one glob.

    mutmut matches each of its patterns against every mutant of the project with fnmatch,
    whose cache of compiled patterns holds 256 on Python 3.10: hundreds of names there
    recompile for every mutant, and a run spends its first hour choosing what to run."""
    picked = set(chosen)
    patterns: list[str] = []
    for module, found in names.items():
        if found and picked.issuperset(found):
            patterns.append(module_name(module) + ".*")
        else:
            patterns += [name for name in found if name in picked]
    return patterns


def verdict(table: list[Score], fail_under: float) -> tuple[bool, str]:
    """Whether the held modules' mutants, pooled, score at least ``fail_under``."""
    held = [s for s in table if s.module in HELD]
    killed, checked = sum(s.killed for s in held), sum(s.checked for s in held)
    if checked < MIN_JUDGED:
        return True, f"{checked} mutants of held modules checked, under {MIN_JUDGED}: not judged"
    pooled = 100.0 * killed / checked
    line = f"held modules, pooled: {killed}/{checked} killed, {pooled:.1f}% (floor {fail_under:.0f}%)"
    return pooled >= fail_under, line


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
    parser.add_argument(
        "--fail-under", type=float, default=0.0, help="exit 1 if the held modules, pooled, score lower"
    )
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    parser.add_argument(
        "--retry-survivors", action="store_true", help="rerun only the last run's survivors (after new tests)"
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="test only the mutants the last run did not finish (a stopped run, on the same source)",
    )
    parser.add_argument(
        "--write-doc", action="store_true", help="write this run's table into docs/mutation.md"
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        metavar="PATH",
        help="run mutmut beside this interpreter, e.g. a venv of the oldest supported Python",
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
    if args.resume:
        done = finished_mutants(modules)
        chosen = [name for name in chosen if name not in done]
    if args.sample is not None and len(chosen) > args.sample:
        chosen = draw(
            {m: [n for n in found if n in set(chosen)] for m, found in names.items()}, args.sample, args.seed
        )
    tests = test_dirs(modules)
    patterns = _patterns(names, chosen)
    print(f"mutation: {len(chosen)} of {len(everyone)} mutants of {', '.join(modules)}", flush=True)
    print(f"mutation: judged by {', '.join(tests)}", flush=True)

    started = time.monotonic()
    again = args.retry_survivors or args.resume
    finished = True
    if chosen:
        finished = run_mutmut(
            patterns, tests, budget=args.budget, children=args.children, python=args.python, keep_trace=again
        )
    elapsed = time.monotonic() - started
    table, survivors = scores(modules, None if again else set(chosen))
    print_table(table)
    print(f"mutation: {elapsed:.0f} s{'' if finished else f' (budget of {args.budget:.0f} s ran out)'}")
    if args.survivors and survivors:
        print("survivors (`.venv/bin/mutmut show NAME` shows one):")
        for name in survivors:
            print(f"  {name}")
    if args.write_doc:
        write_doc(table, argv if argv is not None else sys.argv[1:], survivors, args.python)
    passed, line = verdict(table, args.fail_under)
    if args.fail_under:
        print(f"mutation: {line}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
