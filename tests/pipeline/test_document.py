"""Our OpenAPI document describes everything, and the generated code shows it on hover."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.walk import operations, schema_roots, subschemas
from tests.conftest import ROOT

DOCUMENT = ROOT / "openapi" / "qiskit-runtime-api.yaml"
PACKAGE = ROOT / "generated" / "iqp_api"


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    return loaded


def test_covers_every_operation_and_schema_of_the_reference(
    ours: dict[str, Any], reference: dict[str, Any]
) -> None:
    def ops(doc: dict[str, Any]) -> set[tuple[str, str, str]]:
        return {(m, p, o["operationId"]) for p, m, o in operations(doc)}

    assert ops(ours) == ops(reference)
    assert set(ours["components"]["schemas"]) == set(reference["components"]["schemas"])


def test_every_operation_and_parameter_is_described(ours: dict[str, Any]) -> None:
    undescribed = []
    for path, method, op in operations(ours):
        if not (op.get("summary") and op.get("description")):
            undescribed.append(f"{method} {path}")
        for param in op.get("parameters", []):
            if "$ref" not in param and not param.get("description"):
                undescribed.append(f"{method} {path} {param['name']}")
        if "requestBody" in op and not op["requestBody"].get("description"):
            undescribed.append(f"{method} {path} body")
    assert undescribed == []


def test_every_schema_and_property_is_described(ours: dict[str, Any]) -> None:
    undescribed = []
    for pointer, root in schema_roots(ours):
        if not pointer.startswith("/components/schemas/"):
            continue
        if not root.get("description"):
            undescribed.append(pointer)
        for ptr, node in subschemas(root, pointer):
            for name, prop in (node.get("properties") or {}).items():
                if not prop.get("description"):
                    undescribed.append(f"{ptr}/properties/{name}")
    assert undescribed == []


ALL_FLAVOURS = {"sync", "sync_detailed", "asyncio", "asyncio_detailed"}


def test_every_function_has_a_docstring_with_our_summary(ours: dict[str, Any]) -> None:
    summaries = {op["summary"] for _p, _m, op in operations(ours)}
    for module in (PACKAGE / "api").rglob("*.py"):
        if module.name == "__init__.py":
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        public = [f for f in functions if not f.name.startswith("_")]
        names = {f.name for f in public}
        assert (
            {"sync_detailed", "asyncio_detailed"}
            <= names
            <= {"sync", "sync_detailed", "asyncio", "asyncio_detailed"}
        )
        for function in public:
            doc = ast.get_docstring(function) or ""
            assert doc.splitlines()[0] in summaries, f"{module.name}:{function.name}"


def test_every_model_attribute_has_a_docstring() -> None:
    missing = []
    for module in (PACKAGE / "models").glob("*.py"):
        for node in ast.parse(module.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ClassDef) or any(
                isinstance(b, ast.Name) and b.id in {"Enum", "IntEnum", "str"} for b in node.bases
            ):
                continue
            body = node.body
            for i, stmt in enumerate(body):
                if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
                    continue
                following = body[i + 1] if i + 1 < len(body) else None
                is_doc = isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                if not is_doc:
                    missing.append(f"{module.name}:{node.name}.{stmt.target.id}")
    assert missing == []


def test_docs_map_every_upstream_operation_id(reference: dict[str, Any]) -> None:
    readme = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    overlay = yaml.safe_load((ROOT / "openapi" / "overlay.yaml").read_text(encoding="utf-8"))
    for _path, _method, op in operations(reference):
        name = overlay["function_names"][op["operationId"]]
        assert f"| `{op['operationId']}` | `{name}` |" in readme, op["operationId"]
        assert list(Path(PACKAGE / "api").rglob(f"{name}.py")), name


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    setup, test_command = [line for line in quick_start.splitlines() if line.strip()]
    assert "iqp demo" in setup
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
