"""What changed between two API summaries (``api_summary``): the API change report.

Operations are matched by method and path, so an operation whose function name changes is
reported as renamed, not as one removed and one added. Classes are matched by name; a class
that disappears while one with exactly the same fields (or enum values) appears is
reported as renamed, and types that mention it are compared under its new name.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from .api_summary import Summary


@dataclass(frozen=True)
class Change:
    """One difference, worded for a changelog.

    ``python`` is the dotted name users import that the change touches (a function module
    or a class), so uses of it in hand-written code can be found.
    """

    kind: str
    subject: str
    detail: str
    breaking: bool
    python: str = ""

    def line(self) -> str:
        text = f"{self.kind}: {self.subject}"
        return f"{text} ({self.detail})" if self.detail else text

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare(old: Summary, new: Summary) -> list[Change]:
    """Every change from ``old`` to ``new``, operations first, each group sorted."""
    renamed = _class_renames(old["classes"], new["classes"])
    changes = _operation_changes(old["operations"], new["operations"], renamed)
    changes += _class_changes(old["classes"], new["classes"], renamed)
    changes += _version_changes(old.get("api_versions", {}), new.get("api_versions", {}))
    changes += _program_changes(old.get("programs") or {}, new.get("programs") or {})
    return changes


def _version_changes(old: dict[str, str], new: dict[str, str]) -> list[Change]:
    """API versions the document describes: added, dropped (requests with it will be
    refused: breaking for anyone sending it), or changed status."""
    changes = [
        Change("API version added", v, new[v] or "status unknown", False)
        for v in sorted(new.keys() - old.keys())
    ]
    changes += [Change("API version removed", v, old[v] or "", True) for v in sorted(old.keys() - new.keys())]
    for version in sorted(old.keys() & new.keys()):
        if old[version] != new[version]:
            kind = "API version deprecated" if new[version] == "deprecated" else "API version status changed"
            changes.append(Change(kind, version, f"{old[version] or '?'} -> {new[version] or '?'}", False))
    return changes


def _program_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Program versions (IBM's program schemas) added, removed, rewired; the package release.

    What changed inside a version's params or result shows as changes of its classes
    (``ExecutorV20ParamsModel`` and the classes it uses), reported with the other classes.
    """
    changes: list[Change] = []
    if old.get("package") != new.get("package") and (old or new):
        detail = f"{old.get('package') or 'none'} -> {new.get('package') or 'none'}"
        changes.append(Change("program schemas", "release", detail, False))
    was, now = old.get("versions") or {}, new.get("versions") or {}
    for key in sorted(was.keys() - now.keys()):
        entry = was[key]
        detail = f"params {entry['params']}, result {entry['result']}"
        changes.append(Change("program version removed", key, detail, True, entry["params"]))
    for key in sorted(now.keys() - was.keys()):
        entry = now[key]
        wired = f"; program_id {entry['program_id']}" if entry["program_id"] else "; components only"
        detail = f"params {entry['params']}, result {entry['result']}{wired}"
        changes.append(Change("program version added", key, detail, False, entry["params"]))
    for key in sorted(was.keys() & now.keys()):
        for slot in ("params", "result", "program_id"):
            if was[key][slot] != now[key][slot]:
                detail = f"{slot} {was[key][slot] or 'none'} -> {now[key][slot] or 'none'}"
                changes.append(Change("program version rewired", key, detail, True, now[key]["params"]))
    return changes


def _rename_types(text: str, renamed: dict[str, str]) -> str:
    if not renamed:
        return text
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, renamed)) + r")\b")
    return pattern.sub(lambda m: renamed[m.group(1)], text)


