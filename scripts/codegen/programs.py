"""IBM's program schemas (openapi/programs/) as components of the document, wired into its unions.

The Runtime API document describes a job's ``params`` and result per program only as far as
IBM copied them in; the programs themselves are defined by the Pydantic models of the
``ibm-quantum-schemas`` package, exported (prose removed) by openapi/programs/export.py.
``merge_programs`` adds every exported schema to ``components/schemas``:

- a program version's models are named ``<prefix><Vxy><Model>`` (``ExecutorV20ParamsModel``),
  the prefix per program coming from the overlay (``program_schemas.programs``); the
  ``ibm_quantum_schemas.common`` models keep their own names (``TensorModel``). These are
  the names IBM's document already uses for the versions it carries;
- where the document already defines a component of that name, the package's definition
  replaces it (the package is the program's own definition) and keeps the document's
  descriptions of the schema and of the properties both have; document components that
  only replaced definitions used are kept (their class names still import), deprecated;
- each program with a ``program_id`` has its params model (every version) added to the union
  named by ``program_schemas.params`` and its result model to ``program_schemas.results``.
  Which variant a payload is stays the overlay's ``contextual_discriminators`` decision:
  an entry ``{program_schemas: executor}`` there stands for every params class of executor
  (``program_classes``), so a new program version needs no overlay edit.

Schemas are written in the document's dialect: for OpenAPI 3.0, ``const`` becomes a
one-value ``enum``, a ``null`` variant becomes ``nullable``, ``prefixItems`` is kept as
``x-prefixItems`` and a numeric ``exclusiveMinimum`` becomes ``minimum`` plus the flag. A
field that is always null keeps ``type: null``: 3.0 has no word for it, and the generator
reads it as ``None`` (a one-value ``enum: [null]`` would lose the field's description).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .api_summary import PROGRAMS_KEY as SUMMARY_KEY
from .errors import InputError

Document = dict[str, Any]
_REF = "#/components/schemas/"
_LOCAL = "#/schemas/"
_COMMON = "common.json#/schemas/"


@dataclass(frozen=True)
class ProgramVersion:
    """One exported program version: its tag, the class names of its params and result."""

    program: str
    version: str
    params: str
    result: str
    model_path: str


@dataclass
class Programs:
    """What openapi/programs/ holds, named for the document."""

    package_version: str = ""
    versions: list[ProgramVersion] = field(default_factory=list)
    schemas: dict[str, Any] = field(default_factory=dict)
    program_ids: dict[str, str] = field(default_factory=dict)
    params_union: str = ""
    results_union: str = ""

    def classes(self, program: str, kind: str = "params") -> list[str]:
        """The component names of ``program``'s params (or result) models, oldest version first."""
        return [getattr(v, kind) for v in self.versions if v.program == program]


def version_tag(version: str) -> str:
    """``v2.0`` -> ``V20``: IBM's infix for a version in component names."""
    return "V" + version.lstrip("v").replace(".", "")


def load_programs(config: Any, openapi_dir: Path) -> Programs | None:
    """Read the exported schemas the overlay's ``program_schemas`` points at (None if absent)."""
    if not config:
        return None
    if not isinstance(config, dict) or not isinstance(config.get("programs"), dict):
        raise InputError("overlay: program_schemas needs directory and programs (prefix, program_id)")
    directory = openapi_dir / str(config.get("directory", "programs"))
    prefixes: dict[str, str] = {}
    found = Programs(
        params_union=str(config.get("params", "")),
        results_union=str(config.get("results", "")),
    )
    for program, entry in config["programs"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("prefix"), str):
            raise InputError(f"overlay: program_schemas.programs.{program} needs a prefix")
        prefixes[str(program)] = entry["prefix"]
        if entry.get("program_id"):
            found.program_ids[str(program)] = str(entry["program_id"])
    common = _read(directory / "common.json")
    found.package_version = str(common.get("package_version", ""))
    for name, entry in common["schemas"].items():
        found.schemas[name] = _entry(entry, lambda ref: ref)
    files = sorted(p for p in directory.glob("*/v*.json"))
    if not files:
        raise InputError(f"no program schemas in {directory}: run openapi/programs/run.py")
    for path in sorted(files, key=_version_order):
        data = _read(path)
        program = str(data["program"])
        if program not in prefixes:
            raise InputError(
                f"{path}: program {program} has no entry in the overlay's program_schemas.programs; "
                "give it a component name prefix"
            )
        if data.get("package_version") != found.package_version:
            raise InputError(f"{path} comes from another ibm-quantum-schemas release than common.json")
        prefix = prefixes[program] + version_tag(str(data["version"]))

        def local(name: str, prefix: str = prefix) -> str:
            return prefix + name

        for name, entry in data["schemas"].items():
            found.schemas[local(name)] = _entry(entry, local)
        found.versions.append(
            ProgramVersion(
                program=program,
                version=str(data["version"]),
                params=local(str(data["params"])),
                result=local(str(data["result"])),
                model_path=str(data["module"]),
            )
        )
    return found


