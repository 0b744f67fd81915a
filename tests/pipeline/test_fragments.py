"""IBM's packaging: per-tag fragments merged from several --spec inputs, and what they lack."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main
from codegen.fragments import define_client_headers, merge
from codegen.versions_3x import upgrade
from codegen.walk import HTTP_METHODS
from tests.conftest import ROOT
from tests.pipeline.synthetic import base, plain_overlay, summary_of, tree_digest, write_doc


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def split_by_tag(reference: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The reference cut the way IBM publishes it: one document per tag, each carrying the
    components but not the IBM-API-Version parameter its operations reference."""
    components = copy.deepcopy(reference["components"])
    del components["parameters"]["IBM-API-Version"]
    fragments: dict[str, dict[str, Any]] = {}
    for path, item in reference["paths"].items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            tag = item[method].get("tags", ["untagged"])[0]
            fragment = fragments.setdefault(
                tag,
                {
                    "openapi": reference["openapi"],
                    "info": reference["info"],
                    "paths": {},
                    "components": components,
                },
            )
            fragment["paths"].setdefault(path, {})[method] = item[method]
            shared = {k: v for k, v in item.items() if k not in HTTP_METHODS}
            fragment["paths"][path].update(copy.deepcopy(shared))
    return fragments


@pytest.fixture
def generated_copy(tmp_path: Path) -> Path:
    copied = tmp_path / "generated"
    shutil.copytree(ROOT / "generated", copied, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    return copied


def test_fragments_merge_into_the_reference_api(
    reference: dict[str, Any], generated_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fragments = split_by_tag(reference)
    assert len(fragments) > 5
    specs: list[str] = []
    for tag, fragment in sorted(fragments.items()):
        specs += ["--spec", write_doc(tmp_path / f"{tag}.json", fragment)]
    code, out, err = run(capsys, *specs, "--output", str(generated_copy))
    assert code == 0, err
    assert (
        "repair: client headers: #/components/parameters/IBM-API-Version is referenced but not defined; "
        "defined as the client-level header IBM-API-Version"
    ) in out
    assert "operations 30/30" in out and "dropped 0, aliased 0, warnings 0" in out
    assert "api: no changes" in out


def test_one_fragment_alone_is_refused(
    reference: dict[str, Any], generated_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real one-operation fragment used to replace the whole client and exit 0."""
    fragment = split_by_tag(reference)["Versions"]
    spec = write_doc(tmp_path / "versions.json", fragment)
    before = tree_digest(generated_copy)
    code, out, err = run(capsys, "--spec", spec, "--output", str(generated_copy), "--quiet")
    assert code == 1
    assert "operations 1/1" in out
    assert "api: BREAKING operation removed: POST /v1/jobs (iqp_api.api.jobs.create_job)" in out
    # The helpers call the namespaces, so the type check names what the fragment breaks.
    assert any(line.startswith("breaks: iqp_wrapper/jobs/submit.py:") for line in out.splitlines())
    assert "generated/ left as it was" in err
    assert tree_digest(generated_copy) == before


def _two_fragments(tmp_path: Path, second: dict[str, Any]) -> list[str]:
    first = base()
    del first["paths"]["/things"]
    return ["--spec", write_doc(tmp_path / "a.json", first), "--spec", write_doc(tmp_path / "b.json", second)]


def test_conflicting_schema_names_both_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    second = base()
    del second["paths"]["/things/{id}"]
    second["components"]["schemas"]["Thing"]["properties"]["size"] = {"type": "string"}
    code, _out, err = run(capsys, *_two_fragments(tmp_path, second), "--output", str(tmp_path / "out"))
    assert code == 2
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert err == f"error: components/schemas/Thing is defined differently in {a} and in {b}; " + (
        "fragments may share a definition only if it is the same (wording aside)\n"
    )
    assert not (tmp_path / "out" / "iqp_api").exists()


def test_conflicting_operations_name_both_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    second = base()
    second["paths"]["/things/{id}"]["get"]["operationId"] = "readThing"
    code, _out, err = run(capsys, *_two_fragments(tmp_path, second), "--output", str(tmp_path / "out"))
    assert code == 2
    assert "paths /things/{id} get is defined differently in" in err
    assert str(tmp_path / "a.json") in err and str(tmp_path / "b.json") in err


def _size_nullable(doc: dict[str, Any], spelling: str) -> dict[str, Any]:
    """``Thing.size`` as a nullable integer of at least 1 (exclusive of 0), in 3.0's or 3.1's words."""
    size: dict[str, Any] = (
        {"type": "integer", "nullable": True, "minimum": 0, "exclusiveMinimum": True}
        if spelling == "3.0"
        else {"type": ["integer", "null"], "exclusiveMinimum": 0}
    )
    doc["components"]["schemas"]["Thing"]["properties"]["size"] = size
    return doc


def test_fragments_of_openapi_3_0_and_3_2_merge_when_they_say_the_same(tmp_path: Path) -> None:
    first = _size_nullable(base(), "3.0")
    first["openapi"] = "3.0.3"
    del first["paths"]["/things"]
    second = _size_nullable(base(), "3.1")
    second["openapi"] = "3.2.0"
    del second["paths"]["/things/{id}"]
    merged, notes = merge([("a.json", first), ("b.json", second)])
    assert notes == ["fragments: a.json: read OpenAPI 3.0.3 as 3.2.0: rewrote 1 nullable, 1 exclusive bounds"]
    assert merged["openapi"] == "3.2.0"
    assert set(merged["paths"]) == {"/things/{id}", "/things"}
    # What the generator makes of it: the 3.0 fragment's nullable field, in 3.1's words.
    fields = summary_of(merged, plain_overlay(tmp_path), tmp_path)["classes"]["Thing"]["fields"]
    assert fields["size"] == "int | None"


def test_3_0_fragments_are_rewritten_only_where_3_1_spells_it_differently() -> None:
    doc = base()
    doc["openapi"] = "3.0.3"
    thing = doc["components"]["schemas"]["Thing"]
    thing["properties"]["nullable"] = {"type": "boolean", "nullable": False}  # a field named "nullable"
    thing["properties"]["state"] = {"allOf": [{"$ref": "#/components/schemas/State"}], "nullable": True}
    thing["properties"]["kind"] = {"type": "string", "enum": ["a", "b"], "nullable": True}
    thing["properties"]["ratio"] = {"type": "number", "maximum": 1, "exclusiveMaximum": False}
    upgraded, notes = upgrade(doc, "3.1.0")
    props = upgraded["components"]["schemas"]["Thing"]["properties"]
    assert props["nullable"] == {"type": "boolean"}
    state = {"allOf": [{"$ref": "#/components/schemas/State"}]}
    assert props["state"] == {"anyOf": [state, {"type": "null"}]}
    assert props["kind"] == {"type": ["string", "null"], "enum": ["a", "b", None]}
    assert props["ratio"] == {"type": "number", "maximum": 1}
    assert notes == ["read OpenAPI 3.0.3 as 3.1.0: rewrote 2 nullable"]
    assert doc["components"]["schemas"]["Thing"]["properties"]["kind"]["nullable"] is True  # input untouched


def test_fragments_of_3_0_and_3_1_that_differ_after_the_rewrite_still_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _size_nullable(base(), "3.0")
    first["openapi"] = "3.0.3"
    del first["paths"]["/things"]
    second = base()  # 3.1.0, and there size is a plain integer: not the same schema
    del second["paths"]["/things/{id}"]
    a, b = write_doc(tmp_path / "a.json", first), write_doc(tmp_path / "b.json", second)
    code, _out, err = run(capsys, "--spec", a, "--spec", b, "--output", str(tmp_path / "out"))
    assert code == 2
    assert f"components/schemas/Thing is defined differently in {a} and in {b}" in err


def test_only_client_headers_are_defined_by_rule() -> None:
    doc = base()
    get = doc["paths"]["/things/{id}"]["get"]
    get["parameters"] += [
        {"$ref": "#/components/parameters/IBM-API-Version"},
        {"$ref": "#/components/parameters/X-Unknown"},
    ]
    report = define_client_headers(doc, ("IBM-API-Version", "Service-CRN"))
    assert report == [
        "client headers: #/components/parameters/IBM-API-Version is referenced but not defined; "
        "defined as the client-level header IBM-API-Version"
    ]
    assert set(doc["components"]["parameters"]) == {"IBM-API-Version"}
    assert doc["components"]["parameters"]["IBM-API-Version"]["in"] == "header"
    assert json.dumps(doc).count("X-Unknown") == 1  # still dangling: the generator will say so


def test_fragments_may_word_a_shared_schema_differently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    second = base()
    del second["paths"]["/things/{id}"]
    thing = second["components"]["schemas"]["Thing"]
    thing["description"] = "A thing, as the second fragment words it."
    thing["properties"]["size"]["example"] = 3
    out = tmp_path / "out"
    code, _out, err = run(capsys, *_two_fragments(tmp_path, second), "--output", str(out), "--allow-breaking")
    assert code == 0, err
    assert (out / "iqp_api" / "api" / "things" / "create_thing.py").is_file()
    assert (out / "iqp_api" / "api" / "things" / "get_thing.py").is_file()


def test_a_property_named_description_is_not_documentation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    second = base()
    del second["paths"]["/things/{id}"]
    second["components"]["schemas"]["Thing"]["properties"]["description"] = {"type": "string"}
    code, _out, err = run(capsys, *_two_fragments(tmp_path, second), "--output", str(tmp_path / "out"))
    assert code == 2
    assert "components/schemas/Thing is defined differently" in err
