"""Reading an OpenAPI 3.0 fragment as 3.1, so fragments published in different minor
versions can be merged.

3.0 and 3.1 spell two things differently in schemas, and nothing else a generator reads:
- null: 3.0 says ``nullable: true`` beside the type; 3.1 (JSON Schema 2020-12) puts
  ``"null"`` among the types, or offers ``{"type": "null"}`` as an alternative;
- exclusive bounds: 3.0 says ``exclusiveMinimum: true`` beside ``minimum``; 3.1 gives the
  bound itself as ``exclusiveMinimum``.
``upgrade`` rewrites a 3.0 document into the 3.1 spelling and says what it rewrote, once a
keyword. A schema that 3.0 cannot express in 3.1's terms does not exist: the rewrite is total.
"""

from __future__ import annotations

import copy
from typing import Any

from .walk import NAME_MAPS


def upgrade(doc: dict[str, Any], target: str) -> tuple[dict[str, Any], list[str]]:
    """``doc`` (OpenAPI 3.0.x) rewritten as OpenAPI ``target`` (3.1 or later), and what changed."""
    counts = {"nullable": 0, "exclusive bounds": 0}
    upgraded = _rewrite(copy.deepcopy(doc), counts, names=False)
    upgraded["openapi"] = target
    said = [f"{n} {what}" for what, n in counts.items() if n]
    detail = f": rewrote {', '.join(said)}" if said else ": nothing to rewrite"
    return upgraded, [f"read OpenAPI {doc.get('openapi')} as {target}{detail}"]


def _rewrite(node: Any, counts: dict[str, int], *, names: bool) -> Any:
    if isinstance(node, list):
        return [_rewrite(item, counts, names=False) for item in node]
    if not isinstance(node, dict):
        return node
    if names:  # the keys are names; each value is an object of its own
        return {key: _rewrite(value, counts, names=False) for key, value in node.items()}
    node = {key: _rewrite(value, counts, names=key in NAME_MAPS) for key, value in node.items()}
    node = _exclusive_bounds(node, counts)
    return _nullable(node, counts)


def _exclusive_bounds(schema: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = schema.get(exclusive)
        if not isinstance(flag, bool):
            continue  # absent, or already a number (3.1 spelling)
        del schema[exclusive]
        if flag and bound in schema:
            schema[exclusive] = schema.pop(bound)
            counts["exclusive bounds"] += 1
    return schema


def _nullable(schema: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    if not isinstance(schema.get("nullable"), bool):
        return schema
    nullable = schema.pop("nullable")
    if not nullable:
        return schema
    counts["nullable"] += 1
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
        if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    # No single type ($ref, allOf, oneOf...): null is one more alternative. Documentation
    # stays on the outside so the field keeps its description.
    outside: dict[str, Any] = {
        k: schema.pop(k) for k in ("description", "title", "default", "example") if k in schema
    }
    return {**outside, "anyOf": [schema, {"type": "null"}]}
