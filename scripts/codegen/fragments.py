"""The document as IBM publishes it: per-tag fragments, and what the split loses.

``merge`` joins several fragments (several ``--spec`` inputs) into one document: paths and
components are united, and the same name defined differently in two fragments (other
than in its descriptions and examples) is an error naming both. ``define_client_headers``
restores a header parameter the fragments reference but do not define, when the overlay
declares it client-level (the client sets it, so its definition is only needed for the
reference to resolve).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .errors import InputError
from .versions_3x import upgrade
from .walk import HTTP_METHODS, NAME_MAPS

Document = dict[str, Any]
_PARAMETER_REF = re.compile(r"^#/components/parameters/(?P<key>[^/]+)$")


def merge(sources: list[tuple[str, Document]]) -> tuple[Document, list[str]]:
    """One document from ``(source, document)`` pairs, the first giving info and servers, and
    what had to be rewritten to merge them (3.0 fragments read as 3.1 beside newer ones)."""
    if len(sources) == 1:
        return sources[0][1], []
    version = _version(sources)
    notes: list[str] = []
    if not version.startswith("3.0."):
        sources, notes = _upgrade_3_0(sources, version)
    first = sources[0][1]
    merged = copy.deepcopy({k: v for k, v in first.items() if k not in ("paths", "components", "tags")})
    merged["openapi"] = version
    paths: dict[str, Any] = {}
    path_owner: dict[tuple[str, str], str] = {}
    components: dict[str, dict[str, Any]] = {}
    component_owner: dict[tuple[str, str], str] = {}
    tags: dict[str, Any] = {}
    for source, doc in sources:
        for path, item in (doc.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            target = paths.setdefault(path, {})
            for key, value in item.items():
                where = f"paths {path} {key}"
                _put(target, key, value, (path, key), path_owner, source, where)
        for section, entries in (doc.get("components") or {}).items():
            if not isinstance(entries, dict):
                continue
            target = components.setdefault(section, {})
            for name, value in entries.items():
                where = f"components/{section}/{name}"
                _put(target, name, value, (section, name), component_owner, source, where)
        for tag in doc.get("tags") or []:
            if isinstance(tag, dict) and "name" in tag:
                tags.setdefault(str(tag["name"]), copy.deepcopy(tag))
    merged["paths"] = paths
    if components:
        merged["components"] = components
    if tags:
        merged["tags"] = list(tags.values())
    return merged, notes


Sources = list[tuple[str, Document]]


def _upgrade_3_0(sources: Sources, version: str) -> tuple[Sources, list[str]]:
    """Fragments of 3.0 rewritten in the 3.1 spelling, so that the same schema published
    by a 3.0 and a 3.2 fragment compares equal and the merged document means one thing."""
    upgraded: list[tuple[str, Document]] = []
    notes: list[str] = []
    for source, doc in sources:
        if str(doc.get("openapi", "")).startswith("3.0."):
            doc, said = upgrade(doc, version)
            notes += [f"fragments: {source}: {line}" for line in said]
        upgraded.append((source, doc))
    return upgraded, notes


def _put(
    target: dict[str, Any],
    key: str,
    value: Any,
    owner_key: tuple[str, str],
    owners: dict[tuple[str, str], str],
    source: str,
    where: str,
) -> None:
    if key in target:
        if _without_docs(target[key]) != _without_docs(value):
            raise InputError(
                f"{where} is defined differently in {owners[owner_key]} and in {source}; "
                "fragments may share a definition only if it is the same (wording aside)"
            )
        return
    target[key] = copy.deepcopy(value)
    owners[owner_key] = source


_DOC_KEYWORDS = frozenset({"description", "summary", "example", "examples"})


def _without_docs(node: Any, names: bool = False) -> Any:
    """``node`` without documentation: fragments may word the same schema differently."""
    if isinstance(node, dict):
        return {
            k: _without_docs(v, not names and k in NAME_MAPS)
            for k, v in node.items()
            if names or k not in _DOC_KEYWORDS
        }
    if isinstance(node, list):
        return [_without_docs(v) for v in node]
    return node


def _version(sources: list[tuple[str, Document]]) -> str:
    """The highest version of the fragments: the merged document is read as that one."""
    versions = [str(doc.get("openapi", "")) for _source, doc in sources]
    return max(versions, key=lambda v: tuple(int(x) for x in v.split(".")))


def define_client_headers(doc: Document, client_headers: tuple[str, ...]) -> list[str]:
    """Define ``#/components/parameters/X`` where it is referenced, missing, and X a client header."""
    wanted = {name.lower(): name for name in client_headers}
    components = doc.setdefault("components", {})
    shared = components.get("parameters")
    if not isinstance(shared, dict):
        shared = {}
    report = []
    for key in sorted(_parameter_refs(doc) - set(shared)):
        name = wanted.get(key.replace("~1", "/").replace("~0", "~").lower())
        if name is None:
            continue  # a dangling reference the overlay knows nothing about stays an error
        shared[key] = {"name": name, "in": "header", "required": True, "schema": {"type": "string"}}
        report.append(
            f"client headers: #/components/parameters/{key} is referenced but not defined; "
            f"defined as the client-level header {name}"
        )
    if shared:
        components["parameters"] = shared
    elif not components:
        del doc["components"]
    return report


def _parameter_refs(doc: Document) -> set[str]:
    found: set[str] = set()
    for item in (doc.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        holders = [item] + [item[m] for m in HTTP_METHODS if isinstance(item.get(m), dict)]
        for holder in holders:
            for param in holder.get("parameters") or []:
                ref = param.get("$ref") if isinstance(param, dict) else None
                match = _PARAMETER_REF.match(ref) if isinstance(ref, str) else None
                if match:
                    found.add(match.group("key"))
    return found
