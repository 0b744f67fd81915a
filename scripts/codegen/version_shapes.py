"""Answers whose shape depends on the IBM-API-Version the client sends.

IBM changes the layout of some answers with the API version: ``GET /v1/backends`` lists
backend names for 2024-01-01 (and for a request without the header) and backend objects
from 2025-01-01. A document describes one shape per status, so the pipeline carries the
others itself. In a document the fact is a vendor extension on the response object,
``x-iqp-version-shapes``: a list of ``{since: <date>, schema: {$ref: ...}}`` in date order,
each shape in effect from its date until the next one (the first also for requests
without the header, which the service answers as its oldest version); the response's
JSON schema is then the ``oneOf`` of those shapes, as IBM's own older document wrote it.

IBM's documents state the rule only in prose, so the overlay's ``version_shapes`` adds
the extension (and any shape's schema the document lacks) to whichever document is
given; a document that carries the extension itself is taken as it is.

The generated parse then reads the answer as the shape in effect for the version the
request carried, and nothing else (``templates``: ``endpoint_macros.py.jinja``), and the
namespace method is typed per version (``resources_tag.py.jinja``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .walk import escape, operations

EXTENSION = "x-iqp-version-shapes"
HELPERS = "_api_version"  # the name the generated modules import api_version.py as
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REF = "#/components/schemas/"
# How deep the generated shape check looks into an answer: the answer, its fields, their
# items. Enough to tell shapes apart without re-validating what the model parse reads.
CHECK_DEPTH = 3


@dataclass(frozen=True)
class Declared:
    """One overlay entry: an operation's answer (``status``) per version."""

    operation: str
    status: str
    shapes: tuple[tuple[str, str], ...]  # (since date, component schema name), in date order
    schemas: Mapping[str, Any]  # component schemas to add when the document lacks them


def parse_declared(raw: Any, where: str) -> tuple[Declared, ...]:
    """The overlay's ``version_shapes`` mapping (operationId -> entry), checked."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise InputError(f"{where}: version_shapes must map an operationId to its shapes")
    found = []
    for operation, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("shapes"), dict):
            raise InputError(f"{where}: version_shapes.{operation} needs shapes: {{date: schema name}}")
        shapes = sorted((str(d), str(s)) for d, s in entry["shapes"].items())
        bad = [d for d, _ in shapes if not _DATE.match(d)]
        if bad or len(shapes) < 2:
            raise InputError(
                f"{where}: version_shapes.{operation}.shapes must map at least two YYYY-MM-DD dates "
                f"to schema names{' (not dates: ' + ', '.join(bad) + ')' if bad else ''}"
            )
        if not str(entry.get("evidence") or "").strip():
            raise InputError(f"{where}: version_shapes.{operation} needs evidence: where IBM says so")
        schemas = entry.get("schemas") or {}
        if not isinstance(schemas, dict):
            raise InputError(f"{where}: version_shapes.{operation}.schemas must map names to schemas")
        found.append(Declared(str(operation), str(entry.get("status", "200")), tuple(shapes), schemas))
    return tuple(found)


def apply_declared(doc: dict[str, Any], declared: tuple[Declared, ...]) -> tuple[dict[str, Any], list[str]]:
    """``doc`` with the overlay's version shapes written in, and every response that has
    version shapes made the union of them; report lines."""
    doc = copy.deepcopy(doc)
    components = doc.setdefault("components", {}).setdefault("schemas", {})
    by_id = {op.get("operationId"): (path, method, op) for path, method, op in operations(doc)}
    lines = []
    for entry in declared:
        found = by_id.get(entry.operation)
        if found is None:
            lines.append(f"version shapes: no operation {entry.operation} in the document; skipped")
            continue
        path, method, op = found
        response = (op.get("responses") or {}).get(entry.status)
        if not isinstance(response, dict):
            lines.append(f"version shapes: {method.upper()} {path} has no {entry.status} answer; skipped")
            continue
        for name, schema in entry.schemas.items():
            if name not in components:
                components[name] = copy.deepcopy(schema)
                lines.append(f"version shapes: added schema {name} (from the overlay)")
        missing = [name for _, name in entry.shapes if name not in components]
        if missing:
            raise InputError(
                f"version_shapes.{entry.operation}: no schema {', '.join(missing)} in the document "
                "or the entry's schemas"
            )
        response[EXTENSION] = [{"since": d, "schema": {"$ref": _REF + name}} for d, name in entry.shapes]
        said = ", ".join(f"{name} from {d}" for d, name in entry.shapes)
        lines.append(f"version shapes: {method.upper()} {path} {entry.status} answers {said}")
    return doc, lines + shape_unions(doc)


def shape_unions(doc: dict[str, Any]) -> list[str]:
    """Make each response carrying the extension a ``oneOf`` of its shapes (in place)."""
    lines = []
    for path, method, op in operations(doc):
        for status, response in (op.get("responses") or {}).items():
            shapes = _shapes_of(response)
            if not shapes:
                continue
            media = response.setdefault("content", {}).setdefault("application/json", {})
            union = {"oneOf": [{"$ref": _REF + name} for _, name in shapes]}
            if media.get("schema") != union:
                media["schema"] = union
                lines.append(f"version shapes: {method.upper()} {path} {status} is one of its version shapes")
    return lines


def decided_by_version(doc: dict[str, Any]) -> set[str]:
    """JSON pointers of the response schemas whose variant the API version decides."""
    found = set()
    for path, method, op in operations(doc):
        for status, response in (op.get("responses") or {}).items():
            if _shapes_of(response):
                media = escape("application/json")
                found.add(f"/paths/{escape(path)}/{method}/responses/{status}/content/{media}/schema")
    return found


def by_operation(doc: dict[str, Any]) -> dict[str, dict[str, dict[str, str]]]:
    """``{"METHOD path": {status: {since date: schema name}}}`` for the API summary."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for path, method, op in operations(doc):
        for status, response in (op.get("responses") or {}).items():
            shapes = _shapes_of(response)
            if shapes:
                found.setdefault(f"{method.upper()} {path}", {})[str(status)] = dict(shapes)
    return found


