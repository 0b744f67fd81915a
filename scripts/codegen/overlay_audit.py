"""Overlay entries the document gives nothing to act on: stale decisions, reported.

An operationId that is renamed upstream leaves its ``function_names`` entry behind and the
operation named by rule; a header the document no longer has leaves its ``client_headers``
entry behind. Neither stops generation, but both are worth a line in the report.
"""

from __future__ import annotations

from typing import Any

from .overlay import Overlay
from .walk import operations


def unmatched_entries(document: dict[str, Any], overlay: Overlay) -> list[str]:
    """One line per overlay entry that matches nothing in ``document`` (before repairs)."""
    ids = {str(op.get("operationId")) for _path, _method, op in operations(document)}
    lines = [
        f"function_names: {op_id} matches no operationId in the document"
        for op_id in sorted(set(overlay.function_names) - ids)
    ]
    headers = _header_names(document)
    lines += [
        f"client_headers: {name} is not a header parameter in the document"
        for name in overlay.client_headers
        if name.lower() not in headers
    ]
    return lines


def _header_names(document: dict[str, Any]) -> set[str]:
    """Lower-cased names of headers the document uses: parameters, dangling references to
    parameters, and API-key security schemes sent in a header."""
    found: set[str] = set()
    components = document.get("components") or {}
    for scheme in (components.get("securitySchemes") or {}).values():
        if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            found.add(str(scheme.get("name", "")).lower())  # sent by the client, as the overlay says
    shared = components.get("parameters") or {}
    candidates: list[Any] = list(shared.values())
    for item in (document.get("paths") or {}).values():
        if isinstance(item, dict):
            candidates += item.get("parameters") or []
    candidates += [p for _path, _method, op in operations(document) for p in op.get("parameters") or []]
    for param in candidates:
        if not isinstance(param, dict):
            continue
        ref = param.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/parameters/"):
            # A dangling reference to a client header is repaired by rule, so it counts.
            found.add(ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~").lower())
        elif param.get("in") == "header":
            found.add(str(param.get("name", "")).lower())
    return found
