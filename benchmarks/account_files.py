#!/usr/bin/env python3
"""What the client does with each hostile thing in place of a saved-accounts file.

    .venv/bin/python benchmarks/account_files.py [--src DIR]

Each case runs in a fresh interpreter (``resolve_settings(accounts_file=...)``), with a
10 s limit, and prints one markdown row: the outcome (the error's class and problem
code, or the first words of its message), the wall time, and the peak memory (ru_maxrss).
``--src`` points at another checkout (for example an older commit, unpacked with
``git archive <commit> | tar -x -C DIR``) to compare before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/fake-account:fake-instance::"
VALID = json.dumps({"default": {"token": "fake-key-probe", "instance": CRN}})

CHILD = """
import json, logging, resource, sys, time
from pathlib import Path
from iqp_wrapper.config.settings import resolve_settings
warnings = []
class Keep(logging.Handler):
    def emit(self, record):
        warnings.append(record.getMessage())
logging.getLogger("iqp_wrapper").addHandler(Keep(logging.WARNING))
started = time.perf_counter()
try:
    settings = resolve_settings(accounts_file=Path(sys.argv[1]), environ={"HOME": sys.argv[2]})
    outcome = "read: key from " + settings.sources["api_key"].split(" in ")[0]
except BaseException as error:
    problem = getattr(error, "problem", None)
    text = str(error).replace(sys.argv[1], "<file>")
    outcome = type(error).__name__ + (f" ({problem})" if problem else "") + ": " + text[:70]
took = time.perf_counter() - started
if warnings:
    outcome += "; WARNING logged: " + warnings[0].replace(sys.argv[1], "<file>").replace("<file> ", "", 1)
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"outcome": outcome, "seconds": took, "peak_mb": peak_mb}))
"""


def cases(folder: Path) -> dict[str, Path]:
    made: dict[str, Path] = {}

    def file(name: str, text: str, mode: int) -> None:
        path = folder / name
        path.write_text(text)
        path.chmod(mode)
        made[name] = path

    file("private-0600", VALID, 0o600)
    file("readable-0644", VALID, 0o644)
    file("writable-0666", VALID, 0o666)
    target = folder / "target.json"
    target.write_text(VALID)
    target.chmod(0o600)
    (folder / "symlink").symlink_to(target)
    made["symlink"] = folder / "symlink"
    (folder / "loop-a").symlink_to(folder / "loop-b")
    (folder / "loop-b").symlink_to(folder / "loop-a")
    made["symlink-loop"] = folder / "loop-a"
    os.mkfifo(folder / "fifo")
    made["fifo"] = folder / "fifo"
    (folder / "directory").mkdir()
    made["directory"] = folder / "directory"
    with (folder / "huge-300MB").open("wb") as huge:  # real bytes, as the outside probe had
        block = b" " * (1 << 20)
        huge.write(VALID.encode())
        for _ in range(300):
            huge.write(block)
    made["huge-300MB"] = folder / "huge-300MB"
    file("nested-100k", "[" * 100_000 + "]" * 100_000, 0o600)
    return made


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--src", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    args = options.parse_args()
    paths = [str(args.src), str(args.src / "generated")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    print("| case | outcome | time | peak memory |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "home").mkdir()
        for name, path in cases(folder).items():
            try:
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, str(path), str(folder / "home")],
                    capture_output=True,
                    text=True,
                    timeout=10,
                    env=env,
                    cwd=scratch,  # not the checkout: -c puts the current folder first on the path
                    check=False,
                )
                row = json.loads(done.stdout) if done.returncode == 0 else None
            except subprocess.TimeoutExpired:
                row = {"outcome": "still waiting after 10 s", "seconds": 10.0, "peak_mb": float("nan")}
            if row is None:
                print(f"| {name} | crashed: {done.stderr.strip().splitlines()[-1][:80]} | | |")
                continue
            print(f"| {name} | {row['outcome']} | {row['seconds'] * 1000:.1f} ms | {row['peak_mb']:.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