def _operation_changes(old: dict[str, Any], new: dict[str, Any], renamed: dict[str, str]) -> list[Change]:
    changes: list[Change] = []
    for key in sorted(old.keys() - new.keys()):
        function = old[key]["function"]
        changes.append(Change("operation removed", key, function, True, function))
    for key in sorted(new.keys() - old.keys()):
        changes.append(Change("operation added", key, new[key]["function"], False, new[key]["function"]))
    for key in sorted(old.keys() & new.keys()):
        was, now = old[key], new[key]
        if was["function"] != now["function"]:
            ids = ""
            if was["operation_id"] != now["operation_id"]:
                ids = f"; operationId {was['operation_id']} -> {now['operation_id']}"
            detail = f"{was['function']} -> {now['function']}{ids}"
            changes.append(Change("operation renamed", key, detail, True, was["function"]))
        where = f"{key} ({now['function']})"
        changes += _members(
            "parameter",
            where,
            now["function"],
            (was["parameters"], set(was["required"])),
            (now["parameters"], set(now["required"])),
            renamed,
            optional_breaks=False,
        )
        changes += _typed_slots("request body", where, now["function"], was["body"], now["body"], renamed)
        changes += _typed_slots(
            "response", where, now["function"], was["responses"], now["responses"], renamed
        )
        changes += _deprecations("operation", key, now["function"], was, now)
        changes += _shape_changes(where, now["function"], was, now)
        changes += _flag_changes(
            "parameter",
            where,
            now["function"],
            set(was.get("deprecated_parameters", [])),
            set(now.get("deprecated_parameters", [])),
        )
    return changes


def _shape_changes(owner: str, python: str, was: dict[str, Any], now: dict[str, Any]) -> list[Change]:
    """Answers whose shape follows the API version (version_shapes.py): a changed mapping
    changes the type some version gets, so it breaks; a first one is not breaking itself
    (the response's new union type is reported, and judged, as a retyped response)."""
    old, new = was.get("version_shapes", {}), now.get("version_shapes", {})
    changes = []
    for status in sorted(old.keys() | new.keys()):
        before, after = old.get(status, {}), new.get(status, {})
        if before != after:
            detail = f"{_shape_words(before)} -> {_shape_words(after)}"
            kind = "response shapes by API version"
            changes.append(Change(kind, f"{owner} {status}", detail, bool(before), python))
    return changes


def _shape_words(shapes: dict[str, str]) -> str:
    return ", ".join(f"{name} from {since}" for since, name in sorted(shapes.items())) or "one shape"


def _deprecations(
    noun: str, subject: str, python: str, was: dict[str, Any], now: dict[str, Any]
) -> list[Change]:
    """An operation or class the document newly marks deprecated, or no longer does."""
    before, after = bool(was.get("deprecated")), bool(now.get("deprecated"))
    if before == after:
        return []
    return [Change(f"{noun} {'deprecated' if after else 'no longer deprecated'}", subject, "", False, python)]


def _flag_changes(noun: str, owner: str, python: str, was: set[str], now: set[str]) -> list[Change]:
    """Parameters or fields newly marked deprecated, or no longer."""
    changes = [
        Change(f"{noun} deprecated", f"{owner}.{name}", "", False, python) for name in sorted(now - was)
    ]
    changes += [
        Change(f"{noun} no longer deprecated", f"{owner}.{name}", "", False, python)
        for name in sorted(was - now)
    ]
    return changes


def _members(
    noun: str,
    owner: str,
    python: str,
    was: tuple[dict[str, str], set[str]],
    now: tuple[dict[str, str], set[str]],
    renamed: dict[str, str],
    *,
    optional_breaks: bool,
) -> list[Change]:
    """Parameters of an operation or fields of a class: added, removed, retyped, required."""
    (old_types, old_required), (new_types, new_required) = was, now
    changes: list[Change] = []
    for name in sorted(old_types.keys() - new_types.keys()):
        changes.append(Change(f"{noun} removed", f"{owner}.{name}", old_types[name], True, python))
    for name in sorted(new_types.keys() - old_types.keys()):
        required = name in new_required
        detail = f"{new_types[name]}, {'required' if required else 'optional'}"
        changes.append(Change(f"{noun} added", f"{owner}.{name}", detail, required, python))
    for name in sorted(old_types.keys() & new_types.keys()):
        before = _rename_types(old_types[name], renamed)
        if before != new_types[name]:
            detail = f"{before} -> {new_types[name]}"
            changes.append(Change(f"{noun} retyped", f"{owner}.{name}", detail, True, python))
        if name in new_required and name not in old_required:
            changes.append(Change(f"{noun} made required", f"{owner}.{name}", "", True, python))
        elif name in old_required and name not in new_required:
            changes.append(Change(f"{noun} made optional", f"{owner}.{name}", "", optional_breaks, python))
    return changes


