"""What the CLI shows about API versions: the deprecation warning as one of its own lines,
and the backends list in the shape of the version in use."""

from __future__ import annotations

import io
import warnings

from iqp_wrapper.cli import World
from iqp_wrapper.cli.app import _warnings_as_messages
from iqp_wrapper.transport.api_versions import APIVersionWarning
from tests.cli.conftest import Cli


def test_a_deprecated_version_is_one_cli_line_on_stderr(cli: Cli) -> None:
    ran = cli("backends", "--api-version", "2026-03-15")
    assert ran.code == 0
    said = [line for line in ran.err.splitlines() if "deprecated" in line]
    assert len(said) == 1
    assert said[0].startswith(
        "iqp: warning: the service says the API version this client sends (2026-03-15) is deprecated"
    )
    # Not Python's form: no file:line, no category, no source line.
    assert "APIVersionWarning" not in ran.err and ".py:" not in ran.err and "warnings.warn" not in ran.err


def test_the_live_version_says_nothing(cli: Cli) -> None:
    assert cli("backends").err == ""


def test_other_warnings_keep_pythons_form() -> None:
    err = io.StringIO()
    world = World(stdout=io.StringIO(), stderr=err, environ={})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with _warnings_as_messages(world):
            warnings.warn("something else", UserWarning, stacklevel=1)
            warnings.warn("the version is old", APIVersionWarning, stacklevel=1)
    assert [str(w.message) for w in caught] == ["something else"]
    assert err.getvalue() == "iqp: warning: the version is old\n"


def test_backends_with_an_old_version_lists_names(cli: Cli) -> None:
    ran = cli("backends", "--api-version", "2024-01-01")
    assert ran.code == 0
    assert ran.out.split() == ["NAME", "fake_eagle", "fake_falcon", "fake_heron"]
    assert "names only" in ran.err
    listed = cli("backends", "--json", "--api-version", "2024-01-01").json()
    assert listed == [{"name": "fake_eagle"}, {"name": "fake_falcon"}, {"name": "fake_heron"}]
