"""A keyring backend that keeps keys in a file of its own (keyrings.alt) is named as such.

`iqp login` says which file holds the key and how safe that is, instead of "No file holds
the key"; `iqp doctor` WARNs. The backends are keyrings.alt's own classes (a dev
dependency), with their file under the test's HOME.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends.chainer import ChainerBackend
from keyrings.alt.file import PlaintextKeyring  # type: ignore[import-untyped]

from iqp_wrapper.credentials import keyring_store
from iqp_wrapper.testing.fake import DEFAULT_API_KEY

from .conftest import Cli, MemoryKeyring

KEY_FILE = Path(".local") / "share" / "python_keyring" / "keyring_pass.cfg"


@pytest.fixture
def plaintext_keyring(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PlaintextKeyring]:
    """keyrings.alt's PlaintextKeyring, keeping its file under the test's HOME."""
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)  # its file goes to $HOME/.local/share
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


class FileWithScheme(MemoryKeyring):
    """A file-backed backend of another kind that says it encrypts (keyrings.cryptfile's way)."""

    scheme = "[PBKDF2] AES256.CFB"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.file_path = str(path)


def key_file_with(backend: keyring.backend.KeyringBackend) -> keyring_store.KeyFile | None:
    """What keyring_store.key_file() finds with ``backend`` chosen."""
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        return keyring_store.key_file()
    finally:
        keyring.set_keyring(previous)


def test_login_names_the_file_holding_the_key_and_how_safe_it_is(
    cli: Cli, home: Path, plaintext_keyring: PlaintextKeyring
) -> None:
    ran = cli("login", typed=DEFAULT_API_KEY)

    assert ran.code == 0, ran.err
    path = home / KEY_FILE
    # What login says is where the key really is: base64 in keyrings.alt's file.
    assert base64.b64encode(DEFAULT_API_KEY.encode()).decode() in path.read_text()
    assert f"its key in the file {path}," in ran.out
    assert "Warning: keyrings.alt.file.PlaintextKeyring keeps it unencrypted (base64 only)" in ran.out
    assert "IQP_API_TOKEN from a secrets manager" in ran.out
    assert "No file holds the key" not in ran.out
    assert DEFAULT_API_KEY not in ran.out + ran.err

    listing = cli("accounts")
    assert f"keys in the file {path}: keyrings.alt.file.PlaintextKeyring keeps it unencrypted" in listing.out
    as_json = cli("login", "--json", typed=DEFAULT_API_KEY).json()
    assert as_json["key_file"] == str(path) and as_json["key_file_encrypted"] is False


def test_doctor_warns_about_the_key_file_and_its_mode(
    cli: Cli, home: Path, plaintext_keyring: PlaintextKeyring
) -> None:
    assert cli("login", typed=DEFAULT_API_KEY).code == 0
    path = home / KEY_FILE
    doctor = cli("doctor")
    assert doctor.code == 3, doctor.out
    lines = doctor.out.splitlines()
    warned = [line for line in lines if line.lstrip().startswith("WARN") and "key file" in line]
    assert warned and f"iqp account 'default' is in the file {path}" in warned[0]
    assert "unencrypted (base64 only)" in doctor.out

    # Where the key came from says the file too, not "the OS keyring".
    assert f"from iqp account 'default' (key in the keyring file {path}, settings in" in doctor.out

    os.chmod(path, 0o644)
    found = cli("doctor", "--json").json()
    assert "key_in_keyring_file" in found["problems"]
    check = next(c for c in found["checks"] if c["id"] == "key_file")
    assert check["status"] == "warn" and "can be read by other users" in check["detail"]
    assert check["fix"].startswith(f"chmod 600 {path}")


def test_an_os_store_draws_no_warning(cli: Cli, memory_keyring: MemoryKeyring) -> None:
    assert keyring_store.key_file() is None
    assert cli("login", typed=DEFAULT_API_KEY).code == 0
    assert "key_in_keyring_file" not in cli("doctor", "--json").json()["problems"]


def test_an_encrypting_file_backend_behind_the_chainer_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypting = FileWithScheme(tmp_path / "crypted.cfg")
    encrypting.priority = 2  # the chainer stores in its first backend, by priority
    below = MemoryKeyring()
    # The chainer's own discovery, over the backends this machine is made to have.
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [below, encrypting])
    chained = ChainerBackend()  # type: ignore[no-untyped-call]
    assert chained.backends == [encrypting, below]
    found = key_file_with(chained)
    assert found is not None
    assert (found.path, found.encrypted) == (tmp_path / "crypted.cfg", True)
    assert found.safety().endswith(
        "as safe as that password, and the file can be copied and attacked offline"
    )
    above = MemoryKeyring()
    above.priority = 3
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [encrypting, above])
    # An OS store first: the key goes there, and there is no file to name.
    assert key_file_with(ChainerBackend()) is None  # type: ignore[no-untyped-call]


def test_a_file_backend_that_does_not_say_is_treated_as_plain_text(tmp_path: Path) -> None:
    silent = FileWithScheme(tmp_path / "keys.db")
    silent.scheme = ""
    found = key_file_with(silent)
    assert found is not None and found.encrypted is None
    assert "does not say it encrypts it: whoever can read that file" in found.safety()
