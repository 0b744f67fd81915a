"""Adopting a new upstream document: IBM's structure, our words, retired corrections, --check green."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.adopt import Words, adopt_document, carry_words, retire_corrections
from codegen.cli import main
from tests.conftest import ROOT
from tests.pipeline.synthetic import PINNED, base, tree_digest, write_doc, write_hand_written, write_overlay

OURS = ROOT / "openapi" / "qiskit-runtime-api.yaml"


def _without_words(node: Any, names: bool = False) -> Any:
    if isinstance(node, list):
        return [_without_words(item) for item in node]
    if not isinstance(node, dict):
        return node
    keep = {
        k: v for k, v in node.items() if names or k not in ("description", "summary", "example", "examples")
    }
    return {
        k: _without_words(v, k in ("properties", "schemas", "paths", "responses", "content"))
        for k, v in keep.items()
    }


def test_adopting_our_own_structure_gives_back_our_document_to_the_byte() -> None:
    """Our document with its words taken out stands for an upstream release that changed
    nothing: adopting it must reproduce our file exactly (words, order, YAML layout)."""
    structure = _without_words(yaml.safe_load(OURS.read_text(encoding="utf-8")))
    new_text, old_text, report = adopt_document(structure, OURS)
    assert new_text == old_text
    assert "places have no description of ours yet" not in " ".join(report)


def test_adopting_the_reference_keeps_all_our_words(reference: dict[str, Any]) -> None:
    """IBM's published structure (words removed) takes every word of ours it has a place for."""
    _new_text, _old_text, report = adopt_document(copy.deepcopy(reference), OURS)
    assert "places have no description of ours yet" not in " ".join(report)


def test_their_words_are_dropped_and_ours_kept_by_what_names_each_item() -> None:
    ours = {
        "parameters": [
            {"name": "b", "in": "query", "description": "our b"},
            {"name": "a", "in": "query", "description": "our a"},
        ],
        "properties": {"description": {"type": "string", "description": "our field"}},
    }
    theirs = {
        "parameters": [
            {"name": "a", "in": "query", "description": "their a", "example": 1},
            {"name": "c", "in": "query", "description": "their c"},
        ],
        "properties": {"description": {"type": "integer", "description": "their field"}},
    }
    words = Words()
    got = carry_words(theirs, ours, words)
    assert got == {
        "parameters": [
            {"name": "a", "in": "query", "description": "our a"},  # matched by name, not position
            {"name": "c", "in": "query"},
        ],
        # A property named "description" is data: kept; its own words are ours.
        "properties": {"description": {"type": "integer", "description": "our field"}},
    }
    assert words.missing == ["/parameters/1"]


CORRECTIONS = """# header comment
corrections:
  - id: size-is-integer
    why: sizes are integers on the wire
    target: /components/schemas/Thing/properties/size
    replace: {type: integer}
    evidence:
      - {file: x.json}

  - id: label-is-short
    why: labels are short
    target: /components/schemas/NewThing/properties/label
    merge: {maxLength: 64}
    evidence:
      - {file: y.json}
"""


def _worded(doc: dict[str, Any]) -> dict[str, Any]:
    doc["paths"]["/things/{id}"]["get"]["description"] = "Our words about reading a thing."
    doc["components"]["schemas"]["Thing"]["description"] = "Our thing."
    doc["components"]["schemas"]["Thing"]["properties"]["size"] = {
        "type": "number",
        "description": "Our size.",
    }
    return doc


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    paths = {
        "document": tmp_path / "openapi" / "api.yaml",
        "corrections": tmp_path / "openapi" / "corrections.yaml",
        "overlay": write_overlay(tmp_path / "overlay.yaml", pinned=PINNED),
        "hand_written": write_hand_written(tmp_path / "src"),
        "output": tmp_path / "generated",
    }
    paths["document"].parent.mkdir()
    paths["document"].write_text("# our document\n" + yaml.safe_dump(_worded(base()), sort_keys=False))
    paths["corrections"].write_text(CORRECTIONS)
    assert main(_options(paths, "--quiet")) == 0, capsys.readouterr()
    capsys.readouterr()
    return paths


def _options(paths: dict[str, Path], *more: str) -> list[str]:
    return [
        *(f"--{name.replace('_', '-')}={value}" for name, value in paths.items()),
        *more,
    ]


def test_adopt_writes_ours_retires_what_upstream_fixed_and_leaves_check_green(
    project: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = base()  # IBM's words, a new field, and size already an integer (the fix)
    upstream["paths"]["/things/{id}"]["get"]["description"] = "IBM's sentence, not ours."
    upstream["components"]["schemas"]["Thing"]["properties"]["colour"] = {
        "type": "string",
        "description": "IBM's.",
    }
    spec = write_doc(tmp_path / "upstream.json", upstream)
    code = main(_options(project, f"--spec={spec}", "--adopt"))
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "adopt: correction size-is-integer retired: the new document already says it" in out
    assert (
        "adopt: 1 places have no description of ours yet: /components/schemas/Thing/properties/colour" in out
    )
    written = project["document"].read_text(encoding="utf-8")
    assert written.startswith("# our document\n")
    assert "IBM" not in written
    adopted = yaml.safe_load(written)
    assert adopted["paths"]["/things/{id}"]["get"]["description"] == "Our words about reading a thing."
    thing = adopted["components"]["schemas"]["Thing"]
    assert thing["properties"]["colour"] == {"type": "string"}
    assert thing["properties"]["size"] == {"type": "integer", "description": "Our size."}
    corrections = project["corrections"].read_text(encoding="utf-8")
    assert "size-is-integer" not in corrections and "  - id: label-is-short\n" in corrections
    assert corrections.startswith("# header comment\ncorrections:\n  - id: label-is-short")
    # The tree is consistent: generated/ is what our (new) document gives.
    assert main(_options(project, "--check", "--quiet")) == 0, capsys.readouterr()


def test_a_refused_adoption_leaves_openapi_as_it_was(
    project: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = base()
    del upstream["paths"]["/things/{id}"]  # the hand-written package calls it: the swap is refused
    before = {name: project[name].read_text(encoding="utf-8") for name in ("document", "corrections")}
    generated = tree_digest(project["output"])
    code = main(_options(project, f"--spec={write_doc(tmp_path / 'gone.json', upstream)}", "--adopt"))
    _out, err = capsys.readouterr()
    assert code == 1
    assert "adopt: undone; openapi/ is as it was" in err
    assert {name: project[name].read_text(encoding="utf-8") for name in before} == before
    assert tree_digest(project["output"]) == generated


def test_retiring_keeps_every_other_line() -> None:
    assert (
        retire_corrections(CORRECTIONS, ["label-is-short"]) == CORRECTIONS.split("\n  - id: label")[0] + "\n"
    )
    assert retire_corrections(CORRECTIONS, []) == CORRECTIONS


def test_adopt_needs_a_document_and_no_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--adopt"]) == 2
    assert "--adopt takes the new document as --spec" in capsys.readouterr().err
