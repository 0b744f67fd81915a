"""The version the User-Agent reports is the one pyproject.toml declares."""

from __future__ import annotations

from pathlib import Path

import pytest

from iqp_wrapper import __version__
from iqp_wrapper.headers import USER_AGENT

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_version_matches_pyproject() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    assert __version__ == declared


def test_user_agent_names_the_package_and_version() -> None:
    assert USER_AGENT.startswith(f"iqp-wrapper/{__version__} (python ")