def _shapes_of(response: Any) -> list[tuple[str, str]]:
    raw = response.get(EXTENSION) if isinstance(response, dict) else None
    if not isinstance(raw, list):
        return []
    shapes = []
    for item in raw:
        ref = (item.get("schema") or {}).get("$ref", "") if isinstance(item, dict) else ""
        since = str(item.get("since", "")) if isinstance(item, dict) else ""
        if not (ref.startswith(_REF) and _DATE.match(since)):
            raise InputError(
                f"{EXTENSION}: each entry needs since (YYYY-MM-DD) and schema ($ref to a component)"
            )
        shapes.append((since, ref.removeprefix(_REF)))
    return sorted(shapes)


@dataclass(frozen=True)
class Shape:
    """One shape of a versioned answer, as the templates render it."""

    since: str
    class_name: str
    check: str  # a Python literal: what api_version.check_shape compares the body with
    versions: tuple[str, ...]  # the described versions that answer in this shape


@dataclass(frozen=True)
class VersionedAnswer:
    """An operation's answer (one status) whose shape follows the version sent."""

    operation: str
    status: str
    shapes: tuple[Shape, ...]
    default: Shape  # the shape of the version the client sends by default

    @property
    def sinces(self) -> str:
        return "(" + ", ".join(repr(s.since) for s in self.shapes) + ")"  # two or more

    @property
    def described(self) -> str:
        """The shapes in words, for docstrings."""
        first, *rest = self.shapes
        words = [f"{first.class_name} before {rest[0].since} (and without the header)"]
        return ", ".join(words + [f"{s.class_name} from {s.since}" for s in rest])

    @property
    def classes(self) -> str:
        """A Python literal: since date -> class name."""
        return "{" + ", ".join(f"{s.since!r}: {s.class_name!r}" for s in self.shapes) + "}"

    @property
    def union(self) -> str:
        """The type of the answer when the version is not known until run time."""
        ordered = [self.default, *(s for s in self.shapes if s is not self.default)]
        return " | ".join(s.class_name for s in ordered)


