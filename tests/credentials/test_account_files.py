"""Every case of what may stand where an account file should be, for qiskit-ibm-runtime's
file and for ours: before this client checked, each was read, followed, waited on or
crashed on; now each is a warning or a ConfigError saying what to do."""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from iqp_wrapper import ConfigError
from iqp_wrapper.config.settings import Settings, resolve_settings
from iqp_wrapper.credentials import account_file, keyring_store, store
from iqp_wrapper.errors import ConfigSource

from .conftest import MemoryKeyring

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/fake-account:fake-instance::"
FAKE_KEY = "fake-key-in-a-file"


@dataclass
class Target:
    """One kind of account file: where it is, what a valid one holds, how it is read."""

    kind: str
    path: Path
    valid: dict[str, object]
    source: ConfigSource
    read: Callable[[], Settings]


@pytest.fixture(params=["qiskit", "iqp"])
def target(request: pytest.FixtureRequest, home: Path, memory_keyring: MemoryKeyring) -> Target:
    environ = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    if request.param == "qiskit":
        path = home / ".qiskit" / "qiskit-ibm.json"
        valid: dict[str, object] = {"default": {"token": FAKE_KEY, "instance": CRN}}
        source = ConfigSource.SAVED_ACCOUNT
    else:
        path = store.default_path(environ)
        valid = {"format": 1, "default": "mine", "accounts": {"mine": {"service_crn": CRN}}}
        source = ConfigSource.KEYRING
        memory_keyring.set_password(keyring_store.SERVICE, "mine", FAKE_KEY)
    path.parent.mkdir(parents=True)
    return Target(request.param, path, valid, source, lambda: resolve_settings(environ=environ))


def write(target: Target, mode: int = 0o600, text: str | None = None) -> None:
    target.path.write_text(json.dumps(target.valid) if text is None else text)
    target.path.chmod(mode)


def refused(target: Target, problem: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        target.read()
    error = caught.value
    assert (error.setting, error.source, error.problem) == ("accounts_file", target.source, problem)
    assert str(target.path) in str(error)
    return error


def test_a_private_file_is_read_without_a_word(target: Target, caplog: pytest.LogCaptureFixture) -> None:
    write(target, 0o600)
    with caplog.at_level(logging.WARNING, logger="iqp_wrapper"):
        assert target.read().api_key.reveal() == FAKE_KEY
    assert caplog.records == []


@pytest.mark.parametrize(("mode", "said"), [(0o644, "can be read by"), (0o666, "can be read and changed")])
def test_a_file_others_may_use_is_read_with_a_warning_and_the_chmod(
    target: Target, caplog: pytest.LogCaptureFixture, mode: int, said: str
) -> None:
    write(target, mode)
    with caplog.at_level(logging.WARNING, logger="iqp_wrapper"):
        assert target.read().api_key.reveal() == FAKE_KEY
    [record] = caplog.records
    assert record.levelno == logging.WARNING and record.name.startswith("iqp_wrapper.")
    assert said in record.getMessage()
    assert f"chmod 600 {target.path}" in record.getMessage()


def test_a_symlink_is_refused_not_followed(target: Target, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.json"
    real.write_text(json.dumps(target.valid))
    real.chmod(0o600)
    target.path.symlink_to(real)
    error = refused(target, "symlink")
    assert "is a symbolic link" in str(error) and f"mv {real} {target.path}" in str(error)


def test_a_symlink_loop_is_refused(target: Target) -> None:
    other = target.path.with_name("loop")
    other.symlink_to(target.path)
    target.path.symlink_to(other)
    assert "loops back on itself" in str(refused(target, "symlink"))


def test_a_dangling_symlink_is_refused(target: Target) -> None:
    target.path.symlink_to(target.path.with_name("gone.json"))
    assert "a symbolic link to nothing" in str(refused(target, "symlink"))


def test_a_fifo_is_refused_without_waiting_for_a_writer(target: Target) -> None:
    os.mkfifo(target.path)
    assert "a named pipe (FIFO)" in str(refused(target, "not_a_file"))


def test_a_directory_is_refused(target: Target) -> None:
    target.path.mkdir()
    assert "is a directory" in str(refused(target, "not_a_file"))


def test_a_huge_file_is_refused_without_reading_it(target: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    with target.path.open("wb") as huge:
        huge.truncate(300 * 1024 * 1024)  # sparse: 300 MB that take no disk
    target.path.chmod(0o600)
    read: list[int] = []
    real_read = os.read

    def counting(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting)
    assert "larger" in str(refused(target, "too_large"))
    assert sum(read) == 0


def test_a_file_just_over_the_limit_is_refused(target: Target) -> None:
    padding = " " * (account_file.MAX_BYTES - len(json.dumps(target.valid)) + 1)
    write(target, text=json.dumps(target.valid) + padding)
    refused(target, "too_large")


def test_a_file_at_the_limit_is_read(target: Target) -> None:
    padding = " " * (account_file.MAX_BYTES - len(json.dumps(target.valid)))
    write(target, text=json.dumps(target.valid) + padding)
    assert target.path.stat().st_size == account_file.MAX_BYTES
    assert target.read().api_key.reveal() == FAKE_KEY


def test_absurd_nesting_is_a_config_error_not_a_recursion_error(target: Target) -> None:
    depth = 100_000
    write(target, text="[" * depth + "]" * depth)
    assert "nested more than" in str(refused(target, "too_deeply_nested"))


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    path = tmp_path / "qiskit-ibm.json"
    path.write_text(json.dumps({"default": {"token": FAKE_KEY, "note": '[[[{{{\\"' * 50}}))
    found = account_file.read_json(path, source=ConfigSource.SAVED_ACCOUNT)
    assert isinstance(found, dict) and found["default"]["token"] == FAKE_KEY


def test_broken_json_is_reported_by_line_without_quoting_the_file(target: Target) -> None:
    write(target, text='{\n "default": {"token": "' + FAKE_KEY + '",\n')
    error = refused(target, "malformed")
    assert "line" in str(error) and FAKE_KEY not in str(error)


def test_a_key_in_our_own_file_is_refused(home: Path, memory_keyring: MemoryKeyring) -> None:
    environ = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    path = store.default_path(environ)
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps({"format": 1, "default": "x", "accounts": {"x": {"service_crn": CRN, "token": "t"}}})
    )
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ=environ)
    assert caught.value.problem == "key_in_file"


def test_writing_creates_the_file_0600_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "new" / "accounts.json"
    previous = os.umask(0)
    try:
        account_file.write_private_json(path, {"a": 1}, source=ConfigSource.KEYRING)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_text()) == {"a": 1}
    assert [p.name for p in path.parent.iterdir()] == ["accounts.json"]  # no temporary file left


def test_writing_replaces_an_exposed_file_with_a_private_one(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    path.write_text("{}")
    path.chmod(0o666)
    account_file.write_private_json(path, {"b": 2}, source=ConfigSource.KEYRING)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_writing_never_goes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}")
    path = tmp_path / "accounts.json"
    path.symlink_to(real)
    with pytest.raises(ConfigError) as caught:
        account_file.write_private_json(path, {"c": 3}, source=ConfigSource.SAVED_ACCOUNT)
    assert caught.value.problem == "symlink"
    assert real.read_text() == "{}"
