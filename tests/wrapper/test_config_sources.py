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


def test_no_key_anywhere(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={}, accounts_file=tmp_path / "q.json")
    assert str(caught.value) == (
        "No API key was found. Pass api_key=... or set IQP_API_TOKEN, or save an account with "
        f"`iqp login` or qiskit-ibm-runtime (no default account in {tmp_path / 'q.json'}). "
        "Create a key at "
        "https://cloud.ibm.com/iam/apikeys."
    )


def test_no_crn_anywhere(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={"IQP_API_TOKEN": API_KEY}, accounts_file=tmp_path / "q.json")
    assert str(caught.value) == (
        "No service CRN was found. Pass service_crn=... or set IQP_SERVICE_CRN to your instance's CRN "
        "(on https://quantum.cloud.ibm.com/instances)."
    )


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
