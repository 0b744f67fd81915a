#!/usr/bin/env python3
"""Benchmarks of the client, in one command; prints a markdown table and saves it.

    .venv/bin/python benchmarks/run.py                 # full run (minutes): benchmarks/results.md
    .venv/bin/python benchmarks/run.py --quick         # smoke run: benchmarks/results-quick.md
    .venv/bin/python benchmarks/run.py --setup-qiskit  # qiskit-ibm-runtime in benchmarks/.venv-qiskit

Sections: in process (MockTransport), parse only, loopback HTTP (the fake, and a
fixed-body server), scaling with concurrency (nginx or a lean server), IAM under load,
cold import, regeneration. qiskit-ibm-runtime is
compared where it is installed in its own virtualenv (never in ours).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import (  # noqa: E402
    executor,
    iam_load,
    imports,
    inprocess,
    loopback,
    primitives,
    qiskit_env,
    regen,
    scaling,
)
from benchmarks.payloads import build  # noqa: E402
from benchmarks.report import Row, machine, render  # noqa: E402

SECTIONS = ("inprocess", "loopback", "scaling", "iam", "imports", "regen", "primitives", "executor")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (numbers not for quoting)")
    parser.add_argument(
        "--setup-qiskit", action="store_true", help="install qiskit-ibm-runtime in its own venv"
    )
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only these sections")
    parser.add_argument(
        "--output", type=Path, help="where to write the table (default: benchmarks/results.md)"
    )
    args = parser.parse_args(argv)
    if args.setup_qiskit:
        return qiskit_env.setup()

    only = set(args.only or SECTIONS)
    quick: bool = args.quick
    started = time.perf_counter()
    # Built on first use: sections that do not need the seeded fake jobs do not pay for them.
    payloads = functools.cache(build)
    rows: list[Row] = []
    steps: tuple[tuple[str, Callable[[], list[Row]]], ...] = (
        ("inprocess", lambda: inprocess.rows(payloads(), quick=quick)),
        ("loopback", lambda: loopback.rows(payloads(), quick=quick)),
        ("scaling", lambda: scaling.rows(quick=quick)),
        ("iam", iam_load.rows),
        ("imports", lambda: imports.rows(quick=quick)),
        ("regen", lambda: regen.rows(quick=quick)),
        ("primitives", lambda: primitives.rows(quick=quick)),
        ("executor", lambda: executor.rows(quick=quick)),
    )
    for name, step in steps:
        if name in only:
            print(f"... {name}", file=sys.stderr, flush=True)
            rows += step()

    command = "benchmarks/run.py" + (" --quick" if quick else "")
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join(
        [
            f"Measured {when} with `.venv/bin/python {command}` on {machine()}"
            f" (shared with other work: best of N rounds and medians;"
            f" took {time.perf_counter() - started:.0f} s).",
            "",
            render(rows),
            "",
        ]
    )
    print(text)
    default = "results-quick.md" if quick else "results.md"
    output: Path = args.output or Path(__file__).resolve().parent / default
    output.write_text(text, encoding="utf-8")
    misses = sum(1 for row in rows if "MISS" in row.verdict)
    print(f"{misses} target(s) missed; table written to {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
