"""The command line of scripts/generate.py."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .adopt import adopt_document, retire_corrections
from .api_summary import dumps, summary_path, write_summary
from .api_versions import check as check_versions
from .api_versions import described_versions
from .build import generate_package
from .corrections import apply_corrections, load_corrections
from .deprecations import for_templates
from .errors import GenerationError, InputError
from .fragments import merge
from .guard import review, typecheck
from .normalize import normalize
from .overlay import load_overlay
from .overlay_audit import unmatched_entries
from .programs import load_programs, merge_programs
from .report import RunReport, count
from .spec_io import load_document
from .tree import differences, swap_in
from .unions import union_rules
from .version_shapes import apply_declared

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT / "openapi"
DEFAULT_SPEC = OPENAPI / "qiskit-runtime-api.yaml"
PACKAGE = "iqp_api"
HAND_WRITTEN = ROOT / "iqp_wrapper"
# Exit codes: 1 the run refused (generator or hand-written breakage), 2 bad input, 3 a
# breaking API change under --fail-on-breaking.
EXIT_BREAKING = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--spec",
        action="append",
        help="path or http(s) URL, JSON or YAML; give it once per fragment to merge several",
    )
    parser.add_argument("--check", action="store_true", help="compare with generated/ instead of writing")
    parser.add_argument("--output", type=Path, default=ROOT / "generated", help=argparse.SUPPRESS)
    parser.add_argument("--dump-normalized", type=Path, help="also write the repaired document here")
    parser.add_argument("--quiet", action="store_true", help="print only the summary line")
    parser.add_argument("--report", type=Path, help="write the change report here (markdown, and .json)")
    parser.add_argument(
        "--allow-breaking",
        action="store_true",
        help="swap in a package that breaks iqp_wrapper/ (report it, exit 0)",
    )
    parser.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help=f"exit {EXIT_BREAKING} without swapping when the API has any breaking change, "
        "whether or not iqp_wrapper/ uses what changed (for jobs that watch upstream)",
    )
    parser.add_argument(
        "--adopt",
        action="store_true",
        help="make the --spec document(s) ours: write openapi/qiskit-runtime-api.yaml with their "
        "structure and our words, retire corrections they make unnecessary, then regenerate",
    )
    parser.add_argument("--hand-written", type=Path, default=HAND_WRITTEN, help=argparse.SUPPRESS)
    parser.add_argument("--overlay", type=Path, default=OPENAPI / "overlay.yaml", help=argparse.SUPPRESS)
    parser.add_argument("--document", type=Path, default=DEFAULT_SPEC, help=argparse.SUPPRESS)
    parser.add_argument(
        "--corrections", type=Path, default=OPENAPI / "corrections.yaml", help=argparse.SUPPRESS
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        return _adopt(args, started) if args.adopt else _run(args, started)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except GenerationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, started: float) -> int:
    overlay = load_overlay(args.overlay)
    sources: list[str] = args.spec or [str(args.document)]
    document, merged = merge([(source, load_document(source)) for source in sources])
    programs = load_programs(overlay.program_schemas, OPENAPI)
    document, merged_programs = merge_programs(document, programs)
    document, corrected = apply_corrections(document, load_corrections(args.corrections))
    document, shaped = apply_declared(document, overlay.version_shapes)
    unmatched = unmatched_entries(document, overlay)
    doc, report = normalize(document, overlay)
    report = merged + merged_programs + [f"correction {line}" for line in corrected] + shaped + report
    versions = described_versions(doc, overlay.api_versions)
    version_notes, version_warnings = check_versions(overlay.api_version, versions)
    if not args.quiet:
        for line in report:
            print(f"repair: {line}")
        for line in version_notes:
            print(line)
    for line in version_warnings:
        print(f"warning: {line}", file=sys.stderr)
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
            api_versions=versions,
            method_names=overlay.method_names,
            template_globals={
                "union_rules": union_rules(doc, args.overlay, programs),
                "deprecations": for_templates(doc),
            },
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
        baseline = summary_path(output)
        run = review(
            sources=sources,
            fresh=fresh,
            summary=result.api,
            baseline=baseline,
            overlay=overlay,
            unmatched=unmatched,
            hand_written=args.hand_written,
        )
        breaking = [c for c in run.changes if c.breaking]
        if args.fail_on_breaking and breaking:
            return _refuse_breaking(run, args, len(breaking))
        if args.check:
            run.outcome = "checked"
            _tell(run, args)
            diff = differences(fresh, target) + _summary_differs(baseline, result.api)
            if diff:
                print(f"check: generated/{PACKAGE} differs from the script's output in {len(diff)} files:")
                for line in diff[:20]:
                    print(f"  {line}")
                if len(diff) > 20:
                    print(f"  ... and {len(diff) - 20} more")
                print("check: run `python scripts/generate.py` and commit the result")
                return 1
            print(f"check: generated/{PACKAGE} is up to date")
            return _refuse(run, args) if run.breaks_hand_written and not args.allow_breaking else 0
        typecheck(run, fresh, args.hand_written)
        run.total_seconds = time.perf_counter() - started
        if run.breaks_hand_written and not args.allow_breaking:
            return _refuse(run, args)
        run.outcome = "swapped" + (" although it breaks iqp_wrapper" if run.breaks_hand_written else "")
        _tell(run, args)
        swap_in(fresh, target)
        write_summary(baseline, result.api)
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _adopt(args: argparse.Namespace, started: float) -> int:
    """Write the new upstream document as ours, then regenerate from it; undo both if the
    regeneration refuses, so the tree never holds a document its generated/ does not match."""
    if not args.spec or args.check:
        raise InputError(
            "--adopt takes the new document as --spec (one or more fragments) and cannot --check"
        )
    document, merged = merge([(source, load_document(source)) for source in args.spec])
    for line in merged:
        print(f"repair: {line}")
    corrections_path: Path = args.corrections
    ours: Path = args.document
    old_corrections = corrections_path.read_text(encoding="utf-8")
    # Corrections are judged on the document as generation will see it: programs merged in.
    with_programs, _said = merge_programs(
        document, load_programs(load_overlay(args.overlay).program_schemas, OPENAPI)
    )
    _corrected, outcomes = apply_corrections(with_programs, load_corrections(corrections_path))
    retired = [line.split(":", 1)[0] for line in outcomes if "already true upstream" in line]
    new_text, old_text, lines = adopt_document(document, ours)
    ours.write_text(new_text, encoding="utf-8")
    corrections_path.write_text(retire_corrections(old_corrections, retired), encoding="utf-8")
    for line in lines + [
        f"adopt: correction {name} retired: the new document already says it" for name in retired
    ]:
        print(line)
    args.spec = None  # from here on, an ordinary run on our (new) document
    code = 1
    try:
        code = _run(args, started)
    finally:
        if code != 0:
            ours.write_text(old_text, encoding="utf-8")
            corrections_path.write_text(old_corrections, encoding="utf-8")
            print("adopt: undone; openapi/ is as it was", file=sys.stderr)
    return code


def _summary_differs(stored: Path, summary: dict[str, object]) -> list[str]:
    try:
        same = stored.read_text(encoding="utf-8") == dumps(summary)
    except OSError:
        same = False
    return [] if same else [f"differs: {stored.name} (the API summary beside the package)"]


def _tell(run: RunReport, args: argparse.Namespace) -> None:
    """Print the report (all of it, or its breaking lines when quiet) and write it if asked."""
    for line in run.console_lines():
        if not args.quiet or line.startswith(("breaks:", "typecheck:")) or "BREAKING" in line:
            print(line)
    if args.report:
        run.write(args.report)


def _refuse_breaking(run: RunReport, args: argparse.Namespace, n: int) -> int:
    run.outcome = "refused: breaking API changes (--fail-on-breaking)"
    _tell(run, args)
    print(
        f"error: the API has {count(n, 'breaking change')} (the BREAKING lines above); "
        "generated/ left as it was. Review them, then run without --fail-on-breaking to adopt",
        file=sys.stderr,
    )
    return EXIT_BREAKING


def _refuse(run: RunReport, args: argparse.Namespace) -> int:
    verb = "checked package breaks" if args.check else "new package would break"
    run.outcome = run.outcome or f"refused: the {verb} iqp_wrapper"
    if not args.check:
        _tell(run, args)
    print(
        f"error: the {verb} hand-written code ({count(len(run.broken), 'pinned name')} lost, "
        f"{count(len(run.typecheck_problems), 'type error')}); generated/ left as it was. "
        "Fix iqp_wrapper/ or the overlay, or pass --allow-breaking",
        file=sys.stderr,
    )
    return 1
