"""An OpenAPI discriminator decides a union, with or without a mapping.

IBM's document has none today, so this generates a small document that has both kinds
with our pipeline and templates, and runs the result.
"""

from __future__ import annotations

import importlib
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from codegen.cli import main

CAT = {"type": "object", "properties": {"kind": {"type": "string"}, "name": {"type": "string"}}}
DOG = {"type": "object", "properties": {"kind": {"type": "string"}, "name": {"type": "string"}}}
PETS: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "pets", "version": "1"},
    "paths": {
        "/homes/{id}": {
            "get": {
                "operationId": "get_home",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Home"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Cat": CAT,
            "Dog": DOG,
            "Home": {
                "type": "object",
                "properties": {
                    # With a mapping: the tag values are the API's own words.
                    "pet": {
                        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                        "discriminator": {
                            "propertyName": "kind",
                            "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
                        },
                    },
                    # Without: the tag is the schema's name.
                    "visitor": {
                        "anyOf": [{"$ref": "#/components/schemas/Dog"}, {"$ref": "#/components/schemas/Cat"}],
                        "discriminator": {"propertyName": "kind"},
                    },
                },
            },
        }
    },
}


@pytest.fixture(scope="module")
def pets(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("pets")
    spec = root / "pets.json"
    spec.write_text(json.dumps(PETS), encoding="utf-8")
    assert main(["--spec", str(spec), "--output", str(root / "out"), "--quiet", "--allow-breaking"]) == 0
    # Renamed so it does not shadow the real iqp_api; the models import relatively.
    shutil.move(str(root / "out" / "iqp_api"), str(root / "pets_api"))
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module("pets_api.models")
    finally:
        sys.path.remove(str(root))


def test_the_mapping_decides_between_identical_variants(pets: ModuleType) -> None:
    # Cat and Dog have the same fields: without the discriminator this would be a tie.
    for tag, variant in (("cat", pets.Cat), ("dog", pets.Dog)):
        payload = {"pet": {"kind": tag, "name": "Rex"}}
        home = pets.Home.from_dict(payload)
        assert type(home.pet) is variant
        assert home.to_dict() == payload


def test_without_a_mapping_the_schema_name_is_the_tag(pets: ModuleType) -> None:
    payload = {"visitor": {"kind": "Cat", "name": "Tom"}}
    home = pets.Home.from_dict(payload)
    assert type(home.visitor) is pets.Cat
    assert home.to_dict() == payload


def test_an_unknown_tag_is_kept_unresolved(pets: ModuleType) -> None:
    types = sys.modules["pets_api.types"]
    payload = {"pet": {"kind": "parrot", "name": "Polly"}}
    home = pets.Home.from_dict(payload)
    assert isinstance(home.pet, types.Unresolved) and "names no known variant" in home.pet.reason
    assert home.to_dict() == payload


def test_with_no_tag_a_tie_is_kept_unresolved(pets: ModuleType) -> None:
    types = sys.modules["pets_api.types"]
    payload = {"pet": {"name": "Nameless"}}
    home = pets.Home.from_dict(payload)
    assert isinstance(home.pet, types.Unresolved) and home.pet.reason == "several variants fit equally"
    assert set(home.pet.candidates) == {"Cat", "Dog"}
    assert home.to_dict() == payload


def test_the_rules_come_from_the_document(pets: ModuleType) -> None:
    assert pets.__file__ is not None
    source = Path(pets.__file__).with_name("home.py").read_text(encoding="utf-8")
    assert '"variants": {"cat": ["Cat"], "dog": ["Dog"]}' in source
    assert '"variants": {"Cat": ["Cat"], "Dog": ["Dog"]}' in source
