"""Where each setting came from is recorded, and named in the message when nothing was found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper import ConfigError, resolve_settings

from .fakes import API_KEY, CRN, write_accounts


def test_every_source_from_arguments_and_defaults() -> None:
    settings = resolve_settings(API_KEY, service_crn=CRN, environ={})
    assert dict(settings.sources) == {
        "api_key": "the api_key argument",
        "service_crn": "the service_crn argument",
        "api_version": "the version this client was generated for",
        "base_url": "the region of the service CRN (us-east)",
        "iam_url": "the service CRN (production or staging)",
    }


def test_every_source_from_arguments_given() -> None:
    settings = resolve_settings(
        API_KEY,
        service_crn=CRN,
        api_version="2026-03-15",
        url="http://127.0.0.1:9/api",
        iam_url="http://127.0.0.1:9",
        environ={},
    )
    assert dict(settings.sources) == {
        "api_key": "the api_key argument",
        "service_crn": "the service_crn argument",
        "api_version": "the api_version argument",
        "base_url": "the url argument",
        "iam_url": "the iam_url argument",
    }


def test_every_source_from_the_environment() -> None:
    environ = {
        "IQP_API_TOKEN": API_KEY,
        "IQP_SERVICE_CRN": CRN,
        "IQP_API_VERSION": "2026-03-15",
        "IQP_URL": "http://127.0.0.1:9/api",
        "IQP_IAM_URL": "http://127.0.0.1:9",
    }
    settings = resolve_settings(environ=environ)
    assert dict(settings.sources) == {
        "api_key": "the environment variable IQP_API_TOKEN",
        "service_crn": "the environment variable IQP_SERVICE_CRN",
        "api_version": "the environment variable IQP_API_VERSION",
        "base_url": "the environment variable IQP_URL",
        "iam_url": "the environment variable IQP_IAM_URL",
    }


def test_sources_from_a_saved_account(tmp_path: Path) -> None:
    account = {"channel": "ibm_cloud", "token": API_KEY, "instance": CRN, "url": "https://cloud.ibm.com"}
    path = write_accounts(tmp_path / "qiskit-ibm.json", {"default-ibm-cloud": account})
    settings = resolve_settings(environ={}, accounts_file=path)
    label = f"saved account 'default-ibm-cloud' in {path}"
    assert settings.sources["api_key"] == label
    assert settings.sources["service_crn"] == label
    assert settings.sources["iam_url"] == f"'url' of the {label}"


def test_no_key_anywhere_names_every_place_looked_in(tmp_path: Path) -> None:
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ=environ, accounts_file=tmp_path / "q.json")
    assert str(caught.value) == (
        "No API key was found. Pass api_key=... or set IQP_API_TOKEN, or save an account with "
        "`iqp login` or qiskit-ibm-runtime. Create a key at https://cloud.ibm.com/iam/apikeys. "
        "Looked in: the api_key argument (not given); the environment variable IQP_API_TOKEN (not set); "
        f"`iqp login` accounts in {tmp_path / 'xdg' / 'iqp' / 'accounts.json'} (none saved); "
        f"qiskit-ibm-runtime's saved accounts in {tmp_path / 'q.json'} (no such file)."
    )
    assert caught.value.source is None and caught.value.problem == "missing"


def test_no_crn_anywhere_names_every_place_looked_in(tmp_path: Path) -> None:
    environ = {"IQP_API_TOKEN": API_KEY, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ=environ, accounts_file=tmp_path / "q.json")
    assert str(caught.value) == (
        "No service CRN was found. Pass service_crn=... or set IQP_SERVICE_CRN to your instance's CRN "
        "(on https://quantum.cloud.ibm.com/instances). Looked in: the service_crn argument (not given); "
        "the environment variable IQP_SERVICE_CRN (not set); "
        f"`iqp login` accounts in {tmp_path / 'xdg' / 'iqp' / 'accounts.json'} (none saved); "
        f"qiskit-ibm-runtime's saved accounts in {tmp_path / 'q.json'} (no such file)."
    )


SAVED = {"channel": "ibm_quantum_platform", "token": "saved-key-not-real", "instance": CRN}


def test_a_saved_account_left_unread_is_named_with_the_reason(tmp_path: Path) -> None:
    path = write_accounts(tmp_path / "q.json", {"default-ibm-quantum-platform": SAVED})
    environ = {"IQP_API_TOKEN": API_KEY, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ=environ, accounts_file=path)
    message = str(caught.value)
    assert message.endswith(
        f"the saved account 'default-ibm-quantum-platform' in {path} (not read: the API key came from "
        "the environment variable IQP_API_TOKEN, and a key is never paired with an instance from "
        "another place; unset IQP_API_TOKEN to use this account's key and instance)."
    )
    assert (caught.value.setting, caught.value.problem) == ("service_crn", "missing")
    assert "saved-key-not-real" not in message and API_KEY not in message
    # Following the advice works: the account's own key and instance, together.
    settings = resolve_settings(environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")}, accounts_file=path)
    assert settings.api_key.reveal() == "saved-key-not-real"
    with pytest.raises(ConfigError) as caught:
        resolve_settings(API_KEY, environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")}, accounts_file=path)
    assert "; leave out api_key=... to use this account's key and instance)." in str(caught.value)


def test_an_iqp_login_account_left_unread_is_named_in_the_clis_words(tmp_path: Path) -> None:
    from iqp_wrapper.cli.connection import CLI_SPELLING

    ours = write_accounts(
        tmp_path / "xdg" / "iqp" / "accounts.json",
        {"format": 1, "default": "work", "accounts": {"work": {"service_crn": CRN}}},
    )
    environ = {"IQP_API_TOKEN": API_KEY, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ=environ, accounts_file=tmp_path / "q.json", spelling=CLI_SPELLING)
    assert str(caught.value).endswith(
        "Looked in: --crn (not given); the environment variable IQP_SERVICE_CRN (not set); "
        f"the iqp account 'work' (settings in {ours}) (not read: the API key came from the environment "
        "variable IQP_API_TOKEN, and a key is never paired with an instance from another place; "
        "unset IQP_API_TOKEN to use this account's key and instance)."
    )


def test_a_saved_account_without_the_setting_is_named(tmp_path: Path) -> None:
    path = write_accounts(
        tmp_path / "q.json", {"default-ibm-cloud": {"channel": "ibm_cloud", "instance": CRN}}
    )
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")}, accounts_file=path)
    assert str(caught.value).endswith(
        "the environment variable IQP_API_TOKEN (not set); the saved account 'default-ibm-cloud' in "
        f"{path} (used, but it holds no 'token': the key is missing there)."
    )


def test_saved_accounts_without_a_default_are_listed(tmp_path: Path) -> None:
    path = write_accounts(tmp_path / "q.json", {"lab": SAVED, "home": SAVED})
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")}, accounts_file=path)
    message = str(caught.value)
    assert message.endswith(
        f"qiskit-ibm-runtime's saved accounts in {path} (no default account among 'home', 'lab')."
    )
    assert "saved-key-not-real" not in message


def test_an_unreadable_file_left_unread_does_not_hide_the_missing_setting(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    path.write_text('["saved-key-not-real"', encoding="utf-8")
    environ = {"IQP_API_TOKEN": API_KEY, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ=environ, accounts_file=path)
    message = str(caught.value)
    assert caught.value.setting == "service_crn"
    assert (
        f"qiskit-ibm-runtime's saved accounts in {path} (unreadable: The account file {path} is not valid"
        in message
    )
    assert "saved-key-not-real" not in message


@pytest.mark.parametrize(
    ("kwargs", "environ", "source"),
    [
        ({"service_crn": "my-instance"}, {}, "the service_crn argument"),
        ({}, {"IQP_SERVICE_CRN": "my-instance"}, "the environment variable IQP_SERVICE_CRN"),
    ],
)
def test_a_bad_crn_names_its_source(kwargs: dict[str, Any], environ: dict[str, str], source: str) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_settings(API_KEY, environ=environ, **kwargs)
    assert str(caught.value).startswith(f"The service CRN from {source} ('my-instance') is not a CRN")


@pytest.mark.parametrize("name", ["api_version", "service_crn", "url", "iam_url"])
def test_an_empty_argument_is_named(name: str) -> None:
    kwargs: dict[str, Any] = {"service_crn": CRN, name: ""}
    with pytest.raises(ConfigError) as caught:
        resolve_settings(API_KEY, environ={}, **kwargs)
    assert str(caught.value) == f"The {name} argument is empty; give a value or leave it out."


def test_refused_credentials_name_where_they_came_from() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_settings("ab\x01cd", service_crn=CRN, environ={})
    assert str(caught.value).startswith("The API key from the api_key argument contains a control character")
    crn_with_space = CRN.replace("test-instance", "test instance")
    with pytest.raises(ConfigError) as caught:
        resolve_settings(API_KEY, environ={"IQP_SERVICE_CRN": crn_with_space})
    assert str(caught.value).startswith(
        "The service CRN from the environment variable IQP_SERVICE_CRN contains a space"
    )
