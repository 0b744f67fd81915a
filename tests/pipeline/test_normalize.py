"""Each repair rule on small documents whose names appear nowhere in the Runtime API.

The rules must decide by the shape of a document, so that the next upstream version, with
new schema names, is repaired the same way.
"""

from __future__ import annotations

from typing import Any

from codegen.normalize import normalize, python_name
from codegen.overlay import Overlay

OVERLAY = Overlay(api_version="2026-04-15", client_headers=("X-Api-Rev",), function_names={})


def document(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def test_shared_titles_are_dropped_so_names_come_from_keys() -> None:
    doc, report = normalize(
        document({"AlphaV1Opts": {"title": "Opts", "type": "object"}, "AlphaV2Opts": {"title": "Opts"}}),
        OVERLAY,
    )
    assert all("title" not in s for s in doc["components"]["schemas"].values())
    assert report == ["titles: 2 schema titles dropped (1 shared by several schemas); names come from keys"]


def test_property_named_title_is_kept() -> None:
    doc, _ = normalize(
        document({"Book": {"type": "object", "properties": {"title": {"type": "string"}}}}), OVERLAY
    )
    assert "title" in doc["components"]["schemas"]["Book"]["properties"]


def test_array_without_items_gets_any_items() -> None:
    doc, report = normalize(
        document(
            {
                "Grid": {
                    "type": "object",
                    "properties": {"cells": {"type": "array", "items": {"type": "array"}}},
                }
            }
        ),
        OVERLAY,
    )
    assert doc["components"]["schemas"]["Grid"]["properties"]["cells"]["items"]["items"] == {}
    assert len(report) == 1 and report[0].startswith(
        "array items: /components/schemas/Grid/properties/cells/items"
    )


def test_recursive_union_is_cut_at_the_recursion() -> None:
    tree = {
        "anyOf": [
            {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
            {"type": "string"},
        ]
    }
    doc, report = normalize(document({"Tree": tree}), OVERLAY)
    assert doc["components"]["schemas"]["Tree"]["anyOf"][0]["items"] == {}
    assert any(
        line.startswith("recursive union: /components/schemas/Tree: 1 self-references") for line in report
    )


def test_allof_ref_with_own_properties_keeps_them() -> None:
    schemas = {
        "Base": {"type": "object", "properties": {"a": {"type": "string"}}},
        "Child": {
            "allOf": [{"$ref": "#/components/schemas/Base"}],
            "type": "object",
            "properties": {"b": {"type": "integer"}},
            "required": ["b"],
        },
    }
    doc, report = normalize(document(schemas), OVERLAY)
    child = doc["components"]["schemas"]["Child"]
    assert child["allOf"][1] == {
        "type": "object",
        "properties": {"b": {"type": "integer"}},
        "required": ["b"],
    }
    assert "properties" not in child
    assert any(line.startswith("allOf siblings: /components/schemas/Child") for line in report)


def test_enum_default_outside_enum_is_dropped() -> None:
    param = {
        "name": "view",
        "in": "query",
        "schema": {"type": "string", "enum": ["full"], "default": ""},
    }
    paths = {
        "/x": {
            "get": {
                "operationId": "getX",
                "parameters": [param],
                "responses": {"200": {"description": "OK"}},
            }
        }
    }
    doc, report = normalize(document({}, paths), OVERLAY)
    assert "default" not in doc["paths"]["/x"]["get"]["parameters"][0]["schema"]
    assert any(line.startswith("enum default: ") for line in report)


def test_number_parameter_with_whole_bounds_becomes_integer() -> None:
    params = [
        {
            "name": "size",
            "in": "query",
            "schema": {"type": "number", "minimum": 1, "maximum": 50, "default": 10},
        },
        {
            "name": "ratio",
            "in": "query",
            "schema": {"type": "number", "minimum": 0, "maximum": 0.5},
        },
        {
            "name": "weight",
            "in": "query",
            "schema": {"type": "number", "format": "double", "minimum": 1},
        },
    ]
    paths = {
        "/x": {
            "get": {
                "operationId": "getX",
                "parameters": params,
                "responses": {"200": {"description": "OK"}},
            }
        }
    }
    doc, _ = normalize(document({}, paths), OVERLAY)
    types = [p["schema"]["type"] for p in doc["paths"]["/x"]["get"]["parameters"]]
    assert types == ["integer", "number", "number"]


def test_client_headers_leave_every_operation() -> None:
    shared = {"Rev": {"name": "X-Api-Rev", "in": "header", "schema": {"type": "string"}}}
    own = {"name": "x-api-rev", "in": "header", "schema": {"type": "string"}}
    keep = {"name": "Parent-Id", "in": "header", "schema": {"type": "string"}}
    paths = {
        "/x": {
            "parameters": [{"$ref": "#/components/parameters/Rev"}],
            "get": {
                "operationId": "getX",
                "parameters": [own, keep],
                "responses": {"200": {"description": "OK"}},
            },
        }
    }
    doc = document({}, paths)
    doc["components"]["parameters"] = shared
    out, report = normalize(doc, OVERLAY)
    assert "parameters" not in out["paths"]["/x"]
    assert out["paths"]["/x"]["get"]["parameters"] == [keep]
    assert out["components"]["parameters"] == {}
    assert report[0] == "client headers: X-Api-Rev removed from 2 parameter lists (set once per client)"


def test_operation_names_from_overlay_then_by_rule() -> None:
    paths = {
        "/a": {"get": {"operationId": "fetch_widget_jid", "responses": {"200": {"description": "OK"}}}},
        "/b": {"get": {"operationId": "listGadgets", "responses": {"200": {"description": "OK"}}}},
    }
    overlay = Overlay(
        api_version="2026-04-15", client_headers=(), function_names={"listGadgets": "list_gadgets"}
    )
    doc, report = normalize(document({}, paths), overlay)
    assert doc["paths"]["/a"]["get"]["operationId"] == "fetch_widget"
    assert doc["paths"]["/b"]["get"]["operationId"] == "list_gadgets"
    assert doc["paths"]["/a"]["get"]["x-upstream-operation-id"] == "fetch_widget_jid"
    assert "names: fetch_widget_jid is not in the overlay; named fetch_widget by rule" in report


def test_python_name_rule() -> None:
    assert python_name("getJobLogs") == "get_job_logs"
    assert python_name("cancel_job_jid") == "cancel_job"
    assert python_name("list-things") == "list_things"


def test_closed_objects_are_opened_and_bodies_required() -> None:
    paths = {
        "/x": {
            "post": {
                "operationId": "makeX",
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}
                },
                "responses": {"200": {"description": "OK"}},
            }
        }
    }
    doc, report = normalize(
        document({"In": {"type": "object", "additionalProperties": False}}, paths), OVERLAY
    )
    assert "additionalProperties" not in doc["components"]["schemas"]["In"]
    assert doc["paths"]["/x"]["post"]["requestBody"]["required"] is True
    assert "open objects: 1 closed objects opened so unknown fields are kept" in report


