"""What hand-written code takes from the generated package, and whether a new one has it.

``uses`` reads the import statements of ``iqp_wrapper/`` (no code runs); ``missing_names``
looks for dotted names in a freshly generated package, as modules or as names defined at
the top of a module. Both are cheap enough for ``--check``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Use:
    """``name`` (dotted, e.g. ``iqp_api.api.jobs.get_job``) imported at ``file:line``."""

    name: str
    file: str
    line: int

    @property
    def place(self) -> str:
        return f"{self.file}:{self.line}"


def uses(source_dir: Path, package: str, *, relative_to: Path | None = None) -> list[Use]:
    """Every name of ``package`` imported by the Python files under ``source_dir``."""
    base = relative_to or source_dir.parent
    found: list[Use] = []
    for path in sorted(source_dir.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue  # mypy reports files that do not parse; nothing to learn here
        shown = str(path.relative_to(base)) if path.is_relative_to(base) else str(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module == package or node.module.startswith(f"{package}."):
                    found += [Use(f"{node.module}.{a.name}", shown, node.lineno) for a in node.names]
            elif isinstance(node, ast.Import):
                found += [
                    Use(a.name, shown, node.lineno)
                    for a in node.names
                    if a.name == package or a.name.startswith(f"{package}.")
                ]
    return found


def imported_names(source_dir: Path, package: str) -> list[str]:
    """The distinct dotted names hand-written code imports, sorted."""
    return sorted({use.name for use in uses(source_dir, package)})


def missing_names(package_dir: Path, names: list[str]) -> list[str]:
    """Those of ``names`` the package at ``package_dir`` does not provide."""
    return [name for name in names if not _provides(package_dir, name)]


def _provides(package_dir: Path, dotted: str) -> bool:
    parts = dotted.split(".")
    if parts[0] != package_dir.name:
        return False
    inner = parts[1:]
    if _module_file(package_dir, inner) is not None:
        return True
    if not inner:
        return False
    module = _module_file(package_dir, inner[:-1])
    return module is not None and inner[-1] in _top_level_names(module)


def _module_file(package_dir: Path, parts: list[str]) -> Path | None:
    here = package_dir.joinpath(*parts)
    if (here / "__init__.py").is_file():
        return here / "__init__.py"
    if parts and here.with_suffix(".py").is_file():
        return here.with_suffix(".py")
    return None


def _top_level_names(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names