def _version_order(path: Path) -> tuple[str, tuple[int, ...]]:
    return path.parent.name, tuple(int(n) for n in path.stem.lstrip("v").split("."))


def _read(path: Path) -> dict[str, Any]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read program schemas {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("schemas"), dict):
        raise InputError(f"{path} is not an export of openapi/programs/export.py")
    return data


def _entry(entry: dict[str, Any], local: Callable[[str], str]) -> dict[str, Any]:
    schema: dict[str, Any] = _refs(entry["schema"], local)
    schema["x-ibm-quantum-schemas-model"] = entry["model"]
    # Our words: where the definition lives (the document's own description wins on merge).
    schema["description"] = f"As IBM's program schemas define `{entry['model']}`."
    return schema


def _refs(node: Any, local: Callable[[str], str]) -> Any:
    """References of an exported file, as component references."""
    if isinstance(node, dict):
        return {k: _ref(v, local) if k == "$ref" else _refs(v, local) for k, v in node.items()}
    if isinstance(node, list):
        return [_refs(v, local) for v in node]
    if isinstance(node, str) and node.startswith((_LOCAL, _COMMON)):
        return _ref(node, local)  # discriminator mapping values
    return node


def _ref(ref: str, local: Callable[[str], str]) -> str:
    if ref.startswith(_COMMON):
        return _REF + ref[len(_COMMON) :]
    if ref.startswith(_LOCAL):
        return _REF + local(ref[len(_LOCAL) :])
    raise InputError(f"program schemas: unexpected reference {ref}")


def merge_programs(doc: Document, programs: Programs | None) -> tuple[Document, list[str]]:
    """``doc`` with the program schemas as components and wired into the unions."""
    if programs is None:
        return doc, []
    schemas: dict[str, Any] = (doc.get("components") or {}).get("schemas") or {}
    unions = [u for u in (programs.params_union, programs.results_union) if u]
    if unions and not any(u.split("/", 1)[0] in schemas for u in unions):
        # A document without jobs (a fragment, a test document) has nothing to wire them to.
        return doc, [f"program schemas: the document has none of {', '.join(unions)}; not merged"]
    doc = copy.deepcopy(doc)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    dialect_30 = str(doc.get("openapi", "")).startswith("3.0.")
    # Components the document's own schemas use now; those that only replaced schemas used
    # are marked deprecated after the merge (kept, so their names still import).
    before = _referenced(doc)
    replaced = []
    for name, schema in programs.schemas.items():
        new = _to_30(copy.deepcopy(schema)) if dialect_30 else copy.deepcopy(schema)
        old = schemas.get(name)
        if isinstance(old, dict):
            _keep_descriptions(old, new)
            replaced.append(name)
        schemas[name] = new
    wired = [v for v in programs.versions if v.program in programs.program_ids]
    added = _add_variants(schemas, programs.params_union, [v.params for v in wired], "params")
    added += _add_variants(schemas, programs.results_union, [v.result for v in wired], "results")
    superseded = _deprecate_superseded(doc, before, set(programs.schemas))
    doc[SUMMARY_KEY] = summary(programs)
    report = [
        f"program schemas: {len(programs.schemas)} schemas of {len(programs.versions)} program versions "
        f"from ibm-quantum-schemas {programs.package_version}; {len(replaced)} replace the document's "
        f"definitions, {added} variants added to {programs.params_union} and {programs.results_union}"
    ]
    if superseded:
        report.append(
            f"program schemas: {len(superseded)} document components only the replaced definitions "
            f"used are kept, deprecated: {', '.join(superseded)}"
        )
    return doc, report


