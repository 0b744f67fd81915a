"""What the document marks ``deprecated: true``, in the form the templates and the summary read.

OpenAPI can mark operations, parameters, schemas and properties deprecated; the generator
ignores the flag entirely, so the pipeline carries it itself:
- the templates (jinja global ``deprecations``) put a notice in the docstrings, make a
  call of a deprecated operation (or with a deprecated argument) warn, make reading a
  deprecated field warn, and mark resource methods for type checkers (PEP 702);
- the API summary records it, so the change report lists what became deprecated.
Operations and their parameters are keyed ``"METHOD path"`` as in the summary; schemas by
their component name, which is what the generator names classes after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .walk import operations


@dataclass(frozen=True)
class Deprecations:
    """What the templates ask: is this endpoint, parameter, schema or field deprecated?"""

    operations: frozenset[str] = frozenset()
    parameters: dict[str, list[str]] = field(default_factory=dict)
    schemas: frozenset[str] = frozenset()
    properties: dict[str, list[str]] = field(default_factory=dict)

    @staticmethod
    def key(endpoint: Any) -> str:
        """``"METHOD path"`` of a generator endpoint (its strings are wrapped; unwrap them)."""
        path = endpoint.path
        path = path.get_untrusted_value() if hasattr(path, "get_untrusted_value") else str(path)
        return f"{str(endpoint.method).upper()} {path}"

    def operation(self, endpoint: Any) -> bool:
        return self.key(endpoint) in self.operations

    def parameters_of(self, endpoint: Any) -> list[Any]:
        """The endpoint's parameters (generator objects) that the document marks deprecated."""
        names = self.parameters.get(self.key(endpoint), [])
        return [p for p in endpoint.list_all_parameters() if p.name in names]


def for_templates(doc: dict[str, Any]) -> Deprecations:
    found = deprecations(doc)
    return Deprecations(
        operations=frozenset(found["operations"]),
        parameters=found["parameters"],
        schemas=frozenset(found["schemas"]),
        properties=found["properties"],
    )


def deprecations(doc: dict[str, Any]) -> dict[str, Any]:
    """``{"operations": {key}, "parameters": {key: {wire name}}, "schemas": {...}, "properties": {...}}``."""
    shared = (doc.get("components") or {}).get("parameters") or {}
    found_ops: list[str] = []
    found_params: dict[str, list[str]] = {}
    for path, method, op in operations(doc):
        key = f"{method.upper()} {path}"
        if op.get("deprecated") is True:
            found_ops.append(key)
        item = (doc.get("paths") or {}).get(path) or {}
        for param in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            param = _resolve(param, shared)
            if param.get("deprecated") is True and isinstance(param.get("name"), str):
                found_params.setdefault(key, []).append(param["name"])
    schemas = (doc.get("components") or {}).get("schemas") or {}
    found_schemas = sorted(
        name for name, s in schemas.items() if isinstance(s, dict) and s.get("deprecated") is True
    )
    found_props = {
        name: sorted(prop for prop, sub in (s.get("properties") or {}).items() if _deprecated_schema(sub))
        for name, s in schemas.items()
        if isinstance(s, dict)
    }
    return {
        "operations": sorted(found_ops),
        "parameters": {k: sorted(v) for k, v in sorted(found_params.items())},
        "schemas": found_schemas,
        "properties": {k: v for k, v in sorted(found_props.items()) if v},
    }


def _resolve(param: Any, shared: dict[str, Any]) -> dict[str, Any]:
    if isinstance(param, dict) and isinstance(param.get("$ref"), str):
        param = shared.get(param["$ref"].rsplit("/", 1)[-1])
    return param if isinstance(param, dict) else {}


def _deprecated_schema(schema: Any) -> bool:
    """A property is deprecated when its schema says so, also from inside an allOf wrapper
    (where the normaliser moves keywords that stood beside a ``$ref``)."""
    if not isinstance(schema, dict):
        return False
    if schema.get("deprecated") is True:
        return True
    return any(
        isinstance(part, dict) and part.get("deprecated") is True for part in schema.get("allOf") or []
    )
