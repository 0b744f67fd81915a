"""No import in ``iqp_wrapper/`` runs from a lower layer up to a higher one.

The layers are the table in docs/architecture.md (the ``layers`` block); the import graph
is read from the source with ``ast``: imports at the top of a module and inside functions
alike, relative ones resolved, the packages on the way counted (importing
``iqp_wrapper.config.checks`` runs ``iqp_wrapper/config/__init__.py``). Imports under
``if TYPE_CHECKING:`` never run: they are exempt from the order, but must name a module
that exists.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "iqp_wrapper"
DOC = ROOT / "docs" / "architecture.md"

pytestmark = pytest.mark.repo_files


@dataclass(frozen=True)
class Import:
    """One import statement's target, as a module of the package."""

    importer: str
    target: str
    line: int
    type_only: bool


def modules(root: Path = ROOT) -> dict[str, bool]:
    """Every module of the package by dotted name -> whether it is a package."""
    found = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        package = parts[-1] == "__init__"
        if package:
            parts.pop()
        found[".".join(parts)] = package
    return found


def layers(text: str) -> list[tuple[str, list[str]]]:
    """The ``layers`` block of docs/architecture.md: (layer, its entries), lowest first."""
    block = re.search(r"```text layers\n(.*?)```", text, re.DOTALL)
    assert block, f"{DOC} has no ```text layers block"
    table = []
    for line in block.group(1).splitlines():
        name, _, entries = line.partition(":")
        table.append((name.strip(), entries.split()))
    return table


