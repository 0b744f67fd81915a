"""Every configuration error, word for word: the message is the interface that says what to fix.

Each case names the input, the whole message a user sees, and nothing secret in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper import ConfigError, resolve_settings

from .fakes import API_KEY, CRN, write_accounts

CRN_EU = CRN.replace(":us-east:", ":eu-de:")
ENV = {"IQP_API_TOKEN": API_KEY, "IQP_SERVICE_CRN": CRN}
ARG_KEY: dict[str, Any] = {"api_key": API_KEY, "service_crn": CRN}

CASES: dict[str, tuple[dict[str, str], dict[str, Any], str]] = {
    "empty region argument": (
        ENV,
        {"region": ""},
        "The region argument is empty; give a value or leave it out.",
    ),
    "region contradicts the CRN": (
        ENV,
        {"region": "eu-de"},
        "The region 'eu-de' from the region argument contradicts the service CRN from the environment "
        "variable IQP_SERVICE_CRN, whose instance is in 'us-east'; drop the region or use the CRN of an "
        "instance in 'eu-de'.",
    ),
    "url with whitespace": (
        ENV,
        {"url": " https://quantum.cloud.ibm.com/api"},
        "The API URL from the url argument has leading or trailing whitespace.",
    ),
    "url that does not parse": (
        ENV,
        {"url": "https://host:port/api"},
        # A URL that does not parse is shown redacted: it might hold a password.
        "The API URL from the url argument ('***') is not an absolute http(s) URL.",
    ),
    "url not http": (
        ENV,
        {"url": "ftp://quantum.cloud.ibm.com/api"},
        "The API URL from the url argument ('ftp://quantum.cloud.ibm.com/api') is not an absolute "
        "http(s) URL.",
    ),
    "url in plain http": (
        ENV,
        {"url": "http://quantum.cloud.ibm.com/api"},
        "The API URL from the url argument uses plain http; use https (plain http is accepted only for "
        "localhost).",
    ),
    "url with a query": (
        ENV,
        {"url": "https://quantum.cloud.ibm.com/api?x=1"},
        "The API URL from the url argument should have no user name, query or fragment.",
    ),
    "url of another region": (
        ENV,
        {"url": "https://eu-de.quantum.cloud.ibm.com/api"},
        "The API URL from the url argument (https://eu-de.quantum.cloud.ibm.com/api) serves the region "
        "'eu-de', but the service CRN's instance is in 'us-east'; the API would answer 'instance not "
        "found'. Use https://quantum.cloud.ibm.com/api or leave the URL out to derive it from the CRN.",
    ),
    "url that is not the API root": (
        ENV,
        {"url": "https://eu-de.quantum.cloud.ibm.com/apiX", "service_crn": CRN_EU},
        "The API URL from the url argument (https://eu-de.quantum.cloud.ibm.com/apiX) should be the API "
        "root ending in /api, for example https://eu-de.quantum.cloud.ibm.com/api.",
    ),
    "iam url with whitespace": (
        ENV,
        {"iam_url": "https://iam.cloud.ibm.com "},
        "The IAM URL from the iam_url argument has leading or trailing whitespace.",
    ),
    "iam url with the token path": (
        ENV,
        {"iam_url": "https://iam.example.test/identity/token/"},
        "The IAM URL from the iam_url argument should be IAM's root (https://iam.cloud.ibm.com); "
        "/identity/token is added by the client.",
    ),
    "unknown region": (
        ENV,
        {"service_crn": CRN.replace(":us-east:", ":jp-tok:")},
        "The service CRN names the region 'jp-tok', which this client does not know (known: us-east, "
        "eu-de). Check the CRN; if IBM has opened that region, pass url=... or set IQP_URL.",
    ),
    "staging without a url": (
        ENV,
        {"service_crn": CRN.replace(":bluemix:", ":staging:")},
        "The service CRN is for IBM Cloud staging, whose API URL this client does not derive; pass "
        "url=... or set IQP_URL.",
    ),
    "api version that is no date": (
        ENV,
        {"api_version": "2026-02-30"},
        "The API version '2026-02-30' from the api_version argument is not a date like 2026-04-15 "
        "(YYYY-MM-DD); GET /v1/versions lists the versions the API supports.",
    ),
    "key with a newline": (
        {},
        {**ARG_KEY, "api_key": API_KEY + "\n"},
        "The API key from the api_key argument has leading or trailing whitespace (often a newline pasted "
        "with it); remove it.",
    ),
    "key that is only quotes": (
        {},
        {**ARG_KEY, "api_key": '""'},
        "The API key from the api_key argument is wrapped in quotes; remove them (shells and .env files do "
        "not always strip them).",
    ),
    "blank key": (
        {},
        {**ARG_KEY, "api_key": "  "},
        "The API key from the api_key argument is blank; set it to your IBM Cloud API key.",
    ),
    "verify path missing": (
        ENV,
        {"verify": "/no/such/ca-bundle.pem"},
        "verify='/no/such/ca-bundle.pem' should name a CA bundle file or directory, but it cannot be "
        "loaded (FileNotFoundError); fix the path, or pass verify=True for the default CAs.",
    ),
    "proxy that does not parse": (
        ENV,
        {"proxies": "http://proxy.example.test:port"},
        "The proxy for 'all' ('***') should be a URL like http://proxy.example.com:8080.",
    ),
    "proxy of another scheme": (
        ENV,
        {"proxies": {"https": "ftp://user:pw-not-real@proxy.example.test"}},
        "The proxy for 'https' ('ftp://user:***@proxy.example.test') should be a URL like "
        "http://proxy.example.com:8080.",
    ),
    "zero timeout": (
        ENV,
        {"timeout": 0},
        "timeout should be a positive number of seconds or an httpx.Timeout.",
    ),
    "negative iam timeout": (
        ENV,
        {"iam_timeout": -1},
        "iam_timeout should be a positive number of seconds or an httpx.Timeout.",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_message_says_what_to_fix(case: str, tmp_path: Path) -> None:
    environ, kwargs, message = CASES[case]
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ=environ, accounts_file=tmp_path / "none.json", **kwargs)
    assert str(caught.value) == message
    assert API_KEY not in str(caught.value) and "pw-not-real" not in str(caught.value)


# -- edges the messages above do not reach ------------------------------------------------------


@pytest.mark.parametrize("key", ["XtestX", "a-test-a", "x"])
def test_keys_that_only_look_quoted_are_accepted(key: str) -> None:
    assert resolve_settings(environ={}, api_key=key, service_crn=CRN).api_key.reveal() == key


def test_trailing_slashes_are_dropped_and_nothing_else() -> None:
    settings = resolve_settings(
        environ={}, **ARG_KEY, url="http://127.0.0.1:9000/prefiX/", iam_url="http://127.0.0.1:9001/iamX/"
    )
    assert settings.base_url == "http://127.0.0.1:9000/prefiX"
    assert settings.iam_url == "http://127.0.0.1:9001/iamX"
    # Only a path that ends in /identity/token is refused as an IAM root.
    odd = resolve_settings(environ={}, **ARG_KEY, iam_url="http://127.0.0.1:9001/identity/tokenX")
    assert odd.iam_url == "http://127.0.0.1:9001/identity/tokenX"
    assert resolve_settings(environ={}, **ARG_KEY, url="https://quantum.cloud.ibm.com/api/").base_url == (
        "https://quantum.cloud.ibm.com/api"
    )


def test_an_empty_value_in_a_saved_account_is_refused(tmp_path: Path) -> None:
    account = {"channel": "ibm_quantum_platform", "token": API_KEY, "instance": ""}
    path = write_accounts(tmp_path / "qiskit-ibm.json", {"default-ibm-quantum-platform": account})
    with pytest.raises(ConfigError, match="holds an empty value; re-save the account"):
        resolve_settings(environ={}, accounts_file=path)


def test_a_saved_api_url_is_used_unless_one_is_given(tmp_path: Path) -> None:
    account = {"channel": "ibm_quantum_platform", "token": API_KEY, "instance": CRN}
    account["url"] = "https://gateway.example.test/api"
    path = write_accounts(tmp_path / "qiskit-ibm.json", {"default-ibm-quantum-platform": account})
    saved = resolve_settings(environ={}, accounts_file=path)
    assert saved.base_url == "https://gateway.example.test/api"
    assert saved.sources["base_url"] == f"'url' of the saved account 'default-ibm-quantum-platform' in {path}"
    given = resolve_settings(environ={}, accounts_file=path, url="http://127.0.0.1:9/api")
    assert given.base_url == "http://127.0.0.1:9/api"
    from_env = resolve_settings(environ={"IQP_URL": "http://127.0.0.1:8/api"}, accounts_file=path)
    assert from_env.base_url == "http://127.0.0.1:8/api"
