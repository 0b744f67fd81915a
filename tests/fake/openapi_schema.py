"""Validate HTTP answers against our OpenAPI 3.0 document with jsonschema.

OpenAPI 3.0 schemas are close to JSON Schema draft 4 (boolean ``exclusiveMinimum``,
``$ref`` replacing its siblings) with extras. Before validating, each schema is
converted: ``nullable: true`` becomes ``anyOf [schema, null]``; OpenAPI-only keywords
(``discriminator``, ``example``, ``x-*``...) are dropped; every ``$ref`` is made absolute
against one registry resource holding the whole document, so inline response schemas
resolve too. ``date-time`` and ``date`` formats are checked (RFC 3339 / ISO dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

BASE_URI = "urn:iqp-openapi"

_SCHEMA_VALUED = {"items", "not", "additionalProperties"}
_SCHEMA_LISTS = {"allOf", "anyOf", "oneOf"}
_SCHEMA_MAPS = {"properties", "patternProperties"}
_OPENAPI_ONLY = {
    "nullable",
    "discriminator",
    "example",
    "examples",
    "xml",
    "externalDocs",
    "readOnly",
    "writeOnly",
    "deprecated",
}
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def convert(schema: Any) -> Any:
    """An OpenAPI 3.0 schema object as a draft-4 JSON Schema."""
    if isinstance(schema, bool) or not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return {"$ref": BASE_URI + schema["$ref"]}
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _OPENAPI_ONLY or key.startswith("x-"):
            continue
        if key in _SCHEMA_VALUED:
            out[key] = [convert(item) for item in value] if isinstance(value, list) else convert(value)
        elif key in _SCHEMA_LISTS:
            out[key] = [convert(item) for item in value]
        elif key in _SCHEMA_MAPS:
            out[key] = {name: convert(item) for name, item in value.items()}
        else:
            out[key] = value
    if schema.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not _RFC3339.match(value):
            raise ValueError(f"not an RFC 3339 date-time: {value!r}")
        datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        return True

    @checker.checks("date", raises=ValueError)
    def _date(value: object) -> bool:
        if isinstance(value, str):
            date.fromisoformat(value)
        return True

    return checker


@dataclass(frozen=True)
class Declared:
    """What the document declares for one operation and status."""

    media_type: str | None  # None: no body
    schema: dict[str, Any] | None


class OpenAPIDocument:
    """Our OpenAPI document, ready to validate answers."""

    def __init__(self, source: Path | dict[str, Any]) -> None:
        # A path to the YAML document, or an already loaded (e.g. corrected) document.
        self.raw: dict[str, Any] = (
            source if isinstance(source, dict) else yaml.safe_load(source.read_text(encoding="utf-8"))
        )
        if not str(self.raw.get("openapi", "")).startswith("3.0"):
            raise ValueError("these conversions are for OpenAPI 3.0 documents")

    @cached_property
    def _registry(self) -> Registry[Any]:
        converted: dict[str, Any] = {"components": {"schemas": {}}}
        for name, schema in self.raw["components"]["schemas"].items():
            converted["components"]["schemas"][name] = convert(schema)
        resource = Resource.from_contents(converted, default_specification=DRAFT4)
        registry: Registry[Any] = Registry().with_resource(BASE_URI, resource)
        return registry

    @cached_property
    def _checker(self) -> jsonschema.FormatChecker:
        return _format_checker()

    def declared(self, path: str, method: str, status: int) -> Declared | None:
        """The declared answer of ``method path`` with ``status``, or None if undeclared."""
        operation = self.raw["paths"][path][method.lower()]
        response = operation["responses"].get(str(status))
        if response is None:
            return None
        content = response.get("content") or {}
        if not content:
            return Declared(None, None)
        (media_type, media), *_ = content.items()
        return Declared(media_type, media.get("schema"))

    def errors(self, schema: dict[str, Any], instance: Any) -> list[str]:
        """Why ``instance`` does not match ``schema`` (empty if it does)."""
        validator = jsonschema.Draft4Validator(
            convert(schema), registry=self._registry, format_checker=self._checker
        )
        return [
            f"{'/'.join(str(part) for part in error.absolute_path) or '<root>'}: {error.message[:300]}"
            for error in validator.iter_errors(instance)
        ]

    def component(self, name: str) -> dict[str, Any]:
        """A reference to a component schema, for validating against it."""
        return {"$ref": f"#/components/schemas/{name}"}
