"""Declared corrections: where the upstream document is wrong about the wire.

``openapi/corrections.yaml`` lists each place the document disagrees with what the service
and IBM's own client really exchange, the change that makes the document tell the truth, and
the corpus file (tests/realworld/) that proves it. They are applied to the upstream document
as IBM ships it, before the normalisation rules, so the same file works on the next version:
a correction whose change is already upstream is reported as such (and can be retired), one
whose target is gone is reported and skipped, never silently dropped.

A target is a JSON pointer; a segment ``[key=value]`` picks the list element whose ``key`` is
``value`` (so a correction does not depend on the order of a union's variants).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

_SELECTOR = re.compile(r"^\[(?P<key>[^=\]]+)=(?P<value>[^\]]*)\]$")
_ACTIONS = ("replace", "merge", "drop")


@dataclass(frozen=True)
class Evidence:
    """A corpus file (relative to tests/realworld/) and which part of it proves a correction."""

    file: str
    at: str  # JSON pointer into the file's payload ("" for all of it)
    schema: str  # JSON pointer into the document: the schema that part must satisfy


@dataclass(frozen=True)
class Correction:
    id: str
    target: str
    action: str
    value: Any
    why: str
    evidence: tuple[Evidence, ...]


def load_corrections(path: Path) -> list[Correction]:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read corrections {path}: {exc}") from None
    entries = raw.get("corrections") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise InputError(f"corrections {path}: expected a mapping with a 'corrections' list")
    out: list[Correction] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        out.append(_one(path, number, entry))
        if out[-1].id in seen:
            raise InputError(f"corrections {path}: id {out[-1].id!r} is declared twice")
        seen.add(out[-1].id)
    return out


def _one(path: Path, number: int, entry: Any) -> Correction:
    where = f"corrections {path}, entry {number}"
    if not isinstance(entry, dict):
        raise InputError(f"{where}: must be a mapping")
    actions = [a for a in _ACTIONS if a in entry]
    if len(actions) != 1:
        raise InputError(f"{where}: give exactly one of {', '.join(_ACTIONS)}")
    for key in ("id", "target", "why"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise InputError(f"{where}: '{key}' must be a non-empty string")
    evidence = entry.get("evidence")
    if not isinstance(evidence, list) or not evidence:
        raise InputError(f"{where} ({entry['id']}): every correction names its evidence")
    proofs = []
    for item in evidence:
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            raise InputError(f"{where} ({entry['id']}): evidence entries need a 'file'")
        proofs.append(
            Evidence(item["file"], str(item.get("at", "")), str(item.get("schema", entry["target"])))
        )
    action = actions[0]
    if action == "drop" and not isinstance(entry[action], list):
        raise InputError(f"{where} ({entry['id']}): 'drop' takes a list of keys or values")
    if action == "merge" and not isinstance(entry[action], dict):
        raise InputError(f"{where} ({entry['id']}): 'merge' takes a mapping")
    return Correction(entry["id"], entry["target"], action, entry[action], entry["why"], tuple(proofs))


def apply_corrections(
    document: dict[str, Any], corrections: list[Correction]
) -> tuple[dict[str, Any], list[str]]:
    """A corrected deep copy of ``document`` and one report line per correction."""
    doc = copy.deepcopy(document)
    report = []
    for correction in corrections:
        outcome = _apply(doc, correction)
        report.append(f"{correction.id}: {outcome} ({correction.target})")
    return doc, report


def _apply(doc: dict[str, Any], correction: Correction) -> str:
    try:
        parent, last = resolve_parent(doc, correction.target)
        target = _get(parent, last)
    except LookupError as exc:
        return f"NOT APPLIED, the target is not in this document ({exc}); review the correction"
    value = copy.deepcopy(correction.value)
    if correction.action == "replace":
        if target == value:
            return "already true upstream, can be retired"
        _set(parent, last, value)
        return "replaced"
    if correction.action == "merge":
        if not isinstance(target, dict):
            return "NOT APPLIED, the target is not a mapping; review the correction"
        if all(target.get(k) == v for k, v in value.items()):
            return "already true upstream, can be retired"
        target.update(value)
        return f"merged {', '.join(sorted(value))}"
    present = [v for v in value if (v in target)]
    if not present:
        return "already true upstream, can be retired"
    if isinstance(target, dict):
        for key in present:
            del target[key]
    elif isinstance(target, list):
        target[:] = [v for v in target if v not in present]
    else:
        return "NOT APPLIED, the target is neither a mapping nor a list; review the correction"
    return f"dropped {', '.join(map(str, present))}"


def resolve(doc: Any, pointer: str) -> Any:
    """The value at ``pointer`` (with ``[key=value]`` list selectors); LookupError if absent."""
    if pointer in ("", "/"):
        return doc
    parent, last = resolve_parent(doc, pointer)
    return _get(parent, last)


def resolve_parent(doc: Any, pointer: str) -> tuple[Any, str | int]:
    if not pointer.startswith("/"):
        raise LookupError(f"{pointer!r} is not a JSON pointer")
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]
    node = doc
    for part in parts[:-1]:
        node = _get(node, _key(node, part))
    return node, _key(node, parts[-1])


def _key(node: Any, part: str) -> str | int:
    if isinstance(node, list):
        selector = _SELECTOR.match(part)
        if selector:
            for index, item in enumerate(node):
                if isinstance(item, dict) and str(item.get(selector["key"])) == selector["value"]:
                    return index
            raise LookupError(f"no element {part}")
        if part.isdigit() and int(part) < len(node):
            return int(part)
        raise LookupError(f"no element {part}")
    if isinstance(node, dict):
        return part
    raise LookupError(f"{part!r} is inside a plain value")


def _get(node: Any, key: str | int) -> Any:
    if isinstance(node, dict) and isinstance(key, str):
        if key not in node:
            raise LookupError(f"no key {key!r}")
        return node[key]
    if isinstance(node, list) and isinstance(key, int):
        return node[key]
    raise LookupError(f"cannot step into {key!r}")


def _set(node: Any, key: str | int, value: Any) -> None:
    if isinstance(node, list):
        node[int(key)] = value
    elif isinstance(node, dict):
        node[key] = value
