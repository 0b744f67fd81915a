"""Which variant a union payload is: the rules the templates get, from the document and overlay.

Order of decision in the generated parsers (see openapi/templates/types.py.jinja, ``decide``):
1. an OpenAPI ``discriminator`` on the union (with ``mapping``, or the implicit one: the
   schema name of each ``$ref`` variant), read from the payload itself;
2. a contextual discriminator declared in ``openapi/overlay.yaml``
   (``contextual_discriminators``): a sibling field of the union names the variants
   (``program_id`` decides a job's ``params``);
3. single-valued enum tags inside the variants (``schema_version``...), then best fit.
If nothing decides and several variants fit equally, the payload is kept as it came, in
``types.Unresolved``, never guessed.

The rules are handed to the templates as the jinja global ``union_rules``, keyed by
"ModelClass.field" for a union written as a model's field (rules 1 and 2), and by the
sorted class names of its model variants ("A|B|C") for a component union (rule 1). Each
rule: ``{"by": key, "from": "payload" | "parent", "variants": {tag value: [class names]}}``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client.strings import ClassName, PythonIdentifier

from .errors import InputError
from .programs import Programs
from .walk import all_schemas

_REF = "#/components/schemas/"
_FIELD = re.compile(r"^/components/schemas/([^/]+)/properties/([^/]+)$")


def union_rules(
    doc: dict[str, Any],
    overlay_path: Path,
    programs: Programs | None = None,
    field_prefix: str = "field_",
) -> dict[str, Any]:
    """The decision rules for the templates (see the module docstring)."""
    rules = _document_discriminators(doc, field_prefix)
    rules.update(_contextual(overlay_path, programs))
    return rules


def _class(key: str, prefix: str) -> str:
    return str(ClassName(key, prefix))


def _document_discriminators(doc: dict[str, Any], prefix: str) -> dict[str, Any]:
    rules: dict[str, Any] = {}
    for pointer, node in all_schemas(doc):
        discriminator = node.get("discriminator")
        variants = node.get("oneOf") or node.get("anyOf")
        if not isinstance(discriminator, dict) or not isinstance(variants, list):
            continue
        refs = [v["$ref"] for v in variants if isinstance(v, dict) and isinstance(v.get("$ref"), str)]
        keys = [r[len(_REF) :] for r in refs if r.startswith(_REF)]
        if len(keys) < 2:
            continue
        mapping = discriminator.get("mapping") or {key: f"{_REF}{key}" for key in keys}
        by_tag: dict[str, list[str]] = {}
        for tag, target in mapping.items():
            key = str(target)[len(_REF) :] if str(target).startswith(_REF) else str(target)
            if key in keys:
                by_tag.setdefault(str(tag), []).append(_class(key, prefix))
        rule = {"by": discriminator.get("propertyName"), "from": "payload", "variants": by_tag}
        # A union written inline as a property is that field's; one defined as a component
        # (and referenced from fields) is known by its set of variants.
        field = _FIELD.match(pointer)
        if field:
            owner, name = (part.replace("~1", "/").replace("~0", "~") for part in field.groups())
            rules[f"{_class(owner, prefix)}.{PythonIdentifier(name, prefix)}"] = rule
        else:
            rules["|".join(sorted(_class(k, prefix) for k in keys))] = rule
    return rules


def _contextual(overlay_path: Path, programs: Programs | None) -> dict[str, Any]:
    try:
        raw: Any = yaml.safe_load(overlay_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read overlay {overlay_path}: {exc}") from None
    entries = (raw or {}).get("contextual_discriminators") or []
    if not isinstance(entries, list):
        raise InputError(f"overlay {overlay_path}: contextual_discriminators must be a list")
    rules: dict[str, Any] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) for k in ("model", "field", "by")
        ):
            raise InputError(f"overlay {overlay_path}: a contextual discriminator needs model, field and by")
        variants = entry.get("variants")
        if not isinstance(variants, dict) or not variants:
            raise InputError(f"overlay {overlay_path}: {entry['model']}.{entry['field']} lists no variants")
        by_tag = {
            str(tag): _classes(v if isinstance(v, list) else [v], programs, overlay_path)
            for tag, v in variants.items()
        }
        rules[f"{entry['model']}.{entry['field']}"] = {
            "by": entry["by"],
            "from": "parent",
            "variants": by_tag,
        }
    return rules


def _classes(listed: list[Any], programs: Programs | None, overlay_path: Path) -> list[str]:
    """Class names of one tag's variants; ``{program_schemas: P}`` is every params class of P."""
    names: list[str] = []
    for item in listed:
        if isinstance(item, dict) and "program_schemas" in item:
            program = str(item["program_schemas"])
            classes = programs.classes(program) if programs else []
            if not classes:
                raise InputError(f"overlay {overlay_path}: no exported program schemas for {program}")
            names.extend(classes)
        else:
            names.append(str(item))
    return names
