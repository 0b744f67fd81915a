"""The API a generated package exposes, as plain data that can be stored and compared.

The summary is taken from the generator's own model of the package (function modules,
arguments, classes, fields, enum values, with their Python types), so it describes what
users and ``iqp_wrapper`` see, not the wording of the document. It is written beside the
package as ``generated/api-summary.json`` by the pipeline itself, and the next run compares
the document it reads against it (``changes``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.properties import EnumProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol

from .deprecations import deprecations
from .version_shapes import by_operation
from .walk import operations

FORMAT = 1
FILE_NAME = "api-summary.json"
# Where programs.py leaves the program versions (package, params and result class of each).
PROGRAMS_KEY = "x-program-schemas"

Summary = dict[str, Any]


def summarize(data: GeneratorData, doc: dict[str, Any], package: str) -> Summary:
    """What ``data`` generates: operations keyed by ``METHOD path``, classes by name."""
    upstream = {
        (method.upper(), path): str(op.get("x-upstream-operation-id") or op.get("operationId") or "")
        for path, method, op in operations(doc)
    }
    marked = deprecations(doc)
    shaped = by_operation(doc)
    ops: dict[str, Any] = {}
    for tag, collection in data.endpoint_collections_by_tag.items():
        for endpoint in collection.endpoints:
            method, path = endpoint.method.upper(), _text(endpoint.path)
            params = (
                endpoint.path_parameters
                + endpoint.query_parameters
                + endpoint.header_parameters
                + endpoint.cookie_parameters
            )
            ops[f"{method} {path}"] = {
                "function": f"{package}.api.{tag}.{endpoint.name}",
                "operation_id": upstream.get((method, path), ""),
                "parameters": {p.python_name: _type(p) for p in params},
                "required": sorted(p.python_name for p in params if p.required),
                "body": {_text(b.content_type): _type(b.prop) for b in endpoint.bodies},
                "responses": {_text(r.status_code.pattern): _type(r.prop) for r in endpoint.responses},
            }
            # Recorded only where the document says so: older summaries stay comparable.
            if f"{method} {path}" in shaped:
                ops[f"{method} {path}"]["version_shapes"] = shaped[f"{method} {path}"]
            if f"{method} {path}" in marked["operations"]:
                ops[f"{method} {path}"]["deprecated"] = True
            old_params = marked["parameters"].get(f"{method} {path}", [])
            if old_params:
                names = sorted(p.python_name for p in params if p.name in old_params)
                ops[f"{method} {path}"]["deprecated_parameters"] = names
    classes: dict[str, Any] = {}
    for model in data.models:
        fields = (model.required_properties or []) + (model.optional_properties or [])
        name = model.class_info.name
        classes[name] = {
            "module": f"{package}.models.{model.class_info.module_name}",
            "fields": {p.python_name: _type(p) for p in fields},
            "required": sorted(p.python_name for p in fields if p.required),
        }
        if name in marked["schemas"]:
            classes[name]["deprecated"] = True
        old_fields = sorted(p.python_name for p in fields if p.name in marked["properties"].get(name, []))
        if old_fields:
            classes[name]["deprecated_fields"] = old_fields
    for enum in data.enums:
        values = enum.values if isinstance(enum, EnumProperty) else {}
        classes[enum.class_info.name] = {
            "module": f"{package}.models.{enum.class_info.module_name}",
            "values": sorted(str(v) for v in values.values()),
        }
    summary: Summary = {"format": FORMAT, "operations": _sorted(ops), "classes": _sorted(classes)}
    programs = doc.get(PROGRAMS_KEY)
    if isinstance(programs, dict):
        summary["programs"] = programs
    return summary


def _text(value: Any) -> str:
    """The plain text of the generator's wrapped strings."""
    getter = getattr(value, "get_untrusted_value", None)
    return str(getter() if getter else value)


def _type(prop: PropertyProtocol) -> str:
    return prop.get_type_string(no_optional=True).as_unembedded_code()


def _sorted(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: mapping[key] for key in sorted(mapping)}


def summary_path(output: Path) -> Path:
    """Where the summary of the package in ``output`` (the ``generated/`` folder) lives."""
    return output / FILE_NAME


def dumps(summary: Summary) -> str:
    return json.dumps(summary, indent=1, sort_keys=True) + "\n"


def load_summary(path: Path) -> Summary | None:
    """The stored summary, or None when there is none or it is not one we can read."""
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(loaded, dict) or loaded.get("format") != FORMAT:
        return None
    return loaded


def write_summary(path: Path, summary: Summary) -> None:
    """Write atomically: a half-written summary would make the next report lie."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(dumps(summary), encoding="utf-8")
    os.replace(partial, path)
