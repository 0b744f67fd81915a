"""The IBM-API-Version values a document describes, and whether the client's default is one.

IBM versions the API by date and lists the versions on ``GET /v1/versions``. A document
describes some of them; the client sends one by default (``api_version`` in the overlay).
Nothing checked that the two agree, so a regeneration could leave the client sending a
version the document no longer describes, or one IBM has deprecated. The described
versions come from, in order:
- the document: an ``enum``, ``example`` or ``examples`` on the ``IBM-API-Version``
  header parameter, and ``example``/``examples`` of the ``GET /v1/versions`` answer
  (``{"versions": [{"version", "status"}]}``);
- the overlay's ``api_versions`` (for documents that list none, as IBM's does not).
A version both list takes the document's status. ``check`` words the findings; the
generated package records the versions (``iqp_api.api_version.DESCRIBED_VERSIONS``) and
the API summary carries them, so the change report shows versions added, dropped or
deprecated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .walk import operations

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STATUSES = ("live", "deprecated")


def described_versions(doc: dict[str, Any], declared: Mapping[str, str]) -> dict[str, str]:
    """Version date -> status (``live``, ``deprecated`` or ``""`` when unknown), sorted."""
    found: dict[str, str] = {}
    for version in _header_values(doc):
        found.setdefault(version, "")
    for version, status in _versions_examples(doc):
        if status or version not in found:
            found[version] = status
    for version, status in declared.items():
        if not found.get(version):
            found[version] = status
    return {v: found[v] for v in sorted(found)}


def check(default: str, described: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Notes and warnings about the client's default version against ``described``."""
    if not described:
        return [
            "versions: the document lists no API versions; add api_versions to the overlay to check them"
        ], []
    span = f"{len(described)} API versions, {min(described)} to {max(described)}"
    status = described.get(default)
    if status is None:
        newer = [v for v in described if v > default]
        where = "newer than every one of them" if not newer else "not among them"
        return [], [f"versions: the client's default IBM-API-Version {default} is {where} ({span})"]
    if status == "deprecated":
        live = [v for v, s in described.items() if s == "live"]
        hint = f"; the live one is {live[-1]}" if live else ""
        return [], [f"versions: the client's default IBM-API-Version {default} is deprecated{hint}"]
    return [
        f"versions: the document describes {span}; the client sends {default} ({status or 'status unknown'})"
    ], []


def _header_values(doc: dict[str, Any]) -> Iterable[str]:
    params = [
        p
        for p in ((doc.get("components") or {}).get("parameters") or {}).values()
        if isinstance(p, dict) and str(p.get("name", "")).lower() == "ibm-api-version"
    ]
    for p in params:
        schema: dict[str, Any] = p["schema"] if isinstance(p.get("schema"), dict) else {}
        values: list[Any] = [*(schema.get("enum") or []), *(schema.get("examples") or [])]
        values += [schema.get("example"), p.get("example")]
        values += [e.get("value") for e in (p.get("examples") or {}).values() if isinstance(e, dict)]
        yield from (v for v in values if isinstance(v, str) and _DATE.match(v))


def _versions_examples(doc: dict[str, Any]) -> Iterable[tuple[str, str]]:
    for path, method, op in operations(doc):
        if method != "get" or not path.rstrip("/").endswith("/versions"):
            continue
        media = (((op.get("responses") or {}).get("200") or {}).get("content") or {}).get(
            "application/json"
        ) or {}
        bodies = [media.get("example"), (media.get("schema") or {}).get("example")]
        bodies += [e.get("value") for e in (media.get("examples") or {}).values() if isinstance(e, dict)]
        for body in bodies:
            for entry in (body or {}).get("versions") or [] if isinstance(body, dict) else []:
                if isinstance(entry, dict) and isinstance(entry.get("version"), str):
                    status = entry.get("status")
                    yield entry["version"], status if status in STATUSES else ""
