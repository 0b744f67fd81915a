"""``iqp login`` / ``logout`` / ``accounts`` against the fake, with an in-memory keyring."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from iqp_wrapper.credentials import keyring_store
from iqp_wrapper.fake import DEFAULT_API_KEY, FakeService

from .conftest import Cli, MemoryKeyring

SETTINGS = Path(".config") / "iqp" / "accounts.json"


def stored(home: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((home / SETTINGS).read_text())
    return data


def test_login_keeps_the_key_in_the_keyring_and_nowhere_in_a_file(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring, iqp_fake: FakeService
) -> None:
    ran = cli("login", typed=DEFAULT_API_KEY)

    assert ran.code == 0, ran.err
    assert memory_keyring.passwords == {(keyring_store.SERVICE, "default"): DEFAULT_API_KEY}
    assert cli.asked and "not shown" in cli.asked[0]
    assert stored(home)["default"] == "default"
    path = home / SETTINGS
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    every_file = [p for p in home.rglob("*") if p.is_file()]
    assert all(DEFAULT_API_KEY not in p.read_text() for p in every_file)
    assert DEFAULT_API_KEY not in ran.out + ran.err
    assert "No file holds the key" in ran.out
