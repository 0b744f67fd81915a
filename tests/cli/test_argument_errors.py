"""The CLI's own ConfigErrors carry the fields the doctor and JSON output read: the
setting at fault, where its value came from, and a stable problem code."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from iqp_wrapper.cli import World, jobs, login, parser
from iqp_wrapper.cli.run import _parameter_values, _read
from iqp_wrapper.errors import ConfigError, ConfigSource

ARGUMENT = ConfigSource.ARGUMENT
KEYRING = ConfigSource.KEYRING


def _empty_stdin() -> World:
    return World(stdin=io.StringIO("\n"))


CASES: list[tuple[str, Callable[[], object], str, ConfigSource, str]] = [
    ("unreadable circuit file", lambda: _read("/no/such/dir/c.qasm"), "circuit", ARGUMENT, "unreadable"),
    ("values not JSON", lambda: _parameter_values("{"), "parameter_values", ARGUMENT, "malformed"),
    ("values a number", lambda: _parameter_values("3"), "parameter_values", ARGUMENT, "malformed"),
    (
        "a date that is not one",
        lambda: jobs._instant("May", "--created-after"),
        "--created-after",
        ARGUMENT,
        "malformed",
    ),
    ("account name", lambda: login._name("-x"), "account", ARGUMENT, "malformed"),
    (
        "no key typed",
        lambda: login._read_key(_empty_stdin(), from_stdin=True),
        "api_key",
        ARGUMENT,
        "missing",
    ),
]


@pytest.mark.parametrize(("what", "call", "setting", "source", "problem"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_command_line_value_names_its_setting_and_source(
    what: str, call: Callable[[], object], setting: str, source: ConfigSource, problem: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        call()
    error = raised.value
    assert (error.setting, error.source, error.problem) == (setting, source, problem), what


@pytest.mark.parametrize(
    ("argv", "problem"),
    [(["logout"], "missing"), (["logout", "--account", "nobody"], "unknown_account")],
)
def test_logout_of_an_account_that_is_not_saved(tmp_path: Path, argv: list[str], problem: str) -> None:
    args = parser.build().parse_args([*argv, "--accounts-file", str(tmp_path / "qiskit.json")])
    world = World(stdout=io.StringIO(), environ={"XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)})
    with pytest.raises(ConfigError) as raised:
        login.logout(args, world)
    error = raised.value
    assert (error.setting, error.source, error.problem) == ("account", KEYRING, problem)