def test_ambiguous_unions_are_reported() -> None:
    schemas = {
        "Cat": {"type": "object", "properties": {"purr": {"type": "boolean"}}},
        "Dog": {"type": "object", "properties": {"bark": {"type": "boolean"}}},
        "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]},
        "Tagged": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind"},
        },
    }
    _, report = normalize(document(schemas), OVERLAY)
    assert "union: /components/schemas/Pet: 2 object variants, no discriminator; parsed by best fit" in report
    assert not any("Tagged" in line for line in report)


def test_described_refs_keep_their_description() -> None:
    schemas = {
        "Leaf": {"type": "object"},
        "Holder": {
            "type": "object",
            "properties": {"leaf": {"$ref": "#/components/schemas/Leaf", "description": "d"}},
        },
    }
    doc, _ = normalize(document(schemas), OVERLAY)
    assert doc["components"]["schemas"]["Holder"]["properties"]["leaf"] == {
        "description": "d",
        "allOf": [{"$ref": "#/components/schemas/Leaf"}],
    }


def test_input_document_is_not_modified() -> None:
    original = document({"A": {"title": "x", "type": "array"}})
    snapshot = repr(original)
    normalize(original, OVERLAY)
    assert repr(original) == snapshot


def test_an_object_default_on_a_model_field_is_dropped_and_a_scalar_one_kept() -> None:
    doc, report = normalize(
        document(
            {
                "Knobs": {"type": "object", "properties": {"turns": {"type": "integer"}}},
                "Panel": {
                    "type": "object",
                    "properties": {
                        "knobs": {"$ref": "#/components/schemas/Knobs", "default": {"turns": 3}},
                        "label": {"type": "string", "default": "main"},
                    },
                },
            }
        ),
        OVERLAY,
    )
    panel = doc["components"]["schemas"]["Panel"]["properties"]
    assert all("default" not in part for part in panel["knobs"].get("allOf", [panel["knobs"]]))
    assert "default" not in panel["knobs"]
    assert panel["label"]["default"] == "main"
    dropped = "model default: /components/schemas/Panel/properties/knobs"
    assert any(line.startswith(dropped) for line in report)
