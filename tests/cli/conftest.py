"""Running ``iqp`` in process against the fake over HTTP on 127.0.0.1.

``cli(...)`` runs one command with a World of the test's own: its environment points
at ``iqp_server``, output is captured, and waits move the fake's manual clock instead of
sleeping.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper.cli import World, run
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeServer, FakeService, ManualClock


@dataclass(frozen=True)
class Ran:
    """What one command did."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Cli:
    def __init__(self, environ: dict[str, str], clock: ManualClock) -> None:
        self.environ = environ
        self.clock = clock

    def __call__(self, *argv: str, env: Mapping[str, str | None] | None = None, **runtime: Any) -> Ran:
        environ = dict(self.environ)
        for name, value in (env or {}).items():
            if value is None:
                environ.pop(name, None)
            else:
                environ[name] = value
        out, err = io.StringIO(), io.StringIO()
        options: dict[str, Any] = {
            "stdout": out,
            "stderr": err,
            "environ": environ,
            "clock": self.clock,
            "wall_clock": self.clock,
            "sleep": self.clock.advance,
            "interactive": False,
            **runtime,
        }
        code = run(list(argv), World(**options))
        return Ran(code, out.getvalue(), err.getvalue())


@pytest.fixture(autouse=True)
def no_developer_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No saved account from the developer's home, and no proxy between us and 127.0.0.1."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cli(iqp_fake: FakeService, iqp_server: FakeServer, iqp_clock: ManualClock) -> Cli:
    return Cli(
        {
            "IQP_API_TOKEN": DEFAULT_API_KEY,
            "IQP_SERVICE_CRN": iqp_fake.crn,
            "IQP_URL": iqp_server.url,
            "IQP_IAM_URL": iqp_server.iam_url,
        },
        iqp_clock,
    )