def summary(programs: Programs) -> dict[str, Any]:
    """Which classes are each program version's params and result, for the change report."""
    return {
        "package": f"ibm-quantum-schemas {programs.package_version}",
        "versions": {
            f"{v.program} {v.version}": {
                "params": v.params,
                "result": v.result,
                "program_id": programs.program_ids.get(v.program, ""),
                "module": v.model_path,
            }
            for v in programs.versions
        },
    }


def _deprecate_superseded(doc: Document, before: set[str], merged: set[str]) -> list[str]:
    """Document components only replaced definitions used: kept (their names still import),
    marked deprecated, since no program version uses them any more."""
    schemas: dict[str, Any] = doc["components"]["schemas"]
    outside = _referenced({k: v for k, v in doc.items() if k != "components"})
    outside |= _referenced({k: v for k, v in doc["components"].items() if k != "schemas"})
    superseded: set[str] = set()
    while True:
        used = set(outside)
        for name, schema in schemas.items():
            if name not in superseded:
                used |= _referenced(schema) - {name}  # a recursive schema does not keep itself
        gone = {n for n in schemas if n in before and n not in merged and n not in used} - superseded
        if not gone:
            break
        superseded |= gone
    for name in superseded:
        schema = schemas[name]
        schema["deprecated"] = True
        note = "Deprecated: no program version uses this definition; each has its own class now."
        said = schema.get("description")
        schema["description"] = f"{said} {note}" if isinstance(said, str) else note
    return sorted(superseded)


def _referenced(doc: Any) -> set[str]:
    """Names of the components some ``$ref`` in ``doc`` (or any part of it) points at."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REF):
                found.add(ref[len(_REF) :])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    return found


def _keep_descriptions(old: dict[str, Any], new: dict[str, Any]) -> None:
    if isinstance(old.get("description"), str):
        new["description"] = old["description"]
    old_props, new_props = old.get("properties"), new.get("properties")
    if isinstance(old_props, dict) and isinstance(new_props, dict):
        for key, prop in new_props.items():
            said = (old_props.get(key) or {}).get("description")
            if isinstance(said, str) and isinstance(prop, dict):
                prop.setdefault("description", said)


def _add_variants(schemas: dict[str, Any], pointer: str, classes: list[str], what: str) -> int:
    """Add a ``$ref`` to each class to the union at ``pointer`` (a path under components/schemas)."""
    if not pointer:
        return 0
    node: Any = schemas
    for part in pointer.split("/"):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            raise InputError(f"overlay: program_schemas.{what}: the document has no {pointer}")
    variants = node.get("oneOf") if isinstance(node, dict) else None
    if not isinstance(variants, list):
        raise InputError(f"overlay: program_schemas.{what}: {pointer} is not a oneOf union")
    present = {v.get("$ref") for v in variants if isinstance(v, dict)}
    new = [{"$ref": _REF + c} for c in classes if _REF + c not in present]
    # Appended: the generator names inline variants by position, so what is there keeps its name.
    variants.extend(new)
    return len(new)


def _to_30(node: Any) -> Any:
    """A JSON Schema 2020-12 schema (as pydantic writes it) in OpenAPI 3.0's dialect."""
    if isinstance(node, list):
        return [_to_30(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("properties", "$defs") and isinstance(value, dict):
            out[key] = {k: _to_30(v) for k, v in value.items()}
        elif key in ("default", "enum", "const", "x-ibm-quantum-schemas-model"):
            out[key] = value
        else:
            out[key] = _to_30(value)
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if "prefixItems" in out:
        out["x-prefixItems"] = out.pop("prefixItems")
        out.setdefault("items", {})
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = out.get(exclusive)
        if isinstance(value, (int, float)) and not isinstance(value, bool):  # 2020-12: the bound itself
            out[bound], out[exclusive] = value, True
    for word in ("anyOf", "oneOf"):
        variants = out.get(word)
        if isinstance(variants, list) and {"type": "null"} in variants:
            rest = [v for v in variants if v != {"type": "null"}]
            del out[word]
            if len(rest) == 1 and "$ref" not in rest[0]:
                out.update({k: v for k, v in rest[0].items() if k not in out})
            elif rest:
                out[word] = rest
            out["nullable"] = True
    return out
