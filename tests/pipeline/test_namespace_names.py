"""Namespace method names: every generated operation is a method on both clients, named by
the rule or the overlay (these import the pipeline, so they run where the generator runs)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import iqp_api.api
from codegen.overlay import load_overlay
from codegen.resources import method_name
from iqp_api.resources import AsyncResourceClient, ResourceClient
from tests.conftest import ROOT


def _operations() -> list[tuple[str, str]]:
    """(tag, function) for every generated operation module."""
    found = []
    for tag in pkgutil.iter_modules(iqp_api.api.__path__):
        package = importlib.import_module(f"iqp_api.api.{tag.name}")
        found += [(tag.name, op.name) for op in pkgutil.iter_modules(package.__path__)]
    return found


OVERRIDES = load_overlay(ROOT / "openapi" / "overlay.yaml").method_names


@pytest.mark.parametrize(("tag", "function"), _operations())
def test_every_operation_is_a_method_on_both_clients(tag: str, function: str) -> None:
    name = OVERRIDES.get(function) or method_name(function, tag)
    for client_class in (ResourceClient, AsyncResourceClient):
        namespace_class = getattr(client_class, tag).fget.__annotations__["return"]
        module = importlib.import_module(f"iqp_api.resources.{tag}")
        cls = getattr(module, namespace_class)
        assert callable(getattr(cls, name)), f"{client_class.__name__}.{tag}.{name}"
        assert callable(getattr(getattr(module, f"{namespace_class}WithRawResponse"), name))


def test_method_names_drop_the_words_of_the_tag() -> None:
    assert method_name("get_job", "jobs") == "get"
    assert method_name("list_jobs", "jobs") == "list"
    assert method_name("get_job_logs", "jobs") == "get_logs"
    assert method_name("get_backend_properties", "backends") == "get_properties"
    assert method_name("get_versions", "versions") == "get"
    assert method_name("jobs", "jobs") == "jobs"  # nothing left: the function's own name
