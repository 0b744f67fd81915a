"""An `iqp login` account's settings, as config.py reads them: the fields of a refusal of its
IAM URL, and the environment it is looked up in (docs/mutation.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iqp_wrapper import ConfigError
from iqp_wrapper.config.settings import resolve_settings
from iqp_wrapper.credentials import keyring_store, store
from iqp_wrapper.errors import ConfigSource

from .conftest import MemoryKeyring

CRN_US = "crn:v1:bluemix:public:quantum-computing:us-east:a/fake-account:fake-us::"
KEY = "fake-key-ring"


def _store(config_home: Path, keyring: MemoryKeyring, iam_url: str | None = None) -> None:
    ours = store.Accounts(store.default_path({"XDG_CONFIG_HOME": str(config_home)}))
    ours.accounts["local"] = store.StoredAccount(CRN_US, None, iam_url)
    ours.default = "local"
    store.save(ours)
    keyring.set_password(keyring_store.SERVICE, "local", KEY)


def test_a_bad_stored_iam_url_is_the_stored_accounts_fault(home: Path, memory_keyring: MemoryKeyring) -> None:
    _store(home / ".config", memory_keyring, iam_url="http://iam.example.test")
    environ = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ=environ)
    error = caught.value
    assert (error.setting, error.source, error.problem) == (
        "iam_url",
        ConfigSource.KEYRING,
        "insecure_scheme",
    )
    assert "'local'" in str(error)  # names the account


def test_the_account_is_looked_up_in_the_environment_given(
    home: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    elsewhere = tmp_path / "elsewhere"
    _store(elsewhere, memory_keyring)  # not where this process's own XDG_CONFIG_HOME points
    settings = resolve_settings(environ={"HOME": str(home), "XDG_CONFIG_HOME": str(elsewhere)})
    assert settings.service_crn == CRN_US
    assert settings.api_key.reveal() == KEY
