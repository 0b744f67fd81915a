"""An in-memory OS credential store, our account file in the test's folder, and ``iqp``
run in process against the fake over HTTP.

No value here looks like a real key: the fake IAM's key is ``fake-key-ok``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail

from iqp_wrapper.cli import World, run
from iqp_wrapper.testing.fake import FakeServer, FakeService, ManualClock


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A credential store that lives in a dict, as the OS one would across calls."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


class LockedKeyring(MemoryKeyring):
    """A store that refuses every write, like a locked keychain."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("locked")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """keyring's own answer on a machine with no store: its fail backend."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A HOME and XDG_CONFIG_HOME of the test's own, and no IQP_* variables."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("HOME", str(path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(path / ".config"))
    for name in ("IQP_API_TOKEN", "IQP_SERVICE_CRN", "IQP_API_VERSION", "IQP_URL", "IQP_IAM_URL"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    return path


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Cli:
    """``iqp`` in process: environment of the test's choosing, key typed or piped."""

    def __init__(self, environ: dict[str, str], clock: ManualClock) -> None:
        self.environ = environ
        self.clock = clock
        self.asked: list[str] = []

    def __call__(
        self,
        *argv: str,
        typed: str | None = None,
        stdin: str = "",
        env: Mapping[str, str | None] | None = None,
    ) -> Ran:
        environ = dict(self.environ)
        for name, value in (env or {}).items():
            if value is None:
                environ.pop(name, None)
            else:
                environ[name] = value

        def ask_secret(prompt: str) -> str:
            self.asked.append(prompt)
            if typed is None:
                raise AssertionError("the command asked for a key it should not have asked for")
            return typed

        out, err = io.StringIO(), io.StringIO()
        runtime = World(
            stdout=out,
            stderr=err,
            environ=environ,
            clock=self.clock,
            wall_clock=self.clock,
            sleep=self.clock.advance,
            interactive=False,
            stdin=io.StringIO(stdin),
            ask_secret=ask_secret,
        )
        code = run(list(argv), runtime)
        return Ran(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli(home: Path, iqp_fake: FakeService, iqp_server: FakeServer, iqp_clock: ManualClock) -> Cli:
    """No key in the environment: only the URLs of the fake, and the CRN for login."""
    return Cli(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "IQP_SERVICE_CRN": iqp_fake.crn,
            "IQP_URL": iqp_server.url,
            "IQP_IAM_URL": iqp_server.iam_url,
            "NO_PROXY": "127.0.0.1,localhost",
        },
        iqp_clock,
    )
