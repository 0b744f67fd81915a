"""The API change report on synthetic documents: one kind of change at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.changes import Change, compare
from codegen.overlay import load_overlay
from tests.pipeline.synthetic import base, plain_overlay, summary_of, write_overlay


def changes(tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> list[Change]:
    overlay = plain_overlay(tmp_path)
    before = summary_of(base(), overlay, tmp_path)
    doc = base()
    mutate(doc)
    return compare(before, summary_of(doc, overlay, tmp_path))


def lines(found: list[Change]) -> list[str]:
    return [("BREAKING " if c.breaking else "") + c.line() for c in found]


def test_same_document_no_changes(tmp_path: Path) -> None:
    assert changes(tmp_path, lambda doc: None) == []


def _thing(doc: dict[str, Any]) -> dict[str, Any]:
    thing: dict[str, Any] = doc["components"]["schemas"]["Thing"]
    return thing


def _get(doc: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = doc["paths"]["/things/{id}"]["get"]
    return op


CASES: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "operation removed": (
        lambda d: d["paths"].pop("/things"),
        ["BREAKING operation removed: POST /things (iqp_api.api.things.create_thing)"],
    ),
    "operation added": (
        lambda d: d["paths"]["/things/{id}"].update(delete=dict(_get(d), operationId="dropThing")),
        ["operation added: DELETE /things/{id} (iqp_api.api.things.drop_thing)"],
    ),
    "operation renamed": (
        lambda d: _get(d).update(operationId="fetchThing"),
        [
            "BREAKING operation renamed: GET /things/{id} (iqp_api.api.things.get_thing -> "
            "iqp_api.api.things.fetch_thing; operationId getThing -> fetchThing)"
        ],
    ),
    "parameter added, optional": (
        lambda d: _get(d)["parameters"].append(
            {"name": "depth", "in": "query", "schema": {"type": "integer"}}
        ),
        ["parameter added: GET /things/{id} (iqp_api.api.things.get_thing).depth (int, optional)"],
    ),
    "parameter removed": (
        lambda d: _get(d)["parameters"].pop(1),
        ["BREAKING parameter removed: GET /things/{id} (iqp_api.api.things.get_thing).verbose (bool)"],
    ),
    "parameter retyped": (
        lambda d: _get(d)["parameters"][1].update(schema={"type": "string"}),
        ["BREAKING parameter retyped: GET /things/{id} (iqp_api.api.things.get_thing).verbose (bool -> str)"],
    ),
    "parameter made required": (
        lambda d: _get(d)["parameters"][1].update(required=True),
        [
            "BREAKING parameter made required: GET /things/{id} (iqp_api.api.things.get_thing).verbose",
        ],
    ),
    "field added": (
        lambda d: _thing(d)["properties"].update(colour={"type": "string"}),
        ["field added: Thing.colour (str, optional)"],
    ),
    "field removed": (
        lambda d: _thing(d)["properties"].pop("size"),
        ["BREAKING field removed: Thing.size (int)"],
    ),
    "field retyped": (
        lambda d: _thing(d)["properties"]["size"].update(type="number"),
        ["BREAKING field retyped: Thing.size (int -> float)"],
    ),
    "field made required": (
        lambda d: _thing(d)["required"].append("size"),
        [
            "BREAKING field made required: Thing.size",
        ],
    ),
    "enum values": (
        lambda d: d["components"]["schemas"]["State"].update(enum=["open", "archived"]),
        ["BREAKING enum value removed: State ('closed')", "enum value added: State ('archived')"],
    ),
    "response schema made inline": (
        lambda d: _get(d)["responses"]["200"]["content"]["application/json"].update(schema=_thing(d)),
        [
            # The inline schema's class is named after the operation; Thing stays (POST uses it).
            "BREAKING response retyped: GET /things/{id} (iqp_api.api.things.get_thing) 200 "
            "(Thing -> GetThingResponse200)",
            "class added: GetThingResponse200 (iqp_api.models.get_thing_response_200)",
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_of_change_is_reported(case: str, tmp_path: Path) -> None:
    mutate, expected = CASES[case]
    assert lines(changes(tmp_path, mutate)) == expected


def test_a_class_renamed_keeps_types_that_name_it_equal(tmp_path: Path) -> None:
    def rename_state(doc: dict[str, Any]) -> None:
        schemas = doc["components"]["schemas"]
        schemas["Status"] = schemas.pop("State")
        _thing(doc)["properties"]["state"] = {"$ref": "#/components/schemas/Status"}

    found = lines(changes(tmp_path, rename_state))
    assert found == ["BREAKING class renamed: State (State -> Status, now iqp_api.models.status.Status)"]


def test_overlay_renamed_function_is_a_rename(tmp_path: Path) -> None:
    overlay = plain_overlay(tmp_path)
    before = summary_of(base(), overlay, tmp_path)
    renamed = load_overlay(write_overlay(tmp_path / "o2.yaml", pinned=[], names={"getThing": "read_thing"}))
    after = summary_of(base(), renamed, tmp_path)
    assert lines(compare(before, after)) == [
        "BREAKING operation renamed: GET /things/{id} "
        "(iqp_api.api.things.get_thing -> iqp_api.api.things.read_thing)"
    ]


def test_a_response_made_inline_renames_its_class(tmp_path: Path) -> None:
    """The case that broke the wrapper's types silently: same fields, a new class name."""

    def only_get_returns_thing(doc: dict[str, Any]) -> None:
        created = doc["paths"]["/things"]["post"]["responses"]["201"]["content"]["application/json"]
        created["schema"] = {"$ref": "#/components/schemas/NewThing"}

    overlay = plain_overlay(tmp_path)
    before_doc = base()
    only_get_returns_thing(before_doc)
    after_doc = base()
    only_get_returns_thing(after_doc)
    schemas = after_doc["components"]["schemas"]
    _get(after_doc)["responses"]["200"]["content"]["application/json"]["schema"] = schemas.pop("Thing")
    found = compare(summary_of(before_doc, overlay, tmp_path), summary_of(after_doc, overlay, tmp_path))
    assert lines(found) == [
        "BREAKING class renamed: Thing (Thing -> GetThingResponse200, "
        "now iqp_api.models.get_thing_response_200.GetThingResponse200)"
    ]
    assert found[0].python == "iqp_api.models.thing.Thing"
