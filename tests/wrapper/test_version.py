"""The version the User-Agent reports is the one pyproject.toml declares."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from iqp_wrapper import __version__
from iqp_wrapper.transport.headers import USER_AGENT

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_version_matches_pyproject() -> None:
    text = PYPROJECT.read_text(encoding="utf-8")
    if sys.version_info >= (3, 11):
        import tomllib

        declared = tomllib.loads(text)["project"]["version"]
    else:  # no tomllib before 3.11: the [project] table's first version line
        found = re.search(r'^\[project\]$.*?^version = "([^"]+)"$', text, re.M | re.S)
        assert found is not None
        declared = found.group(1)
    assert __version__ == declared


def test_user_agent_names_the_package_and_version() -> None:
    assert USER_AGENT.startswith(f"iqp-wrapper/{__version__} (python ")
