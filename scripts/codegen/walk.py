"""Finding every schema object in an OpenAPI document, with its JSON pointer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_SINGLES = ("items", "not", "additionalProperties")

Schema = dict[str, Any]


# Keywords whose values map names (of properties, media types, paths...) to objects: under
# them, a key such as "description" or "nullable" is a name, never the keyword.
NAME_MAPS = frozenset(
    {"properties", "patternProperties", "schemas", "parameters", "responses", "content", "headers", "paths"}
)


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield (path, method, operation) for every operation."""
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield path, method, op


def schema_roots(doc: dict[str, Any]) -> Iterator[tuple[str, Schema]]:
    """Yield every top-level schema: components, parameters, bodies and responses."""
    components = doc.get("components") or {}
    for name, schema in (components.get("schemas") or {}).items():
        if isinstance(schema, dict):
            yield f"/components/schemas/{escape(name)}", schema
    for name, param in (components.get("parameters") or {}).items():
        if isinstance(param, dict) and isinstance(param.get("schema"), dict):
            yield f"/components/parameters/{escape(name)}/schema", param["schema"]
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        base = f"/paths/{escape(path)}"
        yield from _parameter_schemas(item.get("parameters"), base)
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            yield from _parameter_schemas(op.get("parameters"), f"{base}/{method}")
            body = op.get("requestBody") or {}
            yield from _content_schemas(body.get("content"), f"{base}/{method}/requestBody")
            for code, response in (op.get("responses") or {}).items():
                if isinstance(response, dict):
                    where = f"{base}/{method}/responses/{code}"
                    yield from _content_schemas(response.get("content"), where)


def _parameter_schemas(params: Any, base: str) -> Iterator[tuple[str, Schema]]:
    for i, param in enumerate(params or []):
        if isinstance(param, dict) and isinstance(param.get("schema"), dict):
            yield f"{base}/parameters/{i}/schema", param["schema"]


def _content_schemas(content: Any, base: str) -> Iterator[tuple[str, Schema]]:
    for media, entry in (content or {}).items():
        if isinstance(entry, dict) and isinstance(entry.get("schema"), dict):
            yield f"{base}/content/{escape(media)}/schema", entry["schema"]


def subschemas(schema: Schema, pointer: str) -> Iterator[tuple[str, Schema]]:
    """Yield ``schema`` and every schema nested in it, depth first."""
    stack = [(pointer, schema)]
    while stack:
        ptr, node = stack.pop()
        yield ptr, node
        children: list[tuple[str, Schema]] = []
        for key in _SCHEMA_LISTS:
            for i, child in enumerate(node.get(key) or []):
                if isinstance(child, dict):
                    children.append((f"{ptr}/{key}/{i}", child))
        for key in _SCHEMA_SINGLES:
            child = node.get(key)
            if isinstance(child, dict):
                children.append((f"{ptr}/{key}", child))
        for name, child in (node.get("properties") or {}).items():
            if isinstance(child, dict):
                children.append((f"{ptr}/properties/{escape(name)}", child))
        stack.extend(reversed(children))


def all_schemas(doc: dict[str, Any]) -> list[tuple[str, Schema]]:
    """Every schema object in the document (a snapshot, safe to mutate while looping)."""
    return [found for ptr, root in schema_roots(doc) for found in subschemas(root, ptr)]
