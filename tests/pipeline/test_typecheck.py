"""The pre-swap check on its own: the new package must import, and the old one must not answer."""

from __future__ import annotations

from pathlib import Path

from codegen.typecheck import check_against


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_module_that_fails_to_import_is_a_problem(tmp_path: Path) -> None:
    package = tmp_path / "new" / "thingapi"
    write(package / "__init__.py", "")
    write(package / "good.py", "VALUE: int = 1\n")
    write(package / "bad.py", "raise ImportError('needs a module the generator forgot')\n")
    write(package / "py.typed", "")
    user = tmp_path / "src" / "thinguser"
    write(user / "__init__.py", "from thingapi.good import VALUE\n\nDOUBLE: int = VALUE * 2\n")
    result = check_against(package, user)
    assert result.problems == [
        "import thingapi fails: thingapi.bad: ImportError: needs a module the generator forgot"
    ]
    assert result.seconds > 0


def test_a_module_only_the_installed_package_has_is_not_found(tmp_path: Path) -> None:
    """iqp_api.api.jobs.get_job exists in the installed generated/, not in the new package."""
    package = tmp_path / "new" / "iqp_api"
    for init in ("", "api", "api/jobs"):
        write(package / init / "__init__.py", "")
    write(package / "py.typed", "")
    user = tmp_path / "src" / "jobuser"
    write(user / "__init__.py", "from iqp_api.api.jobs import get_job\n\nNAME: str = get_job.__name__\n")
    result = check_against(package, user)
    assert result.problems
    assert result.problems[0].startswith('jobuser/__init__.py:1: Module "iqp_api.api.jobs" has no attribute')
