"""The safe swap: a package that breaks hand-written code never replaces the one in place.

Synthetic cases use a small document, overlay and hand-written package of their own; the
last cases regenerate from the reference into a copy of generated/ and type-check the real
iqp_wrapper. None of them writes to the real generated/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main
from tests.conftest import ROOT
from tests.pipeline.synthetic import (
    PINNED,
    base,
    tree_digest,
    write_doc,
    write_hand_written,
    write_overlay,
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def things(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    """A synthetic project: overlay, hand-written package, and a first generated package."""
    paths = {
        "overlay": write_overlay(tmp_path / "overlay.yaml", pinned=PINNED),
        "hand_written": write_hand_written(tmp_path / "src"),
        "output": tmp_path / "generated",
        "report": tmp_path / "report.md",
    }
    code, out, err = run(capsys, *options(paths, write_doc(tmp_path / "base.json", base())))
    assert code == 0, out + err
    assert "typecheck: hand-written code against the new package: ok" in out
    return paths


def options(paths: dict[str, Path], spec: str, *more: str) -> list[str]:
    return [
        "--spec",
        spec,
        "--overlay",
        str(paths["overlay"]),
        "--hand-written",
        str(paths["hand_written"]),
        "--output",
        str(paths["output"]),
        "--report",
        str(paths["report"]),
        *more,
    ]


def report_json(paths: dict[str, Path]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(paths["report"].with_suffix(".json").read_text(encoding="utf-8"))
    return loaded


def test_removed_operation_in_use_stops_the_swap(
    things: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = base()
    del doc["paths"]["/things/{id}"]
    before = tree_digest(things["output"])
    code, out, err = run(capsys, *options(things, write_doc(tmp_path / "gone.json", doc)))
    assert code == 1
    assert "generated/ left as it was" in err
    assert tree_digest(things["output"]) == before
    assert "api: BREAKING operation removed: GET /things/{id} (iqp_api.api.things.get_thing)" in out
    place = "thingkit/__init__.py:3"
    assert "breaks: iqp_api.api.things.get_thing: operation removed: GET /things/{id}" in out
    assert f"used at {place}" in out
    # mypy names the same place.
    assert f'breaks: {place}: Module "iqp_api.api.things" has no attribute "get_thing"' in out
    data = report_json(things)
    assert data["outcome"].startswith("refused")
    assert data["hand_written_breakage"] == [
        {
            "name": "iqp_api.api.things.get_thing",
            "causes": ["operation removed: GET /things/{id} (iqp_api.api.things.get_thing)"],
            "places": [place],
        }
    ]
    assert "## What the hand-written code loses" in things["report"].read_text(encoding="utf-8")


def test_renamed_operation_in_use_stops_the_swap(
    things: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = base()
    doc["paths"]["/things/{id}"]["get"]["operationId"] = "fetchThing"
    before = tree_digest(things["output"])
    code, out, _err = run(capsys, *options(things, write_doc(tmp_path / "renamed.json", doc)))
    assert code == 1
    assert tree_digest(things["output"]) == before
    assert "breaks: iqp_api.api.things.get_thing: operation renamed: GET /things/{id} " in out
    assert "iqp_api.api.things.get_thing -> iqp_api.api.things.fetch_thing" in out


def test_type_change_in_use_stops_the_swap_without_a_lost_name(
    things: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No pinned name is lost; only the type check sees that ``thing.size + 1`` breaks."""
    doc = base()
    doc["components"]["schemas"]["Thing"]["properties"]["size"] = {"type": "string"}
    before = tree_digest(things["output"])
    code, out, _err = run(capsys, *options(things, write_doc(tmp_path / "retyped.json", doc)))
    assert code == 1
    assert tree_digest(things["output"]) == before
    assert "api: BREAKING field retyped: Thing.size (int -> str)" in out
    assert "breaks: iqp_api" not in out  # every pinned name is still there
    assert "breaks: thingkit/__init__.py:" in out