def layer_of(module: str, table: list[tuple[str, list[str]]]) -> list[str]:
    """The layers whose entries take ``module`` (a package entry takes what is inside it;
    the root package only itself)."""
    return [
        name
        for name, entries in table
        for entry in entries
        if module == entry or (entry != PACKAGE and module.startswith(entry + "."))
    ]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str, source: str, is_package: bool, known: dict[str, bool]) -> list[Import]:
    """What ``module`` imports from the package. A target that is no module of the package
    (an old path, say) is returned as it is written, so the caller can name it."""
    found: list[Import] = []

    def visit(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_only)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    found.append(Import(module, alias.name, node.lineno, type_only))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".") if is_package else module.split(".")[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            if base == PACKAGE or base.startswith(PACKAGE + "."):
                for alias in node.names:
                    named = f"{base}.{alias.name}"
                    found.append(Import(module, named if named in known else base, node.lineno, type_only))
        for inner in ast.iter_child_nodes(node):
            visit(inner, type_only)

    visit(ast.parse(source), False)
    return found


def with_packages_on_the_way(target: str) -> list[str]:
    """``target`` and the packages Python runs to reach it, except the root package."""
    parts = target.split(".")
    return [".".join(parts[:n]) for n in range(2, len(parts) + 1)] or [target]


def violations(graph: list[Import], table: list[tuple[str, list[str]]], known: dict[str, bool]) -> list[str]:
    """Each import that names no module of the package, or runs up a layer, as a sentence."""
    rank = {name: number for number, (name, _) in enumerate(table)}
    found = []
    for edge in graph:
        if edge.target not in known:
            found.append(
                f"{edge.importer} line {edge.line} imports {edge.target}, which is no module of the "
                "package (an old path? docs/architecture.md lists the new ones)"
            )
            continue
        if edge.type_only:
            continue
        low = layer_of(edge.importer, table)[0]
        for reached in with_packages_on_the_way(edge.target):
            high = layer_of(reached, table)[0]
            if rank[high] > rank[low]:
                found.append(
                    f"{edge.importer} ({low}) line {edge.line} imports {reached} ({high}): "
                    f"the {low} layer may not import from the {high} layer above it"
                )
    return found


def package_graph() -> tuple[list[Import], dict[str, bool]]:
    known = modules()
    graph = []
    for name, is_package in known.items():
        path = ROOT / Path(*name.split("."))
        path = path / "__init__.py" if is_package else path.with_suffix(".py")
        graph += imports_of(name, path.read_text("utf-8"), is_package, known)
    return graph, known


def test_no_import_runs_up_a_layer() -> None:
    table = layers(DOC.read_text("utf-8"))
    graph, known = package_graph()
    assert len(graph) > 300  # the graph was read, not silently empty
    found = violations(graph, table, known)
    assert not found, "imports running against the layers:\n" + "\n".join(found)


def test_every_module_is_in_exactly_one_layer_and_every_entry_names_one() -> None:
    table = layers(DOC.read_text("utf-8"))
    known = modules()
    placed = {module: layer_of(module, table) for module in known}
    assert {m: ls for m, ls in placed.items() if len(ls) != 1} == {}, (
        "modules in no layer or in several: add each to one line of the layers block"
    )
    entries = [entry for _, names in table for entry in names]
    assert [e for e in entries if e not in known] == [], "layers block entries that name no module"


def test_the_two_cycles_of_the_issue_are_gone() -> None:
    # accounts <-> credentials, and credentials.qiskit_file -> config (issue 19).
    graph, _ = package_graph()
    runs = {(e.importer, e.target) for e in graph if not e.type_only}
    from_credentials = {t for i, t in runs if i.startswith("iqp_wrapper.credentials")}
    assert from_credentials  # it does import (errors, crn, ...): the check below can fail
    assert not {t for t in from_credentials if t.split(".")[1] == "config"}
    # The reader of qiskit-ibm-runtime's file (formerly a top-level module) lives beside its writer.
    known = modules()
    assert "iqp_wrapper.credentials.qiskit_file" in known
    assert [m for m in known if m.count(".") == 1 and m.endswith("accounts")] == []


# The checker itself, on made-up modules: it must see what it claims to see.

_TABLE = [("low", ["iqp_wrapper.low"]), ("high", ["iqp_wrapper.high"])]
_KNOWN = {
    "iqp_wrapper.low": True,
    "iqp_wrapper.low.a": False,
    "iqp_wrapper.high": True,
    "iqp_wrapper.high.b": False,
}


@pytest.mark.parametrize(
    "source",
    [
        "from iqp_wrapper.high.b import thing",
        "import iqp_wrapper.high.b",
        "from iqp_wrapper.high import b",
        "def later():\n    from iqp_wrapper.high.b import thing\n",  # a lazy import runs too
        "from ..high import b",
    ],
)
def test_an_import_running_up_is_named(source: str) -> None:
    graph = imports_of("iqp_wrapper.low.a", source, False, _KNOWN)
    found = violations(graph, _TABLE, _KNOWN)
    assert found and found[0].startswith("iqp_wrapper.low.a (low) line ")
    assert (
        "imports iqp_wrapper.high" in found[0]
        and "the low layer may not import from the high layer" in found[0]
    )


def test_a_package_on_the_way_counts_and_type_only_imports_do_not() -> None:
    known = {**_KNOWN, "iqp_wrapper.high.c": True, "iqp_wrapper.high.c.d": False}
    table = [("low", ["iqp_wrapper.low", "iqp_wrapper.high.c"]), ("high", ["iqp_wrapper.high"])]
    # iqp_wrapper.high.c is low, but reaching it runs iqp_wrapper/high/__init__.py.
    graph = imports_of("iqp_wrapper.low.a", "from iqp_wrapper.high.c.d import x", False, known)
    assert [v.split(": ")[0] for v in violations(graph, table, known)] == [
        "iqp_wrapper.low.a (low) line 1 imports iqp_wrapper.high (high)"
    ]
    typed = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from iqp_wrapper.high.b import T\n"
    assert violations(imports_of("iqp_wrapper.low.a", typed, False, _KNOWN), _TABLE, _KNOWN) == []


def test_an_import_of_a_path_that_does_not_exist_is_named_even_when_type_only() -> None:
    typed = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from iqp_wrapper.gone import T\n"
    found = violations(imports_of("iqp_wrapper.low.a", typed, False, _KNOWN), _TABLE, _KNOWN)
    assert found == [
        "iqp_wrapper.low.a line 3 imports iqp_wrapper.gone, which is no module of the package "
        "(an old path? docs/architecture.md lists the new ones)"
    ]
