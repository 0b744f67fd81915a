"""Where connect() takes the key from: arguments > environment > iqp login's account
(keyring) > qiskit-ibm-runtime's file; and what happens when the keyring cannot answer."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from iqp_wrapper import ConfigError
from iqp_wrapper.config.settings import Settings, resolve_settings
from iqp_wrapper.credentials import keyring_store, store
from iqp_wrapper.errors import ConfigSource

from .conftest import MemoryKeyring

CRN_US = "crn:v1:bluemix:public:quantum-computing:us-east:a/fake-account:fake-us::"
CRN_EU = "crn:v1:bluemix:public:quantum-computing:eu-de:a/fake-account:fake-eu::"
CRN_ARG = "crn:v1:bluemix:public:quantum-computing:us-east:a/fake-account:fake-arg::"
KEY_RING, KEY_QISKIT, KEY_ENV, KEY_ARG = "fake-key-ring", "fake-key-qiskit", "fake-key-env", "fake-key-arg"


@pytest.fixture
def both(home: Path, memory_keyring: MemoryKeyring) -> Path:
    """An iqp login account 'ring' (default, key in the keyring) and a qiskit file with
    a default account 'qiskit' and a 'ring' of its own."""
    ours = store.Accounts(store.default_path({"XDG_CONFIG_HOME": str(home / ".config")}))
    ours.accounts["ring"] = store.StoredAccount(CRN_US)
    ours.default = "ring"
    store.save(ours)
    memory_keyring.set_password(keyring_store.SERVICE, "ring", KEY_RING)
    qiskit = home / ".qiskit" / "qiskit-ibm.json"
    qiskit.parent.mkdir()
    entry = {"channel": "ibm_quantum_platform", "instance": CRN_EU, "token": KEY_QISKIT}
    qiskit.write_text(json.dumps({"qiskit": {**entry, "is_default_account": True}, "ring": entry}))
    qiskit.chmod(0o600)
    return home


def resolve(home: Path, env: dict[str, str] | None = None, **given: object) -> Settings:
    environ = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), **(env or {})}
    return resolve_settings(environ=environ, **given)  # type: ignore[arg-type]


def test_the_keyring_account_comes_before_qiskits_default(both: Path) -> None:
    settings = resolve(both)
    assert settings.api_key.reveal() == KEY_RING
    assert settings.service_crn == CRN_US
    assert settings.sources["api_key"].startswith("iqp account 'ring' (key in the OS keyring")


def test_the_environment_comes_before_the_keyring(both: Path) -> None:
    settings = resolve(both, {"IQP_API_TOKEN": KEY_ENV, "IQP_SERVICE_CRN": CRN_EU})
    assert settings.api_key.reveal() == KEY_ENV
    assert settings.sources["api_key"] == "the environment variable IQP_API_TOKEN"


def test_arguments_come_before_everything(both: Path) -> None:
    env = {"IQP_API_TOKEN": KEY_ENV, "IQP_SERVICE_CRN": CRN_EU}
    settings = resolve(both, env, api_key=KEY_ARG, service_crn=CRN_ARG)
    assert (settings.api_key.reveal(), settings.service_crn) == (KEY_ARG, CRN_ARG)


def test_an_argument_overrides_one_setting_of_the_keyring_account(both: Path) -> None:
    settings = resolve(both, service_crn=CRN_ARG)
    assert (settings.api_key.reveal(), settings.service_crn) == (KEY_RING, CRN_ARG)


def test_a_name_picks_ours_first_then_qiskits(both: Path) -> None:
    assert resolve(both, account="ring").api_key.reveal() == KEY_RING
    named = resolve(both, account="qiskit")
    assert named.api_key.reveal() == KEY_QISKIT
    assert named.sources["api_key"].startswith("saved account 'qiskit'")


def test_qiskits_default_is_used_when_ours_has_none(both: Path) -> None:
    path = store.default_path({"XDG_CONFIG_HOME": str(both / ".config")})
    ours = store.load(path)
    ours.default = None
    store.save(ours)
    assert resolve(both).api_key.reveal() == KEY_QISKIT


def test_an_unknown_name_lists_both_kinds(both: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(both, account="nobody")
    assert "'qiskit'" in str(caught.value) and "Accounts saved with `iqp login`" in str(caught.value)


def test_a_key_gone_from_the_keyring_is_an_error_not_a_fallback(
    both: Path, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.passwords.clear()
    with pytest.raises(ConfigError) as caught:
        resolve(both)
    error = caught.value
    assert (error.setting, error.source, error.problem) == ("api_key", ConfigSource.KEYRING, "missing")
    assert "iqp login --account ring" in str(error)


def test_no_backend_is_an_error_never_a_silent_fallback_to_the_plain_text_file(
    both: Path, no_keyring: None
) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(both)
    error = caught.value
    assert (error.source, error.problem) == (ConfigSource.KEYRING, "no_keyring_backend")
    assert "IQP_API_TOKEN" in str(error)


def test_keyring_not_installed_says_which_extra(both: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring -> ImportError
    with pytest.raises(ConfigError) as caught:
        resolve(both)
    assert caught.value.problem == "keyring_not_installed"
    assert "iqp-wrapper[keyring]" in str(caught.value)


def test_without_iqp_accounts_keyring_is_never_imported(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)
    qiskit = home / "qiskit-ibm.json"
    qiskit.write_text(json.dumps({"default": {"token": KEY_QISKIT, "instance": CRN_EU}}))
    qiskit.chmod(0o600)
    assert resolve(home, accounts_file=qiskit).api_key.reveal() == KEY_QISKIT


def test_a_stored_iam_url_is_used(home: Path, memory_keyring: MemoryKeyring) -> None:
    ours = store.Accounts(store.default_path({"XDG_CONFIG_HOME": str(home / ".config")}))
    ours.accounts["local"] = store.StoredAccount(CRN_US, "http://127.0.0.1:9/api", "http://127.0.0.1:9")
    ours.default = "local"
    store.save(ours)
    memory_keyring.set_password(keyring_store.SERVICE, "local", KEY_RING)
    settings = resolve(home)
    assert (settings.base_url, settings.iam_url) == ("http://127.0.0.1:9/api", "http://127.0.0.1:9")
    assert settings.sources["iam_url"].startswith("'iam_url' of the iqp account 'local'")
