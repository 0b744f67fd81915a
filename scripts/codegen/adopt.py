"""Adopting a new upstream document as ours: IBM's structure, our words.

``openapi/qiskit-runtime-api.yaml`` is IBM's published structure with descriptions this
project wrote. When IBM publishes a new version, ``generate.py --adopt NEW`` makes it ours:
- the structure (paths, schemas, types, ``deprecated``...) is taken from NEW as it is;
- words (``description``, ``summary``) and examples are ours: where our document has them
  at the same place they are kept, IBM's are dropped everywhere (this project writes its
  own; the list of places still lacking ours is reported, and tests/pipeline/test_document.py
  insists on them);
- corrections that the new document makes unnecessary (``already true upstream``) are
  retired from ``openapi/corrections.yaml`` and reported; the others keep applying at
  generation as before.
"Same place" is the JSON path, with list items matched by what names them (parameters by
name and location, tags by name, servers by URL) rather than by position.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .walk import NAME_MAPS, escape

WORDS = ("description", "summary")
EXAMPLES = ("example", "examples")


class _Dumper(yaml.SafeDumper):
    """YAML as our document is written: multi-line text in literal blocks."""


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


_Dumper.add_representer(str, _text)


def dump(doc: dict[str, Any], header: str) -> str:
    """``doc`` as our document's text, ``header`` (its leading comment lines) first."""
    return header + yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def header_of(text: str) -> str:
    """The comment lines a YAML text starts with."""
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


class Words:
    """Counts what carrying our words over did."""

    def __init__(self) -> None:
        self.kept = 0
        self.dropped = 0
        self.missing: list[str] = []


def carry_words(upstream: Any, ours: Any, words: Words, pointer: str = "", names: bool = False) -> Any:
    """``upstream`` with our words and examples where ``ours`` has them at the same place."""
    if isinstance(upstream, list):
        return [
            carry_words(item, _partner(item, ours, index), words, f"{pointer}/{index}")
            for index, item in enumerate(upstream)
        ]
    if not isinstance(upstream, dict):
        return upstream
    mine = ours if isinstance(ours, dict) else {}
    if names:  # keys are names: every one of theirs, in their order
        return {k: carry_words(v, mine.get(k), words, f"{pointer}/{escape(k)}") for k, v in upstream.items()}
    # Our order for what both have (so an unchanged release gives an unchanged file), then
    # what only they have.
    words_here = WORDS + EXAMPLES
    order = [k for k in mine if k in upstream or k in words_here] + [k for k in upstream if k not in mine]
    out: dict[str, Any] = {}
    for key in order:
        if key not in words_here:
            out[key] = carry_words(
                upstream[key], mine.get(key), words, f"{pointer}/{escape(key)}", key in NAME_MAPS
            )
            continue
        words.dropped += key in upstream
        if key in mine:
            out[key] = mine[key]
            words.kept += key in WORDS
        elif key == "description":
            words.missing.append(pointer or "/")
    return out


def _partner(item: Any, ours: Any, index: int) -> Any:
    """The element of our list that stands for ``item`` of theirs."""
    if not isinstance(ours, list):
        return None
    if isinstance(item, dict):
        for keys in (("name", "in"), ("name",), ("url",), ("$ref",)):
            if all(k in item for k in keys):
                for candidate in ours:
                    if isinstance(candidate, dict) and all(candidate.get(k) == item[k] for k in keys):
                        return candidate
                return None
    return ours[index] if index < len(ours) else None


def adopt_document(upstream: dict[str, Any], ours_path: Path) -> tuple[str, str, list[str]]:
    """The new text of our document, the old one, and what adopting did (report lines)."""
    try:
        old_text = ours_path.read_text(encoding="utf-8")
        ours = yaml.safe_load(old_text)
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read our document {ours_path}: {exc}") from None
    words = Words()
    adopted = carry_words(upstream, ours, words)
    report = [
        f"adopt: {ours_path.name} now has the new document's structure "
        f"(OpenAPI {adopted.get('openapi')}, version {(adopted.get('info') or {}).get('version')}); "
        f"our words kept at {words.kept} places, upstream's dropped at {words.dropped}"
    ]
    if words.missing:
        shown = ", ".join(words.missing[:10]) + (
            f" and {len(words.missing) - 10} more" if len(words.missing) > 10 else ""
        )
        report.append(f"adopt: {len(words.missing)} places have no description of ours yet: {shown}")
    return dump(adopted, header_of(old_text)), old_text, report


_ENTRY = re.compile(r"^  - id: (?P<id>\S+)\s*$")


def retire_corrections(text: str, retired: list[str]) -> str:
    """``corrections.yaml`` text without the entries whose ids are in ``retired``."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        match = _ENTRY.match(line)
        if match:
            skipping = match["id"] in retired
        elif skipping and line.strip() and not line.startswith("    "):
            skipping = False  # the end of the list
        if not skipping:
            out.append(line)
    return "".join(out)
