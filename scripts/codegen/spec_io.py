"""Reading an OpenAPI document from a file or URL, in JSON or YAML."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import yaml

from .errors import InputError

# Keywords OpenAPI 3.2 added. A 3.2 document that uses none of them is a valid 3.1
# document with a different version string, which the generator accepts.
_ONLY_IN_3_2 = frozenset({"additionalOperations", "itemSchema", "querystring", "$self"})
_URL = re.compile(r"^https?://", re.IGNORECASE)
# libyaml's safe loader where PyYAML has it: six times faster on our document than the
# pure-Python one, which was a third of the regeneration time.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_document(source: str, *, timeout: float = 20.0) -> dict[str, Any]:
    """Return the parsed document at ``source`` (a path or an http(s) URL)."""
    if _URL.match(source):
        text = _fetch(source, timeout)
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"spec file not found: {source}")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read spec file {source}: {exc}") from None
    document = _parse(text, source)
    check_version(document, source)
    return document


def _fetch(url: str, timeout: float) -> str:
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise InputError(f"cannot fetch spec from {url}: {exc.__class__.__name__}: {exc}") from None
    if response.status_code != 200:
        raise InputError(f"cannot fetch spec from {url}: HTTP {response.status_code}")
    return response.text


def _parse(text: str, source: str) -> dict[str, Any]:
    stripped = text.lstrip()
    try:
        if stripped.startswith(("{", "[")):
            document = json.loads(text)
        else:
            document = yaml.load(text, Loader=_YAML_LOADER)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source} is not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1} column {where.column + 1}" if where else ""
        raise InputError(f"{source} is not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise InputError(f"{source} is not an OpenAPI document (no 'openapi' version and 'paths' object)")
    return document


def check_version(document: dict[str, Any], source: str) -> None:
    """Reject documents the pipeline cannot turn into a client."""
    version = document.get("openapi")
    if not isinstance(version, str):
        if "swagger" in document:
            raise InputError(f"{source} is Swagger 2.0; convert it to OpenAPI 3 first")
        raise InputError(f"{source} is not an OpenAPI document (no 'openapi' version field)")
    if not re.match(r"^3\.[012]\.\d+$", version):
        raise InputError(f"{source} uses OpenAPI {version}; supported: 3.0.x, 3.1.x, 3.2.x")
    if version.startswith("3.2."):
        used = sorted(_keys_in(document) & _ONLY_IN_3_2)
        if used:
            raise InputError(
                f"{source} uses OpenAPI 3.2 features ({', '.join(used)}); only 3.2 documents "
                "limited to 3.1 features are supported"
            )


def _keys_in(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.update(k for k in item if isinstance(k, str))
            found.update(v for k, v in item.items() if k == "in" and isinstance(v, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
