"""Settings: precedence, the saved-accounts file, region and URL derivation, bad input."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import certifi
import httpx
import pytest

from iqp_wrapper import DEFAULT_API_VERSION, ConfigError, Settings, connect, resolve_settings
from iqp_wrapper.crn import api_url_for, iam_url_for, parse_crn, region_of_api_host

from .fakes import API_KEY, CRN, CRN_EU, write_accounts

OTHER_KEY = "test-key-2-not-real"
CRN_STAGING = (
    "crn:v1:staging:public:quantum-computing:us-east:a/test-account-not-real:test-instance-not-real::"
)
CRN_NEW_REGION = (
    "crn:v1:bluemix:public:quantum-computing:jp-tok:a/test-account-not-real:test-instance-not-real::"
)
ENV = {"IQP_API_TOKEN": API_KEY, "IQP_SERVICE_CRN": CRN}


def resolve(environ: dict[str, str] | None = None, **kwargs: Any) -> Settings:
    return resolve_settings(environ=environ if environ is not None else {}, **kwargs)


def saved(tmp_path: Path, **accounts: dict[str, Any]) -> Path:
    return write_accounts(tmp_path / "qiskit-ibm.json", accounts)


def platform_account(**fields: Any) -> dict[str, Any]:
    return {"channel": "ibm_quantum_platform", "token": API_KEY, "instance": CRN, **fields}


# -- precedence -------------------------------------------------------------------------


def test_arguments_alone_are_enough() -> None:
    settings = resolve(api_key=API_KEY, service_crn=CRN)
    assert settings.api_key.reveal() == API_KEY
    assert settings.service_crn == CRN
    assert settings.region == "us-east"
    assert settings.api_version == DEFAULT_API_VERSION == "2026-04-15"
    assert settings.base_url == "https://quantum.cloud.ibm.com/api"
    assert settings.iam_url == "https://iam.cloud.ibm.com"
    assert settings.sources["api_key"] == "the api_key argument"


def test_environment_alone_is_enough() -> None:
    settings = resolve(ENV)
    assert settings.api_key.reveal() == API_KEY
    assert settings.sources["api_key"] == "the environment variable IQP_API_TOKEN"
    assert settings.sources["service_crn"] == "the environment variable IQP_SERVICE_CRN"


def test_os_environ_is_the_default_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IQP_API_TOKEN", API_KEY)
    monkeypatch.setenv("IQP_SERVICE_CRN", CRN_EU)
    assert resolve_settings().region == "eu-de"


def test_arguments_beat_the_environment() -> None:
    environ = {
        **ENV,
        "IQP_API_VERSION": "2026-03-15",
        "IQP_URL": "https://quantum.cloud.ibm.com/api",
        "IQP_IAM_URL": "https://iam.env.example.test",
    }
    settings = resolve(
        environ,
        api_key=OTHER_KEY,
        service_crn=CRN_EU,
        api_version="2026-02-01",
        url="https://eu-de.quantum.cloud.ibm.com/api",
        iam_url="https://iam.arg.example.test",
    )
    assert settings.api_key.reveal() == OTHER_KEY
    assert settings.service_crn == CRN_EU
    assert settings.api_version == "2026-02-01"
    assert settings.base_url == "https://eu-de.quantum.cloud.ibm.com/api"
    assert settings.iam_url == "https://iam.arg.example.test"


def test_the_environment_beats_the_saved_account(tmp_path: Path) -> None:
    path = saved(tmp_path, mine=platform_account(token=OTHER_KEY, instance=CRN_EU))
    environ = {**ENV, "IQP_API_VERSION": "2026-03-15", "IQP_IAM_URL": "https://iam.env.example.test"}
    settings = resolve(environ, account="mine", accounts_file=path)
    assert settings.api_key.reveal() == API_KEY
    assert settings.service_crn == CRN
    assert settings.api_version == "2026-03-15"
    assert settings.iam_url == "https://iam.env.example.test"


def test_the_saved_account_fills_what_is_not_given(tmp_path: Path) -> None:
    path = saved(tmp_path, **{"default-ibm-quantum-platform": platform_account()})
    settings = resolve({"IQP_API_VERSION": "2026-03-15"}, accounts_file=path)
    assert settings.api_key.reveal() == API_KEY
    assert settings.service_crn == CRN
    assert settings.api_version == "2026-03-15"
    assert settings.sources["api_key"] == f"saved account 'default-ibm-quantum-platform' in {path}"


def test_an_argument_crn_may_pair_with_a_saved_key(tmp_path: Path) -> None:
    path = saved(tmp_path, **{"default-ibm-quantum-platform": platform_account()})
    assert resolve(service_crn=CRN_EU, accounts_file=path).region == "eu-de"


def test_an_environment_key_never_pairs_with_a_saved_instance(tmp_path: Path) -> None:
    path = saved(tmp_path, work=platform_account(token=OTHER_KEY))
    with pytest.raises(ConfigError, match="same place") as caught:
        resolve({"IQP_API_TOKEN": API_KEY}, account="work", accounts_file=path)
    assert API_KEY not in str(caught.value) and OTHER_KEY not in str(caught.value)


def test_an_environment_key_does_not_go_looking_in_the_file(tmp_path: Path) -> None:
    # A key is set but no CRN: say so, instead of borrowing the default account's instance.
    path = saved(tmp_path, **{"default-ibm-quantum-platform": platform_account()})
    with pytest.raises(ConfigError, match="IQP_SERVICE_CRN"):
        resolve({"IQP_API_TOKEN": API_KEY}, accounts_file=path)


# -- the saved-accounts file --------------------------------------------------------------


def test_the_default_file_is_in_the_home_directory(tmp_path: Path) -> None:
    # conftest points HOME at tmp_path / "home".
    write_accounts(
        tmp_path / "home" / ".qiskit" / "qiskit-ibm.json",
        {"default-ibm-quantum-platform": platform_account(instance=CRN_EU)},
    )
    assert resolve().service_crn == CRN_EU


def test_no_key_anywhere_names_every_way_to_give_one() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve()
    message = str(caught.value)
    assert "api_key=" in message and "IQP_API_TOKEN" in message and "save" in message


@pytest.mark.parametrize(
    ("accounts", "expected"),
    [
        (
            {
                "default-ibm-quantum-platform": platform_account(instance=CRN),
                "chosen": platform_account(instance=CRN_EU, is_default_account=True),
            },
            CRN_EU,
        ),
        (
            {
                "other": platform_account(instance=CRN_EU),
                "default-ibm-quantum-platform": platform_account(instance=CRN),
            },
            CRN,
        ),
        (
            {"default-ibm-cloud": {"channel": "ibm_cloud", "token": API_KEY, "instance": CRN_EU}},
            CRN_EU,
        ),
        (
            {
                "legacy": {"channel": "ibm_quantum", "token": "x", "is_default_account": True},
                "default-ibm-cloud": {"channel": "ibm_cloud", "token": API_KEY, "instance": CRN_EU},
            },
            CRN_EU,
        ),
    ],
)
def test_the_default_account_is_chosen_as_qiskit_does(
    tmp_path: Path, accounts: dict[str, Any], expected: str
) -> None:
    assert resolve(accounts_file=saved(tmp_path, **accounts)).service_crn == expected


def test_a_named_account_is_used(tmp_path: Path) -> None:
    path = saved(
        tmp_path,
        **{"default-ibm-quantum-platform": platform_account(), "work": platform_account(instance=CRN_EU)},
    )
    assert resolve(account="work", accounts_file=path).service_crn == CRN_EU


def test_saved_cloud_url_private_endpoint_verify_and_proxies_are_honoured(tmp_path: Path) -> None:
    path = saved(
        tmp_path,
        work=platform_account(
            instance=CRN_EU,
            url="https://test.cloud.ibm.com",
            private_endpoint=True,
            verify=False,
            proxies={"urls": {"https": "http://proxy.example.test:3128"}},
            region="eu-de",
            plans_preference=["open"],
            tags=["x"],
        ),
    )
    settings = resolve(account="work", accounts_file=path)
    assert settings.base_url == "https://private.eu-de.quantum.cloud.ibm.com/api"
    assert settings.iam_url == "https://private.iam.test.cloud.ibm.com"
    assert settings.network.verify is False
    assert settings.network.proxy_for(settings.base_url) == "http://proxy.example.test:3128"
    assert settings.network.proxy_for(settings.iam_url) == "http://proxy.example.test:3128"


def test_saved_api_url_is_used_and_retired_one_ignored(tmp_path: Path) -> None:
    path = saved(
        tmp_path,
        direct=platform_account(instance=CRN_EU, url="https://eu-de.quantum.cloud.ibm.com/api/"),
        old=platform_account(url="https://us-east.quantum-computing.cloud.ibm.com"),
    )
    assert resolve(account="direct", accounts_file=path).base_url == "https://eu-de.quantum.cloud.ibm.com/api"
    assert resolve(account="old", accounts_file=path).base_url == "https://quantum.cloud.ibm.com/api"


@pytest.mark.parametrize(
    ("accounts", "account", "fix"),
    [
        ({"a": platform_account()}, "b", "accounts there: 'a'"),
        ({"a": {"channel": "ibm_quantum", "token": "x"}}, "a", "IBM Cloud API key"),
        ({"a": {"channel": "local"}}, "a", "channel 'local'"),
        ({"a": platform_account(token=12345)}, "a", "'token' of the account 'a'"),
        ({"a": platform_account(verify="yes")}, "a", "'verify'"),
        ({"a": platform_account(instance="my-instance-name")}, "a", "is not a CRN"),
        ({"a": platform_account(instance=None)}, "a", "IQP_SERVICE_CRN"),
        ({"a": platform_account(region="eu-de")}, "a", "contradicts the service CRN"),
        (
            {"a": platform_account(proxies={"username_ntlm": "u", "password_ntlm": "p"})},
            "a",
            "NTLM",
        ),
        ({"a": platform_account(proxies={"urls": ["http://p"]})}, "a", "proxies.urls"),
        ({"a": "not an object"}, "a", "not a JSON object"),
    ],
)
def test_bad_saved_accounts_say_what_to_fix(
    tmp_path: Path, accounts: dict[str, Any], account: str, fix: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(account=account, accounts_file=saved(tmp_path, **accounts))
    assert fix in str(caught.value)
    assert API_KEY not in str(caught.value)


def test_a_named_account_without_a_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no saved-accounts file"):
        resolve(account="work", accounts_file=tmp_path / "missing.json")


def test_a_broken_file_is_reported_without_quoting_it(tmp_path: Path) -> None:
    path = tmp_path / "qiskit-ibm.json"
    path.write_text('{"a": {"token": "' + API_KEY + '",}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid JSON") as caught:
        resolve(accounts_file=path)
    assert API_KEY not in str(caught.value)


# -- regions and URLs -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("crn", "private", "api", "iam"),
    [
        (CRN, False, "https://quantum.cloud.ibm.com/api", "https://iam.cloud.ibm.com"),
        (CRN_EU, False, "https://eu-de.quantum.cloud.ibm.com/api", "https://iam.cloud.ibm.com"),
        (CRN, True, "https://private.quantum.cloud.ibm.com/api", "https://private.iam.cloud.ibm.com"),
        (
            CRN_EU,
            True,
            "https://private.eu-de.quantum.cloud.ibm.com/api",
            "https://private.iam.cloud.ibm.com",
        ),
    ],
)
def test_urls_follow_from_the_crn(crn: str, private: bool, api: str, iam: str) -> None:
    settings = resolve(api_key=API_KEY, service_crn=crn, private_endpoint=private)
    assert (settings.base_url, settings.iam_url) == (api, iam)


def test_any_region_follows_the_same_url_rule() -> None:
    assert api_url_for("jp-tok") == "https://jp-tok.quantum.cloud.ibm.com/api"
    assert api_url_for("jp-tok", private=True) == "https://private.jp-tok.quantum.cloud.ibm.com/api"
    assert iam_url_for(staging=True) == "https://iam.test.cloud.ibm.com"
    assert iam_url_for(staging=True, private=True) == "https://private.iam.test.cloud.ibm.com"


@pytest.mark.parametrize(
    ("host", "region"),
    [
        ("quantum.cloud.ibm.com", "us-east"),
        ("private.quantum.cloud.ibm.com", "us-east"),
        ("eu-de.quantum.cloud.ibm.com", "eu-de"),
        ("private.eu-de.quantum.cloud.ibm.com", "eu-de"),
        ("localhost", None),
        ("quantum.cloud.ibm.com.example.test", None),
    ],
)
def test_region_of_api_host(host: str, region: str | None) -> None:
    assert region_of_api_host(host) == region


def test_a_staging_crn_uses_staging_iam() -> None:
    settings = resolve(api_key=API_KEY, service_crn=CRN_STAGING, url="https://staging.example.test/api")
    assert settings.iam_url == "https://iam.test.cloud.ibm.com"
    assert parse_crn(CRN_STAGING, source="test").staging


def test_an_explicit_url_admits_a_region_this_client_does_not_know() -> None:
    settings = resolve(
        api_key=API_KEY, service_crn=CRN_NEW_REGION, url="https://jp-tok.quantum.cloud.ibm.com/api"
    )
    assert settings.region == "jp-tok"


def test_a_local_url_is_taken_as_given() -> None:
    settings = resolve(api_key=API_KEY, service_crn=CRN, url="http://localhost:8080/api/")
    assert settings.base_url == "http://localhost:8080/api"


def test_timeouts() -> None:
    default = resolve(api_key=API_KEY, service_crn=CRN)
    assert default.timeout == httpx.Timeout(60.0, connect=10.0)
    assert default.iam_timeout == httpx.Timeout(30.0, connect=10.0)
    one = resolve(api_key=API_KEY, service_crn=CRN, timeout=5)
    assert one.timeout == one.iam_timeout == httpx.Timeout(5.0)
    both = resolve(api_key=API_KEY, service_crn=CRN, timeout=5, iam_timeout=httpx.Timeout(2.0))
    assert both.iam_timeout == httpx.Timeout(2.0)


def test_verify_accepts_a_ca_bundle_file_or_directory(tmp_path: Path) -> None:
    for path in (certifi.where(), str(tmp_path)):
        settings = resolve(api_key=API_KEY, service_crn=CRN, verify=path)
        assert isinstance(settings.network.verify, ssl.SSLContext)
    assert resolve(api_key=API_KEY, service_crn=CRN).network.verify is True


def test_proxies_argument_forms() -> None:
    one = resolve(api_key=API_KEY, service_crn=CRN, proxies="http://proxy.example.test:3128")
    assert one.network.proxy_for("https://quantum.cloud.ibm.com/api") == "http://proxy.example.test:3128"
    mapping = {
        "https://iam.cloud.ibm.com": "http://iam-proxy.example.test:1",
        "https": "http://p.example.test:2",
    }
    many = resolve(api_key=API_KEY, service_crn=CRN, proxies=mapping)
    assert (
        many.network.proxy_for("https://iam.cloud.ibm.com/identity/token")
        == "http://iam-proxy.example.test:1"
    )
    assert many.network.proxy_for("https://quantum.cloud.ibm.com/api") == "http://p.example.test:2"


def test_environment_proxies_and_no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://env-proxy.example.test:3128")
    monkeypatch.setenv("NO_PROXY", ".iam.cloud.ibm.com,localhost")
    settings = resolve(api_key=API_KEY, service_crn=CRN, iam_url="https://private.iam.cloud.ibm.com")
    assert settings.network.proxy_for(settings.base_url) == "http://env-proxy.example.test:3128"
    assert settings.network.proxy_for(settings.iam_url) is None
    untrusting = resolve(api_key=API_KEY, service_crn=CRN, trust_env=False)
    assert untrusting.network.proxy_for(untrusting.base_url) is None


def test_settings_repr_hides_the_key_and_proxy_password() -> None:
    settings = resolve(
        api_key=API_KEY,
        service_crn=CRN,
        proxies="http://user:test-proxy-password-not-real@proxy.example.test:3128",
    )
    for text in (repr(settings), str(settings)):
        assert API_KEY not in text and "test-proxy-password-not-real" not in text
        assert "api_key='***'" in text and "user:***@proxy.example.test" in text


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "kwargs", "fix"),
    [
        ({"IQP_SERVICE_CRN": CRN}, {}, "IQP_API_TOKEN"),
        ({}, {"api_key": "", "service_crn": CRN}, "api_key argument is empty"),
        ({"IQP_API_TOKEN": "", "IQP_SERVICE_CRN": CRN}, {}, "IQP_API_TOKEN is set but empty"),
        ({"IQP_API_TOKEN": "   ", "IQP_SERVICE_CRN": CRN}, {}, "is blank"),
        ({"IQP_API_TOKEN": API_KEY + "\n", "IQP_SERVICE_CRN": CRN}, {}, "whitespace"),
        ({}, {"api_key": " " + API_KEY, "service_crn": CRN}, "whitespace"),
        ({"IQP_API_TOKEN": f'"{API_KEY}"', "IQP_SERVICE_CRN": CRN}, {}, "wrapped in quotes"),
        ({}, {"api_key": f"'{API_KEY}'", "service_crn": CRN}, "wrapped in quotes"),
        ({"IQP_API_TOKEN": API_KEY}, {}, "IQP_SERVICE_CRN"),
        (ENV, {"service_crn": "my-instance"}, "is not a CRN"),
        (ENV, {"service_crn": "crn:v1:bluemix:public:quantum-computing:us-east"}, "does not parse"),
        (ENV, {"service_crn": CRN.replace("crn:v1:", "crn:v2:")}, "does not parse"),
        (
            ENV,
            {"service_crn": CRN.replace("quantum-computing", "cloud-object-storage")},
            "cloud-object-storage",
        ),
        (ENV, {"service_crn": CRN.replace(":us-east:", "::")}, "empty region"),
        (ENV, {"service_crn": CRN + " "}, "whitespace"),
        (ENV, {"service_crn": CRN_NEW_REGION}, "does not know"),
        (ENV, {"service_crn": CRN_STAGING}, "staging"),
        (ENV, {"api_version": "2026-4-15"}, "YYYY-MM-DD"),
        (ENV, {"api_version": "latest"}, "YYYY-MM-DD"),
        (ENV, {"api_version": "2026-02-30"}, "YYYY-MM-DD"),
        ({**ENV, "IQP_API_VERSION": ""}, {}, "IQP_API_VERSION is set but empty"),
        (ENV, {"url": "https://eu-de.quantum.cloud.ibm.com/api"}, "contradicts|serves the region"),
        ({**ENV, "IQP_URL": "https://eu-de.quantum.cloud.ibm.com/api"}, {}, "IQP_URL"),
        (ENV, {"url": "https://quantum.cloud.ibm.com"}, "ending in /api"),
        (ENV, {"url": "quantum.cloud.ibm.com/api"}, "absolute"),
        (ENV, {"url": "http://quantum.cloud.ibm.com/api"}, "use https"),
        (ENV, {"url": "https://quantum.cloud.ibm.com/api?x=1"}, "query"),
        (ENV, {"iam_url": "https://iam.cloud.ibm.com/identity/token"}, "/identity/token is added"),
        (ENV, {"region": "eu-de"}, "contradicts the service CRN"),
        (ENV, {"verify": "/no/such/ca-bundle.pem"}, "CA bundle"),
        (ENV, {"proxies": "not a url"}, "proxy"),
        (ENV, {"timeout": -1}, "positive number"),
        (ENV, {"iam_timeout": 0}, "positive number"),
    ],
)
def test_each_bad_input_says_what_to_fix(environ: dict[str, str], kwargs: dict[str, Any], fix: str) -> None:
    with pytest.raises(ConfigError, match=fix) as caught:
        resolve(environ, **kwargs)
    assert API_KEY not in str(caught.value)


def test_bad_input_is_caught_before_any_request(httpx_mock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IQP_API_TOKEN", f'"{API_KEY}"')
    monkeypatch.setenv("IQP_SERVICE_CRN", CRN)
    with pytest.raises(ConfigError, match="quotes"):
        connect()
    assert httpx_mock.get_requests() == []
