"""The declared overlay: the decisions about the document that no rule can make."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .version_shapes import Declared, parse_declared

_PY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Overlay:
    """What ``openapi/overlay.yaml`` declares."""

    api_version: str
    client_headers: tuple[str, ...]
    function_names: dict[str, str] = field(default_factory=dict)
    method_names: dict[str, str] = field(default_factory=dict)
    pinned_names: tuple[str, ...] = ()
    # IBM-API-Version values the document describes, with their status (live, deprecated),
    # for documents that do not list them themselves (see api_versions.py).
    api_versions: dict[str, str] = field(default_factory=dict)
    # openapi/programs/ and how its schemas join the document (see programs.py).
    program_schemas: Any = None
    # Answers whose shape follows the IBM-API-Version sent (see version_shapes.py).
    version_shapes: tuple[Declared, ...] = ()


def load_overlay(path: Path) -> Overlay:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read overlay {path}: {exc}") from None
    if not isinstance(raw, dict):
        raise InputError(f"overlay {path} must be a mapping")
    api_version = str(raw.get("api_version", ""))
    if not _DATE.match(api_version):
        raise InputError(f"overlay {path}: api_version must be a YYYY-MM-DD date, got {api_version!r}")
    names = raw.get("function_names") or {}
    if not isinstance(names, dict):
        raise InputError(f"overlay {path}: function_names must map operationId to a name")
    bad = sorted(f"{k}: {v}" for k, v in names.items() if not _PY_NAME.match(str(v)))
    if bad:
        raise InputError(f"overlay {path}: not snake_case Python names: {', '.join(bad)}")
    seen: dict[str, str] = {}
    for op_id, name in names.items():
        if name in seen:
            raise InputError(f"overlay {path}: {op_id} and {seen[name]} both map to {name}")
        seen[name] = op_id
    methods = raw.get("method_names") or {}
    if not isinstance(methods, dict):
        raise InputError(f"overlay {path}: method_names must map a function name to a method name")
    bad = sorted(f"{k}: {v}" for k, v in methods.items() if not _PY_NAME.match(str(v)))
    if bad:
        raise InputError(f"overlay {path}: method_names are not snake_case Python names: {', '.join(bad)}")
    headers = tuple(str(h) for h in raw.get("client_headers") or ())
    pinned = raw.get("pinned_names") or []
    if not isinstance(pinned, list) or not all(isinstance(n, str) and n for n in pinned):
        raise InputError(f"overlay {path}: pinned_names must be a list of dotted names")
    versions = raw.get("api_versions") or {}
    if not isinstance(versions, dict) or not all(
        _DATE.match(str(v)) and s in ("live", "deprecated") for v, s in versions.items()
    ):
        raise InputError(f"overlay {path}: api_versions must map YYYY-MM-DD dates to live or deprecated")
    return Overlay(
        api_version=api_version,
        api_versions={str(v): str(s) for v, s in versions.items()},
        client_headers=headers,
        function_names=dict(names),
        method_names={str(k): str(v) for k, v in methods.items()},
        pinned_names=tuple(pinned),
        program_schemas=raw.get("program_schemas"),
        version_shapes=parse_declared(raw.get("version_shapes"), f"overlay {path}"),
    )
