"""Small documents, overlays and hand-written packages for the regeneration tests."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData

from codegen.api_summary import Summary, summarize
from codegen.normalize import normalize
from codegen.overlay import Overlay, load_overlay
from tests.conftest import ROOT

GENERATOR_CONFIG = ROOT / "openapi" / "generator.yaml"


def _json(schema_ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}


# Two operations on things, a model with an enum field, a request model.
BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "things", "version": "1"},
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "tags": ["things"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {"200": {"description": "OK", "content": _json("Thing")}},
            }
        },
        "/things": {
            "post": {
                "operationId": "createThing",
                "tags": ["things"],
                "requestBody": {"required": True, "content": _json("NewThing")},
                "responses": {"201": {"description": "Created", "content": _json("Thing")}},
            }
        },
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "size": {"type": "integer"},
                    "state": {"$ref": "#/components/schemas/State"},
                },
            },
            "State": {"type": "string", "enum": ["open", "closed"]},
            "NewThing": {"type": "object", "properties": {"label": {"type": "string"}}},
        }
    },
}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def write_doc(path: Path, doc: dict[str, Any]) -> str:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def write_overlay(path: Path, *, pinned: list[str], names: dict[str, str] | None = None) -> Path:
    overlay = {
        "api_version": "2026-04-15",
        "client_headers": [],
        "function_names": names or {},
        "pinned_names": pinned,
    }
    path.write_text(yaml.safe_dump(overlay), encoding="utf-8")
    return path


# Hand-written code over the synthetic client: what iqp_wrapper is to the real one.
HAND_WRITTEN = '''"""Uses the generated client the way iqp_wrapper does."""

from iqp_api.api.things import get_thing
from iqp_api.client import Client
from iqp_api.models.thing import Thing
from iqp_api.types import Unset


def size_of(client: Client, thing_id: str) -> int:
    thing = get_thing.sync(client=client, id=thing_id)
    if not isinstance(thing, Thing) or isinstance(thing.size, Unset):
        return 0
    return thing.size + 1
'''

PINNED = [
    "iqp_api.api.things.get_thing",
    "iqp_api.client.Client",
    "iqp_api.models.thing.Thing",
    "iqp_api.types.Unset",
]


def write_hand_written(root: Path) -> Path:
    package = root / "thingkit"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(HAND_WRITTEN, encoding="utf-8")
    return package


def summary_of(doc: dict[str, Any], overlay: Overlay, tmp: Path) -> Summary:
    """The API summary of ``doc`` without writing a package (the generator's model only)."""
    normalized, _report = normalize(doc, overlay)
    config = Config.from_sources(
        ConfigFile.load_from_path(GENERATOR_CONFIG), MetaType("none"), GENERATOR_CONFIG, "utf-8", False, tmp
    )
    data = GeneratorData.from_dict(normalized, config=config)
    assert isinstance(data, GeneratorData), data
    return summarize(data, normalized, "iqp_api")


def plain_overlay(tmp: Path) -> Overlay:
    return load_overlay(write_overlay(tmp / "overlay.yaml", pinned=[]))


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