def test_allow_breaking_swaps_and_says_so(
    things: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = base()
    del doc["paths"]["/things/{id}"]
    code, out, _err = run(
        capsys, *options(things, write_doc(tmp_path / "gone.json", doc), "--allow-breaking")
    )
    assert code == 0
    assert not (things["output"] / "iqp_api" / "api" / "things" / "get_thing.py").exists()
    assert report_json(things)["outcome"] == "swapped although it breaks iqp_wrapper"
    # The stored summary now describes the new package: the same document again is no change.
    code, out, _err = run(capsys, *options(things, str(tmp_path / "gone.json"), "--allow-breaking"))
    assert code == 0
    assert "api: no changes" in out


def test_change_that_breaks_nothing_in_use_swaps(
    things: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = base()
    del doc["paths"]["/things"]  # createThing: hand-written code does not use it
    doc["components"]["schemas"]["State"]["enum"].append("lost")
    code, out, _err = run(capsys, *options(things, write_doc(tmp_path / "smaller.json", doc)))
    assert code == 0, out
    assert "api: BREAKING operation removed: POST /things (iqp_api.api.things.create_thing)" in out
    assert "api: enum value added: State ('lost')" in out
    assert "typecheck: hand-written code against the new package: ok" in out
    markdown = things["report"].read_text(encoding="utf-8")
    assert "### Breaking\n\n- operation removed: POST /things" in markdown
    assert "### Other\n\n- enum value added: State ('lost')" in markdown


def test_check_mode_reports_without_type_checking(
    things: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = base()
    doc["components"]["schemas"]["Thing"]["properties"]["colour"] = {"type": "string"}
    code, out, _err = run(capsys, *options(things, write_doc(tmp_path / "more.json", doc), "--check"))
    assert code == 1
    assert "api: field added: Thing.colour (str, optional)" in out
    assert "differs: api-summary.json" in out
    assert "typecheck:" not in out


# The reference with one operation removed, against the real iqp_wrapper.


@pytest.fixture
def generated_copy(tmp_path: Path) -> Path:
    """A copy of the committed generated/ (package and API summary) to run against."""
    copy = tmp_path / "generated"
    shutil.copytree(ROOT / "generated", copy, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    return copy


def test_reference_gives_an_empty_change_report(
    reference_path: Path, generated_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.md"
    code, out, err = run(
        capsys, "--spec", str(reference_path), "--output", str(generated_copy), "--report", str(report)
    )
    assert code == 0, err
    assert "api: no changes" in out
    assert "typecheck: hand-written code against the new package: ok" in out
    data = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    assert data["changes"] == [] and data["hand_written_breakage"] == [] and data["overlay_unmatched"] == []
    assert data["typecheck"]["problems"] == []


def test_reference_without_an_operation_the_wrapper_uses_is_refused(
    reference: dict[str, Any], generated_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(json.dumps(reference))
    del doc["paths"]["/v1/jobs/{id}"]["get"]
    spec = write_doc(tmp_path / "no-get-job.json", doc)
    real = tree_digest(ROOT / "generated")
    before = tree_digest(generated_copy)
    report = tmp_path / "report.md"
    code, out, err = run(capsys, "--spec", spec, "--output", str(generated_copy), "--report", str(report))
    assert code == 1
    assert "generated/ left as it was" in err
    assert tree_digest(generated_copy) == before
    assert tree_digest(ROOT / "generated") == real
    assert "api: BREAKING operation removed: GET /v1/jobs/{id} (iqp_api.api.jobs.get_job)" in out
    data = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    # The wrapper reaches GET /v1/jobs/{id} through the namespace method (jobs.get), not by
    # importing get_job: the type check finds every caller of the method instead.
    problems = data["typecheck"]["problems"]
    assert any(p.startswith("iqp_wrapper/jobs/waiting.py:") and '"get"' in p for p in problems), problems
    assert any(p.startswith("iqp_wrapper/cli/jobs.py:") and '"get"' in p for p in problems), problems
    assert data["overlay_unmatched"] == ["function_names: get_job matches no operationId in the document"]


def _without_unused_operation(tmp_path: Path) -> str:
    """The document without POST /things, which the hand-written package never calls."""
    doc = base()
    del doc["paths"]["/things"]
    del doc["components"]["schemas"]["NewThing"]
    return write_doc(tmp_path / "unused-gone.json", doc)


def test_breaking_removal_nobody_uses_swaps_without_the_flag(
    things: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, *options(things, _without_unused_operation(tmp_path)))
    assert code == 0
    assert "api: BREAKING operation removed: POST /things (iqp_api.api.things.create_thing)" in out
    assert not (things["output"] / "iqp_api" / "api" / "things" / "create_thing.py").exists()


@pytest.mark.parametrize("mode", [(), ("--check",)], ids=["swap", "check"])
def test_fail_on_breaking_refuses_any_breaking_change(
    things: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: tuple[str, ...]
) -> None:
    before = tree_digest(things["output"])
    spec = _without_unused_operation(tmp_path)
    code, out, err = run(capsys, *options(things, spec, "--fail-on-breaking", *mode))
    assert code == 3
    assert tree_digest(things["output"]) == before
    assert "api: BREAKING operation removed: POST /things (iqp_api.api.things.create_thing)" in out
    assert "error: the API has 2 breaking changes" in err  # the operation and its body class
    assert report_json(things)["outcome"] == "refused: breaking API changes (--fail-on-breaking)"


def test_fail_on_breaking_lets_additions_through(
    things: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = base()
    doc["components"]["schemas"]["Thing"]["properties"]["colour"] = {"type": "string"}
    code, out, err = run(
        capsys, *options(things, write_doc(tmp_path / "more.json", doc), "--fail-on-breaking")
    )
    assert code == 0, err
    assert "api: field added: Thing.colour" in out
