"""``iqp login`` / ``logout`` / ``accounts`` against the fake, with an in-memory keyring."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from iqp_wrapper.credentials import keyring_store
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeService

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


def test_login_from_stdin_asks_nothing_and_checks_once(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring, iqp_fake: FakeService
) -> None:
    ran = cli("login", "--stdin", "--account", "ci", stdin=DEFAULT_API_KEY + "\n")

    assert ran.code == 0, ran.err
    assert cli.asked == []
    assert memory_keyring.passwords[(keyring_store.SERVICE, "ci")] == DEFAULT_API_KEY
    # One IAM exchange, then one call to the instance: nothing else.
    assert iqp_fake.iam_calls == 1
    assert [exchange.operation for exchange in iqp_fake.history] == ["iam_token", "get_instance_usage"]


def test_a_key_iam_refuses_is_not_stored(cli: Cli, home: Path, memory_keyring: MemoryKeyring) -> None:
    ran = cli("login", typed="fake-key-wrong")

    assert ran.code == 1
    assert "IAM did not accept the key" in ran.err and "Nothing was saved" in ran.err
    assert memory_keyring.passwords == {}
    assert not (home / SETTINGS).exists()
    assert "fake-key-wrong" not in ran.out + ran.err


def test_an_instance_the_api_does_not_know_is_not_stored(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring
) -> None:
    other = "crn:v1:bluemix:public:quantum-computing:us-east:a/fake-account:no-such-instance::"
    ran = cli("login", "--crn", other, typed=DEFAULT_API_KEY)

    assert ran.code == 1
    assert "Nothing was saved" in ran.err
    assert memory_keyring.passwords == {}
    assert not (home / SETTINGS).exists()


def test_no_keyring_backend_says_how_to_proceed_and_writes_nothing(
    cli: Cli, home: Path, no_keyring: None
) -> None:
    ran = cli("login", typed=DEFAULT_API_KEY)

    assert ran.code == 2
    assert cli.asked == []  # not asked for a key that could not be kept
    assert "No OS credential store is available" in ran.err
    assert "IQP_API_TOKEN" in ran.err and "keyrings.alt" in ran.err
    assert "Nothing was written in plain text" in ran.err
    assert [p for p in home.rglob("*") if p.is_file()] == []


def test_a_locked_store_leaves_no_settings_behind(cli: Cli, home: Path) -> None:
    import keyring

    from .conftest import LockedKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())
    try:
        ran = cli("login", typed=DEFAULT_API_KEY)
    finally:
        keyring.set_keyring(previous)
    assert ran.code == 2
    assert "could not store the key" in ran.err and "PasswordSetError" in ran.err
    assert not (home / SETTINGS).exists()


def test_login_then_doctor_then_connect_with_no_key_anywhere_but_the_keyring(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring, iqp_fake: FakeService
) -> None:
    assert cli("login", typed=DEFAULT_API_KEY).code == 0
    # From here on, nothing in the environment: the URLs of the fake were kept at login.
    doctor = cli("doctor", env={name: None for name in ("IQP_SERVICE_CRN", "IQP_URL", "IQP_IAM_URL")})
    assert doctor.code == 0, doctor.out
    assert "from iqp account 'default' (key in the OS keyring" in doctor.out

    from iqp_api.api.backends import list_backends
    from iqp_wrapper import connect, unwrap

    with connect() as client:  # the README's script: no argument, no variable, no file with the key
        devices = unwrap(list_backends.sync_detailed(client=client)).devices
    assert devices
    assert client.settings is not None
    assert client.settings.sources["api_key"].startswith("iqp account 'default'")


def test_several_accounts_one_default_and_the_listing_shows_no_key(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring
) -> None:
    assert cli("login", "--account", "first", typed=DEFAULT_API_KEY).code == 0
    assert cli("login", "--account", "second", typed=DEFAULT_API_KEY).code == 0
    assert stored(home)["default"] == "first"  # the first stays the default...
    assert cli("login", "--account", "second", "--default", typed=DEFAULT_API_KEY).code == 0
    assert stored(home)["default"] == "second"  # ...until another is made it

    listing = cli("accounts")
    assert listing.code == 0, listing.out
    assert "* second" in listing.out and "  first" in listing.out
    assert DEFAULT_API_KEY not in listing.out
    listed = cli("accounts", "--json").json()
    assert [a["name"] for a in listed["iqp"]["accounts"]] == ["first", "second"]
    assert listed["iqp"]["default"] == "second"
    assert DEFAULT_API_KEY not in json.dumps(listed)


def test_logout_forgets_key_and_settings(cli: Cli, home: Path, memory_keyring: MemoryKeyring) -> None:
    assert cli("login", "--account", "first", typed=DEFAULT_API_KEY).code == 0
    assert cli("login", "--account", "second", typed=DEFAULT_API_KEY).code == 0

    ran = cli("logout")  # the default one, "first"
    assert ran.code == 0, ran.err
    assert "its key is gone from the OS credential store" in ran.out
    assert "There is no default iqp account now" in ran.out
    assert list(memory_keyring.passwords) == [(keyring_store.SERVICE, "second")]
    left = stored(home)
    assert left["default"] is None
    assert list(left["accounts"]) == ["second"]  # type: ignore[call-overload]
    unknown = cli("logout", "--account", "first")
    assert unknown.code == 2
    assert "There is no iqp account 'first'" in unknown.err and "'second'" in unknown.err


def test_an_account_name_with_odd_characters_is_refused(cli: Cli, memory_keyring: MemoryKeyring) -> None:
    ran = cli("login", "--account", "../work", typed=DEFAULT_API_KEY)
    assert ran.code == 2
    assert "should be 1 to 64 letters" in ran.err
    assert cli.asked == []


def test_doctor_names_the_missing_backend_for_a_saved_account(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring
) -> None:
    import keyring
    from keyring.backends import fail

    assert cli("login", typed=DEFAULT_API_KEY).code == 0
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]  # the fixture restores it
    ran = cli("doctor", env={"IQP_URL": None, "IQP_IAM_URL": None, "IQP_SERVICE_CRN": None})
    assert ran.code == 3
    assert "FAIL" in ran.out and "No OS credential store is available" in ran.out
    assert "IQP_API_TOKEN" in ran.out


def test_accounts_lists_qiskits_too_and_warns_about_its_file(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring
) -> None:
    qiskit_file = home / ".qiskit" / "qiskit-ibm.json"
    qiskit_file.parent.mkdir()
    entry = {"channel": "ibm_quantum_platform", "token": "fake-key-plain", "instance": "crn:fake"}
    qiskit_file.write_text(json.dumps({"default-ibm-quantum-platform": entry}))
    qiskit_file.chmod(0o644)

    ran = cli("accounts")
    assert ran.code == 0
    assert "* default-ibm-quantum-platform  crn:fake" in ran.out
    assert "keys in plain text in that file" in ran.out
    assert (
        f"WARN {qiskit_file} (mode rw-r--r--) can be read by other users; run: chmod 600 {qiskit_file}"
        in ran.out
    )
    assert "fake-key-plain" not in ran.out
    listed = cli("accounts", "--json").json()
    assert listed["qiskit"]["accounts"][0]["key_in_file"] is True
    assert "fake-key-plain" not in json.dumps(listed)


def test_logout_works_without_a_backend_and_says_what_may_be_left(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring
) -> None:
    import keyring
    from keyring.backends import fail

    assert cli("login", "--account", "gone", typed=DEFAULT_API_KEY).code == 0
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]  # the fixture restores it
    ran = cli("logout", "--account", "gone")
    assert ran.code == 0, ran.err
    assert "could not be reached" in ran.out and "remove it there" in ran.out
    assert stored(home)["accounts"] == {}


def test_a_failed_settings_write_puts_the_previous_key_back(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_keyring.set_password(keyring_store.SERVICE, "default", "fake-key-before")

    def full_disk(fd: int) -> None:  # the written data cannot reach the disk
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    ran = cli("login", typed=DEFAULT_API_KEY)
    monkeypatch.undo()
    assert ran.code == 2
    assert "cannot be written (No space left on device)" in ran.err
    assert not (home / SETTINGS).exists()
    assert [p.name for p in (home / SETTINGS).parent.iterdir()] == []  # no temporary file left
    assert memory_keyring.passwords == {(keyring_store.SERVICE, "default"): "fake-key-before"}


async def test_an_async_client_uses_the_keyring_account_too(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring
) -> None:
    assert cli("login", typed=DEFAULT_API_KEY).code == 0

    from iqp_api.api.backends import list_backends
    from iqp_wrapper import connect, unwrap

    async with connect() as client:
        devices = unwrap(await list_backends.asyncio_detailed(client=client)).devices
    assert devices
