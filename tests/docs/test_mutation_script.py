"""scripts/mutation.py: its groups, its bounded sample and verdict, and docs/mutation.md's table.

No mutmut run here (minutes of CPU): CI's fixed sample runs one on every change.
"""

from __future__ import annotations

import importlib.util
import platform
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_script", ROOT / "scripts" / "mutation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutation_script", module)
    spec.loader.exec_module(module)
    return module


mutation = _load()


def test_every_group_names_modules_that_may_be_mutated() -> None:
    for group in mutation.GROUPS:
        assert mutation.resolve([group]), group


def test_group_members_are_globs_so_new_modules_join(monkeypatch: pytest.MonkeyPatch) -> None:
    modules = [*mutation.mutable_modules(), "iqp_wrapper/primitives/executor_results.py"]
    monkeypatch.setattr(mutation, "mutable_modules", lambda: modules)
    assert "iqp_wrapper/primitives/executor_results.py" in mutation.resolve(["decoders"])
    assert "iqp_wrapper/primitives/executor_results.py" in mutation.resolve(["primitives"])


def test_every_test_directory_a_module_needs_is_in_the_mutmut_selection() -> None:
    selection = set(mutation.selection())
    assert mutation.test_dirs(["iqp_wrapper/primitives/bitarray.py"]) == ["tests/primitives"]
    assert mutation.test_dirs(["iqp_wrapper/jobs/waiting.py"]) == [
        "tests/credentials",
        "tests/helpers",
        "tests/wrapper",
    ]
    for dirs in (dirs for _, dirs in mutation.TESTS):  # a glob of test files names its directory
        assert all(d in selection or d.rsplit("/", 1)[0] in selection for d in dirs)


def test_a_module_judged_by_some_test_files_leaves_the_others_out() -> None:
    tests = mutation.test_dirs(["iqp_wrapper/crn.py"])
    assert tests == ["tests/wrapper/test_config*.py", "tests/wrapper/test_crn*.py"]
    left_out = mutation.left_out(tests)
    assert {"tests/helpers", "tests/primitives", "tests/reliability"} <= set(left_out)
    assert "tests/wrapper/test_retry.py" in left_out
    assert "tests/wrapper/test_crn_parts.py" not in left_out
    assert "tests/wrapper/test_config.py" not in left_out
    assert "tests/wrapper" not in left_out
    assert mutation.left_out(["tests/wrapper", "tests/helpers"]) == [
        "tests/credentials",
        "tests/primitives",
        "tests/reliability",
    ]


def test_the_fixed_sample_runs_every_test_directory_under_mutmut() -> None:
    tests = mutation.test_dirs(mutation.resolve(["smoke"]))
    assert set(mutation.selection()) <= set(tests)
    assert mutation.left_out(tests) == []


def _wide_change(modules: int, per_module: int) -> dict[str, list[str]]:
    """A merge that touches ``modules`` modules besides the held ones."""
    names = {held: [f"{held}:{i}" for i in range(per_module)] for held in mutation.HELD}
    for m in range(modules):
        names[f"iqp_wrapper/other_{m}.py"] = [f"other_{m}:{i}" for i in range(per_module)]
    return names


def test_a_wide_change_still_gives_the_held_modules_at_least_half_the_sample() -> None:
    names = _wide_change(40, 50)
    chosen = mutation.draw(names, 60, seed=14)
    assert len(chosen) == len(set(chosen)) == 60
    held = [n for n in chosen if n.split(":")[0] in mutation.HELD]
    assert len(held) >= 30  # half reserved, and their share of the other half
    assert mutation.draw(names, 60, seed=14) == chosen  # the same code gives the same sample


def test_a_narrow_change_fills_the_sample_from_what_there_is() -> None:
    names = {
        "iqp_wrapper/crn.py": ["a", "b", "c"],
        "iqp_wrapper/jobs/waiting.py": [str(i) for i in range(100)],
    }
    chosen = mutation.draw(names, 60, seed=1)
    assert len(chosen) == 60 and {"a", "b", "c"} <= set(chosen)


def _score(module: str, killed: int, survived: int, not_run: int = 0) -> object:
    return mutation.Score(module, killed + survived + not_run, killed, survived, 0, not_run)


def test_the_verdict_pools_the_held_modules() -> None:
    # Three held modules with a few mutants each: judged together, not one by one.
    table = [
        _score("iqp_wrapper/crn.py", 9, 1),
        _score("iqp_wrapper/auth/flow.py", 10, 0),
        _score("iqp_wrapper/transport/retry.py", 8, 2),
        _score("iqp_wrapper/jobs/waiting.py", 0, 30),  # not held: reported, never judged
    ]
    passed, line = mutation.verdict(table, 85.0)
    assert passed and "27/30" in line
    assert not mutation.verdict(table, 95.0)[0]


def test_too_few_checked_mutants_are_not_judged() -> None:
    table = [_score("iqp_wrapper/crn.py", 1, 5, not_run=40)]
    passed, line = mutation.verdict(table, 85.0)
    assert passed and "not judged" in line


def test_the_table_in_the_doc_is_the_scripts_rendering_of_its_data() -> None:
    # docs/mutation.md's figures come from runs (--write-doc), never typed in by hand.
    text = (ROOT / "docs" / "mutation.md").read_text(encoding="utf-8")
    _, data, _ = mutation.doc_parts()
    assert data["rows"], "no measured rows: run scripts/mutation.py GROUP --write-doc"
    assert mutation.render(data) in text
    for row in data["rows"].values():
        assert row["killed"] + row["survived"] + row["no_tests"] + row["not_run"] == row["mutants"]
        assert 0 <= row["run"] < len(data["runs"])


def test_a_run_records_the_versions_of_the_interpreter_that_ran_it(tmp_path: Path) -> None:
    # With --python, the mutants run beside another interpreter: the doc must say which.
    assert mutation._versions(sys.executable).startswith(f"Python {platform.python_version()}, mutmut ")
    other = tmp_path / "python"
    other.write_text('#!/bin/sh\necho "Python 3.10.99, mutmut 3.8.1, no numpy"\n')
    other.chmod(0o755)
    assert mutation._versions(str(other)) == "Python 3.10.99, mutmut 3.8.1, no numpy"


def test_a_module_whose_every_mutant_is_chosen_is_passed_as_one_glob() -> None:
    # Hundreds of names make mutmut's fnmatch filter crawl on Python 3.10 (a 256-entry cache).
    names = {"iqp_wrapper/primitives/bitarray.py": ["a", "b"], "iqp_wrapper/crn.py": ["c", "d"]}
    assert mutation._patterns(names, ["a", "b", "d"]) == ["iqp_wrapper.primitives.bitarray.*", "d"]