@dataclass(frozen=True)
class VersionShapes:
    """What the templates ask: does this endpoint (or this response of one) follow the version?"""

    answers: Mapping[str, VersionedAnswer]  # by operationId (the function's name)
    responses: Mapping[int, VersionedAnswer]  # by id() of the generator's response object

    def of(self, endpoint: Any) -> VersionedAnswer | None:
        return self.answers.get(str(endpoint.name))

    def for_response(self, response: Any) -> VersionedAnswer | None:
        return self.responses.get(id(response))


def for_templates(
    doc: dict[str, Any],
    data: Any,
    class_of: Mapping[str, str],
    api_version: str,
    described: Mapping[str, str],
) -> VersionShapes:
    """The versioned answers of ``doc`` (normalised), tied to the generator's parsed endpoints.

    ``class_of`` maps a component name to its generated class.
    """
    answers: dict[str, VersionedAnswer] = {}
    for _path, _method, op in operations(doc):
        for status, response in (op.get("responses") or {}).items():
            shapes = _shapes_of(response)
            operation = str(op.get("operationId"))
            if shapes and operation in answers:
                raise InputError(f"{operation}: only one answer of an operation can follow the API version")
            if shapes:
                answers[operation] = _answer(
                    doc, operation, str(status), shapes, class_of, api_version, described
                )
    responses: dict[int, VersionedAnswer] = {}
    for collection in data.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            answer = answers.get(str(endpoint.name))
            if answer is None:
                continue
            for response in endpoint.responses.patterns:
                if response.status_code.range == (int(answer.status), int(answer.status)):
                    responses[id(response)] = answer
            # The generated parse and the namespace methods use the package's version helpers.
            endpoint.relative_imports.add(f"from ... import api_version as {HELPERS}")
    return VersionShapes(answers, responses)


def _answer(
    doc: dict[str, Any],
    operation: str,
    status: str,
    shapes: list[tuple[str, str]],
    class_of: Mapping[str, str],
    api_version: str,
    described: Mapping[str, str],
) -> VersionedAnswer:
    schemas = (doc.get("components") or {}).get("schemas") or {}
    made = []
    for index, (since, name) in enumerate(shapes):
        until = shapes[index + 1][0] if index + 1 < len(shapes) else None
        versions = tuple(v for v in described if (v >= since or index == 0) and (until is None or v < until))
        check = repr(_skeleton(schemas.get(name) or {}, schemas, CHECK_DEPTH))
        if name not in class_of:
            raise InputError(f"{operation}: version shape {name} is not an object schema, so it has no class")
        made.append(Shape(since, class_of[name], check, versions))
    in_effect = [s for s in made if s.since <= api_version] or made[:1]
    return VersionedAnswer(operation, status, tuple(made), in_effect[-1])


def _skeleton(schema: Any, schemas: Mapping[str, Any], depth: int) -> dict[str, Any]:
    """The JSON types ``schema`` allows, to ``depth`` levels: ``{"type": (...), ...}``.

    ``{}`` (anything) where the schema is a union or says no type: the model parse and the
    union rules judge those.
    """
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 20:
        schema = schemas.get(str(schema["$ref"]).removeprefix(_REF)) or {}
        seen += 1
    if not isinstance(schema, dict) or depth <= 0 or any(k in schema for k in ("oneOf", "anyOf", "allOf")):
        return {}
    raw = schema.get("type")
    types = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
    if not types:
        return {}
    if schema.get("nullable") and "null" not in types:
        types.append("null")
    out: dict[str, Any] = {"type": tuple(types)}
    if "object" in types and depth > 1:
        props = schema.get("properties") or {}
        fields = {k: _skeleton(v, schemas, depth - 1) for k, v in props.items()}
        fields = {k: v for k, v in fields.items() if v}
        if fields:
            out["fields"] = fields
        required = tuple(r for r in schema.get("required") or () if isinstance(r, str))
        if required:
            out["required"] = required
    if "array" in types and depth > 1:
        items = _skeleton(schema.get("items") or {}, schemas, depth - 1)
        if items:
            out["items"] = items
    return out
