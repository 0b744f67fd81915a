"""The command line of scripts/generate.py."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .build import generate_package
from .corrections import apply_corrections, load_corrections
from .errors import GenerationError, InputError
from .normalize import normalize
from .overlay import load_overlay
from .spec_io import load_document
from .tree import differences, swap_in
from .unions import union_rules

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT / "openapi"
DEFAULT_SPEC = OPENAPI / "qiskit-runtime-api.yaml"
PACKAGE = "iqp_api"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spec", default=str(DEFAULT_SPEC), help="path or http(s) URL, JSON or YAML")
    parser.add_argument("--check", action="store_true", help="compare with generated/ instead of writing")
    parser.add_argument("--output", type=Path, default=ROOT / "generated", help=argparse.SUPPRESS)
    parser.add_argument("--dump-normalized", type=Path, help="also write the repaired document here")
    parser.add_argument("--quiet", action="store_true", help="print only the summary line")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        return _run(args, started)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except GenerationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, started: float) -> int:
    overlay = load_overlay(OPENAPI / "overlay.yaml")
    document = load_document(args.spec)
    document, corrected = apply_corrections(document, load_corrections(OPENAPI / "corrections.yaml"))
    doc, report = normalize(document, overlay)
    report = [f"correction {line}" for line in corrected] + report
    if not args.quiet:
        for line in report:
            print(f"repair: {line}")
    if args.dump_normalized:
        args.dump_normalized.write_text(json.dumps(doc, indent=1), encoding="utf-8")

    output: Path = args.output
    output.mkdir(parents=True, exist_ok=True)
    # Generate beside the target so the final swap is a rename on one filesystem.
    scratch = Path(tempfile.mkdtemp(prefix=".generate-", dir=output))
    try:
        fresh = scratch / PACKAGE
        result = generate_package(
            doc,
            config_file=OPENAPI / "generator.yaml",
            templates=OPENAPI / "templates",
            out_dir=fresh,
            api_version=overlay.api_version,
            template_globals={"union_rules": union_rules(doc, OPENAPI / "overlay.yaml")},
        )
        for line in result.warnings:
            print(f"warning: {line}", file=sys.stderr)
        for key in result.dropped:
            print(f"dropped: {key}", file=sys.stderr)
        for line in result.aliased:
            print(f"aliased: {line}", file=sys.stderr)
        elapsed = time.perf_counter() - started
        print(f"{result.summary()} ({elapsed:.1f} s)")
        if not result.clean:
            print(
                "error: the generator's output is incomplete; generated/ left as it was",
                file=sys.stderr,
            )
            return 1
        target = output / PACKAGE
        if args.check:
            diff = differences(fresh, target)
            if diff:
                print(f"check: generated/{PACKAGE} differs from the script's output in {len(diff)} files:")
                for line in diff[:20]:
                    print(f"  {line}")
                if len(diff) > 20:
                    print(f"  ... and {len(diff) - 20} more")
                print("check: run `python scripts/generate.py` and commit the result")
                return 1
            print(f"check: generated/{PACKAGE} is up to date")
            return 0
        swap_in(fresh, target)
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
