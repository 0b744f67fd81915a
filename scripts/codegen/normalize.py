"""Repairs, by rule, the modelling defects that stop the generator or mislead it.

Every rule looks at the shape of the document, never at a schema's name, so the same
rules apply to the next version of the document. Each rule returns one report line per
repair class it applied; a rule with nothing to do says nothing.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from .errors import InputError
from .fragments import define_client_headers
from .overlay import Overlay
from .version_shapes import decided_by_version
from .walk import Schema, all_schemas, operations, schema_roots, subschemas

Document = dict[str, Any]
_REF_PREFIX = "#/components/schemas/"


def normalize(document: Document, overlay: Overlay) -> tuple[Document, list[str]]:
    """Return a repaired deep copy of ``document`` and the report of what changed."""
    doc = copy.deepcopy(document)
    report: list[str] = []
    rules: list[Callable[[Document], list[str]]] = [
        _speak_3_1,
        lambda d: define_client_headers(d, overlay.client_headers),
        lambda d: _drop_client_headers(d, overlay.client_headers),
        _push_down_path_parameters,
        _describe_parameter_schemas,
        lambda d: _rename_operations(d, overlay.function_names),
        _drop_enum_defaults_outside_enum,
        _drop_model_defaults,
        _drop_titles,
        _give_arrays_items,
        _break_recursive_unions,
        _collapse_single_variant_unions,
        _flatten_allof,
        _fold_allof_siblings,
        _wrap_described_refs,
        _integer_parameters,
        _require_request_bodies,
        _open_closed_objects,
        _note_ambiguous_unions,
    ]
    for rule in rules:
        report.extend(rule(doc))
    return doc, report


def _speak_3_1(doc: Document) -> list[str]:
    version = str(doc.get("openapi", ""))
    if version.startswith("3.2."):
        doc["openapi"] = "3.1.1"
        return [f"version: OpenAPI {version} document uses only 3.1 features; read as 3.1.1"]
    return []


def _drop_client_headers(doc: Document, names: tuple[str, ...]) -> list[str]:
    """Headers the client sets once (CRN, API version) are not per-call arguments."""
    canonical = {n.lower(): n for n in names}
    shared = (doc.get("components") or {}).get("parameters") or {}

    def header_of(param: Any) -> str | None:
        """The overlay's spelling of the client header ``param`` sets, if it sets one."""
        if isinstance(param, dict) and isinstance(param.get("$ref"), str):
            param = shared.get(param["$ref"].rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~"))
        if not isinstance(param, dict) or param.get("in") != "header":
            return None
        return canonical.get(str(param.get("name", "")).lower())

    removed: Counter[str] = Counter()
    holders = [item for item in (doc.get("paths") or {}).values() if isinstance(item, dict)]
    holders += [op for _path, _method, op in operations(doc)]
    for holder in holders:
        params = holder.get("parameters")
        if isinstance(params, list):
            removed.update(h for h in map(header_of, params) if h)
            holder["parameters"] = [p for p in params if not header_of(p)]
    for key in [k for k, p in shared.items() if header_of(p)]:
        del shared[key]
    return [
        f"client headers: {name} removed from {count} parameter lists (set once per client)"
        for name, count in sorted(removed.items())
    ]


def _push_down_path_parameters(doc: Document) -> list[str]:
    """Parameters shared by a path's operations are copied into each one.

    The generator keeps a shared parameter's type but not its description.
    """
    moved = 0
    for path, item in (doc.get("paths") or {}).items():
        shared = item.pop("parameters", None) if isinstance(item, dict) else None
        if not shared:
            continue
        for _path, _method, op in (o for o in operations(doc) if o[0] == path):
            own = op.setdefault("parameters", [])
            names = {(p.get("in"), p.get("name")) for p in own if isinstance(p, dict)}
            own.extend(copy.deepcopy(p) for p in shared if (p.get("in"), p.get("name")) not in names)
            moved += 1
    return [f"path parameters: shared parameters copied into {moved} operations"] if moved else []


def _describe_parameter_schemas(doc: Document) -> list[str]:
    """The generator documents an argument from its schema, not from the parameter."""
    copied = 0
    for _path, _method, op in operations(doc):
        for param in op.get("parameters") or []:
            schema = param.get("schema") if isinstance(param, dict) else None
            if isinstance(schema, dict) and param.get("description") and not schema.get("description"):
                schema["description"] = param["description"]
                copied += 1
    return [f"parameter docs: {copied} descriptions copied onto parameter schemas"] if copied else []


def python_name(operation_id: str) -> str:
    """The fallback function name for an operationId the overlay does not list."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", operation_id)
    snake = re.sub(r"[^0-9a-zA-Z]+", "_", snake).strip("_").lower()
    # Upstream marks "takes a job id" with a `_jid` suffix; the argument already says so.
    return re.sub(r"_jid$", "", snake)


def _rename_operations(doc: Document, names: dict[str, str]) -> list[str]:
    report: list[str] = []
    renamed = 0
    seen: dict[str, str] = {}
    for path, method, op in operations(doc):
        original = str(op.get("operationId") or f"{method}_{path}")
        target = names.get(original)
        if target is None:
            target = python_name(original)
            report.append(f"names: {original} is not in the overlay; named {target} by rule")
        here = f"{method.upper()} {path} (operationId {original})"
        if target in seen:
            raise InputError(
                f"two operations map to the function name {target}: {seen[target]} and {here}; "
                "give one of them another name under function_names in openapi/overlay.yaml"
            )
        seen[target] = here
        if target != original:
            renamed += 1
        op["operationId"] = target
        op["x-upstream-operation-id"] = original
    if renamed:
        report.insert(0, f"names: {renamed} operationIds renamed to readable Python function names")
    return report


def _drop_enum_defaults_outside_enum(doc: Document) -> list[str]:
    report = []
    for ptr, node in all_schemas(doc):
        if "default" in node and isinstance(node.get("enum"), list) and node["default"] not in node["enum"]:
            report.append(
                f"enum default: {ptr}: default {node.pop('default')!r} is not an enum value; dropped"
            )
    return report


def _drop_model_defaults(doc: Document) -> list[str]:
    """An object default on a model-typed field: the generator can only default scalars.

    The service fills the default in when the field is left out, so the client loses nothing
    by leaving it out too.
    """
    report = []
    for ptr, node in all_schemas(doc):
        if isinstance(node.get("default"), dict) and ("$ref" in node or "allOf" in node):
            node.pop("default")
            report.append(f"model default: {ptr}: an object default on a model field; dropped")
    return report


def _drop_titles(doc: Document) -> list[str]:
    """Class names come from schema keys and property paths, never from ``title``.

    Titles are free text: several schemas share one, and a title that differs from its key
    renames the class away from the name in the document.
    """
    titles: Counter[str] = Counter()
    dropped = 0
    for _ptr, node in all_schemas(doc):
        if isinstance(node.get("title"), str):
            titles[node.pop("title")] += 1
            dropped += 1
    if not dropped:
        return []
    shared = sum(1 for count in titles.values() if count > 1)
    return [
        f"titles: {dropped} schema titles dropped ({shared} shared by several schemas); names come from keys"
    ]


def _give_arrays_items(doc: Document) -> list[str]:
    report = []
    for ptr, node in all_schemas(doc):
        types = node.get("type")
        is_array = types == "array" or (isinstance(types, list) and "array" in types)
        if is_array and "items" not in node and "prefixItems" not in node:
            node["items"] = {}
            report.append(f"array items: {ptr}: array without items now holds any JSON value")
    return report


def _break_recursive_unions(doc: Document) -> list[str]:
    """A union that contains itself is cut at the point of recursion (any JSON value)."""
    report = []
    for ptr, root in schema_roots(doc):
        if not ptr.startswith("/components/schemas/") or not _is_union(root):
            continue
        own_ref = _REF_PREFIX + ptr.rsplit("/", 1)[-1]
        cut = [node for _p, node in subschemas(root, ptr) if node.get("$ref") == own_ref]
        for node in cut:
            node.clear()
        if cut:
            report.append(f"recursive union: {ptr}: {len(cut)} self-references now hold any JSON value")
    return report


def _is_union(node: Schema) -> bool:
    return isinstance(node.get("oneOf"), list) or isinstance(node.get("anyOf"), list)


def _collapse_single_variant_unions(doc: Document) -> list[str]:
    """A union of one is that one; as a union inside an allOf the generator drops its fields."""
    report = []
    for ptr, node in all_schemas(doc):
        for word in ("oneOf", "anyOf"):
            variants = node.get(word)
            if isinstance(variants, list) and len(variants) == 1 and isinstance(variants[0], dict):
                node.pop("discriminator", None)
                node["allOf"] = [*node.get("allOf", []), node.pop(word)[0]]
                report.append(f"single-variant union: {ptr}: {word} of one schema read as that schema")
    return report


def _flatten_allof(doc: Document) -> list[str]:
    """An allOf nested directly in an allOf hides the inherited fields from the generator."""
    changed = 0
    for _ptr, node in all_schemas(doc):
        parts = node.get("allOf")
        if not isinstance(parts, list):
            continue
        flat: list[Any] = []
        stack = list(reversed(parts))
        while stack:
            part = stack.pop()
            if isinstance(part, dict) and set(part) == {"allOf"} and isinstance(part["allOf"], list):
                stack.extend(reversed(part["allOf"]))
            else:
                flat.append(part)
        if flat != parts:
            node["allOf"] = flat
            changed += 1
    return [f"allOf: {changed} nested allOf lists flattened into their parent"] if changed else []


def _fold_allof_siblings(doc: Document) -> list[str]:
    """``allOf: [$ref]`` next to its own ``properties`` would alias the referenced class."""
    report = []
    moved_keys = ("properties", "required", "additionalProperties")
    for ptr, node in all_schemas(doc):
        parts = node.get("allOf")
        if not isinstance(parts, list) or not any(k in node for k in moved_keys):
            continue
        own: Schema = {"type": "object"}
        for key in moved_keys:
            if key in node:
                own[key] = node.pop(key)
        parts.append(own)
        report.append(f"allOf siblings: {ptr}: own properties moved into the allOf (was aliased)")
    return report


def _wrap_described_refs(doc: Document) -> list[str]:
    """Keywords beside a ``$ref`` (descriptions, nullable) survive only inside an allOf."""
    wrapped = 0
    for _ptr, node in all_schemas(doc):
        if "$ref" in node and len(node) > 1:
            node["allOf"] = [{"$ref": node.pop("$ref")}]
            wrapped += 1
    return [f"refs: {wrapped} $refs with sibling keywords wrapped in allOf"] if wrapped else []


def _integer_parameters(doc: Document) -> list[str]:
    """A ``number`` parameter whose bounds and default are whole numbers counts things."""
    report = []
    for ptr, node in all_schemas(doc):
        if "/parameters/" not in ptr or node.get("type") != "number" or "format" in node:
            continue
        bounds = [node[k] for k in ("minimum", "maximum", "default", "multipleOf") if k in node]
        bounds += list(node.get("enum") or [])
        if bounds and all(isinstance(v, int) or (isinstance(v, float) and v.is_integer()) for v in bounds):
            node["type"] = "integer"
            report.append(f"integer parameter: {ptr}: number with whole-number bounds sent as integer")
    return report


def _require_request_bodies(doc: Document) -> list[str]:
    """A body left optional by omission is required: no operation here acts without one."""
    marked = 0
    for _path, _method, op in operations(doc):
        body = op.get("requestBody")
        if isinstance(body, dict) and "required" not in body:
            body["required"] = True
            marked += 1
    return [f"request bodies: {marked} bodies without 'required' marked required"] if marked else []


def _open_closed_objects(doc: Document) -> list[str]:
    """Responses may grow fields; a closed object would reject or drop them."""
    opened = 0
    for _ptr, node in all_schemas(doc):
        if node.get("additionalProperties") is False:
            del node["additionalProperties"]
            opened += 1
    return [f"open objects: {opened} closed objects opened so unknown fields are kept"] if opened else []


def _note_ambiguous_unions(doc: Document) -> list[str]:
    """The generator takes the first union variant that parses; ours takes the best fit
    (an answer whose shapes follow the API version is read by the version instead)."""
    schemas = (doc.get("components") or {}).get("schemas") or {}
    report = []
    by_version = decided_by_version(doc)
    for ptr, node in all_schemas(doc):
        for key in ("oneOf", "anyOf"):
            if ptr in by_version:
                continue
            variants = node.get(key)
            if not isinstance(variants, list) or "discriminator" in node:
                continue
            objects = [v for v in variants if isinstance(v, dict) and _is_object(v, schemas)]
            if len(objects) > 1:
                report.append(
                    f"union: {ptr}: {len(objects)} object variants, no discriminator; parsed by best fit"
                )
    return report


def _is_object(node: Schema, schemas: dict[str, Any], depth: int = 0) -> bool:
    if depth > 8:
        return False
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
        target = schemas.get(ref[len(_REF_PREFIX) :].replace("~1", "/").replace("~0", "~"))
        return isinstance(target, dict) and _is_object(target, schemas, depth + 1)
    if node.get("type") == "object" or "properties" in node:
        return True
    return any(_is_object(p, schemas, depth + 1) for p in node.get("allOf") or [] if isinstance(p, dict))