def _typed_slots(
    noun: str, owner: str, python: str, was: dict[str, str], now: dict[str, str], renamed: dict[str, str]
) -> list[Change]:
    """Request bodies by content type, responses by status code."""
    changes: list[Change] = []
    for slot in sorted(was.keys() - now.keys()):
        changes.append(Change(f"{noun} removed", f"{owner} {slot}", was[slot], True, python))
    for slot in sorted(now.keys() - was.keys()):
        changes.append(Change(f"{noun} added", f"{owner} {slot}", now[slot], noun == "request body", python))
    for slot in sorted(was.keys() & now.keys()):
        before = _rename_types(was[slot], renamed)
        if before != now[slot]:
            detail = f"{before} -> {now[slot]}"
            changes.append(Change(f"{noun} retyped", f"{owner} {slot}", detail, True, python))
    return changes


def _signature(entry: dict[str, Any]) -> tuple[Any, ...]:
    if "values" in entry:
        return ("enum", tuple(entry["values"]))
    return ("model", tuple(sorted(entry["fields"])), tuple(entry["required"]))


def _class_renames(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Old name -> new name for classes that only changed name (one candidate each way)."""
    gone = {name: _signature(old[name]) for name in old.keys() - new.keys()}
    came = {name: _signature(new[name]) for name in new.keys() - old.keys()}
    renamed: dict[str, str] = {}
    for name, signature in gone.items():
        matches = [n for n, s in came.items() if s == signature]
        twins = [n for n, s in gone.items() if s == signature]
        if len(matches) == 1 and len(twins) == 1:
            renamed[name] = matches[0]
    return renamed


def _class_changes(old: dict[str, Any], new: dict[str, Any], renamed: dict[str, str]) -> list[Change]:
    def python(entry: dict[str, Any], name: str) -> str:
        return f"{entry['module']}.{name}"

    changes: list[Change] = []
    for name in sorted(old.keys() - new.keys()):
        if name in renamed:
            target = renamed[name]
            detail = f"{name} -> {target}, now {python(new[target], target)}"
            changes.append(Change("class renamed", name, detail, True, python(old[name], name)))
        else:
            changes.append(Change("class removed", name, old[name]["module"], True, python(old[name], name)))
    targets = set(renamed.values())
    for name in sorted(new.keys() - old.keys() - targets):
        changes.append(Change("class added", name, new[name]["module"], False, python(new[name], name)))
    pairs = [(n, n) for n in sorted(old.keys() & new.keys())] + sorted(renamed.items())
    for old_name, new_name in pairs:
        was, now = old[old_name], new[new_name]
        where = python(now, new_name)
        if old_name == new_name and was["module"] != now["module"]:
            detail = f"{was['module']} -> {now['module']}"
            changes.append(Change("class moved", new_name, detail, True, python(was, old_name)))
        if ("values" in was) != ("values" in now):
            kinds = ("enum", "model") if "values" in was else ("model", "enum")
            changes.append(Change("class retyped", new_name, " -> ".join(kinds), True, where))
        elif "values" in was:
            for value in sorted(set(was["values"]) - set(now["values"])):
                changes.append(Change("enum value removed", new_name, repr(value), True, where))
            for value in sorted(set(now["values"]) - set(was["values"])):
                changes.append(Change("enum value added", new_name, repr(value), False, where))
        else:
            changes += _members(
                "field",
                new_name,
                where,
                (was["fields"], set(was["required"])),
                (now["fields"], set(now["required"])),
                renamed,
                optional_breaks=True,
            )
            changes += _flag_changes(
                "field",
                new_name,
                where,
                set(was.get("deprecated_fields", [])),
                set(now.get("deprecated_fields", [])),
            )
        changes += _deprecations("class", new_name, where, was, now)
    return changes
