"""Where configuration stops: URLs, proxies, timeouts and where IAM may be; each refusal is typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from iqp_wrapper import ConfigError, Settings, connect, resolve_settings

from .fakes import API_KEY, CRN, write_accounts

CRN_STAGING = (
    "crn:v1:staging:public:quantum-computing:us-east:a/test-account-not-real:test-instance-not-real::"
)
IBM_IAM_HOSTS = {
    "https://iam.cloud.ibm.com",
    "https://iam.test.cloud.ibm.com",
    "https://private.iam.cloud.ibm.com",
    "https://private.iam.test.cloud.ibm.com",
}


def resolve(**kwargs: Any) -> Settings:
    kwargs.setdefault("api_key", API_KEY)
    kwargs.setdefault("service_crn", CRN)
    return resolve_settings(environ=kwargs.pop("environ", {}), **kwargs)


def from_saved_account(tmp_path: Path, **fields: Any) -> Settings:
    account = {"channel": "ibm_cloud", "token": API_KEY, "instance": CRN, **fields}
    path = write_accounts(tmp_path / "qiskit-ibm.json", {"default-ibm-cloud": account})
    return resolve_settings(environ={}, accounts_file=path)


# -- URL schemes and hosts ------------------------------------------------------------------

NOT_HTTP_URLS = [
    "ftp://quantum.cloud.ibm.com/api",
    "file:///etc/passwd",
    "ws://127.0.0.1:8000/api",
    "https:///api",  # no host
    "https://",
    "quantum.cloud.ibm.com/api",  # no scheme
    "/api",
]


@pytest.mark.parametrize("url", NOT_HTTP_URLS)
@pytest.mark.parametrize("setting", ["url", "iam_url"])
def test_a_url_that_is_not_absolute_http_is_refused(setting: str, url: str) -> None:
    with pytest.raises(ConfigError, match=r"not an absolute http\(s\) URL"):
        resolve(**{setting: url})


@pytest.mark.parametrize("url", NOT_HTTP_URLS)
def test_the_same_holds_for_urls_from_the_environment(url: str) -> None:
    with pytest.raises(ConfigError, match="IQP_URL"):
        resolve(environ={"IQP_URL": url})
    with pytest.raises(ConfigError, match="IQP_IAM_URL"):
        resolve(environ={"IQP_IAM_URL": url})


def test_plain_http_is_only_for_this_machine() -> None:
    for host in ("127.0.0.1:9000", "localhost:9000", "[::1]:9000"):
        assert resolve(url=f"http://{host}/api").base_url == f"http://{host}/api"
        assert resolve(iam_url=f"http://{host}").iam_url == f"http://{host}"
    for url in (
        "http://quantum.cloud.ibm.com/api",
        "http://10.0.0.1/api",
        "http://localhost.example.test/api",
    ):
        with pytest.raises(ConfigError, match="plain http"):
            resolve(url=url)


@pytest.mark.parametrize(
    "url",
    [
        "https://user:pw@gateway.example.test/api",
        "https://gateway.example.test/api?x=1",
        "https://g.example.test/api#f",
    ],
)
def test_urls_carry_no_credentials_query_or_fragment(url: str) -> None:
    with pytest.raises(ConfigError, match="no user name, query or fragment") as caught:
        resolve(url=url)
    assert "pw" not in str(caught.value)


# -- proxies -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "proxy",
    [
        "ftp://proxy.example.test:21",
        "proxy.example.test:8080",
        "http://",
        "https:///",
        "not a url",
        "file:///tmp/x",
    ],
)
def test_a_proxy_that_is_not_a_proxy_url_is_refused(proxy: str) -> None:
    with pytest.raises(ConfigError, match="should be a URL like"):
        resolve(proxies=proxy)
    with pytest.raises(ConfigError, match="'https'"):
        resolve(proxies={"https": proxy})


def test_a_bad_saved_proxy_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="should be a URL like"):
        from_saved_account(tmp_path, proxies={"urls": {"https": "ftp://proxy.example.test"}})


@pytest.mark.parametrize(
    "proxy",
    [
        "http://proxy.example.test:8080",
        "https://proxy.example.test",
        "socks5://127.0.0.1:1080",
        "socks5h://p.example.test",
    ],
)
def test_proxy_urls_of_every_supported_scheme_are_kept(proxy: str) -> None:
    assert dict(resolve(proxies=proxy).network.proxies) == {"all": proxy}


def test_a_refused_proxy_message_hides_its_password() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(proxies="ftp://user:hunter2-not-real@proxy.example.test")
    assert "hunter2" not in str(caught.value)


# -- timeouts ------------------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [0.001, 0.25, 0.5, 1, 1.0])
def test_short_positive_timeouts_are_accepted(seconds: float) -> None:
    settings = resolve(timeout=seconds)
    assert settings.timeout == httpx.Timeout(float(seconds))
    assert settings.iam_timeout == httpx.Timeout(float(seconds))  # IAM follows the API's timeout
    assert resolve(iam_timeout=seconds).iam_timeout == httpx.Timeout(float(seconds))


def test_a_short_timeout_reaches_the_client() -> None:
    client = connect(api_key=API_KEY, service_crn=CRN, timeout=0.5)
    assert client.get_httpx_client().timeout == httpx.Timeout(0.5)


@pytest.mark.parametrize("seconds", [0, 0.0, -1, -0.5, True, "5"])
@pytest.mark.parametrize("setting", ["timeout", "iam_timeout"])
def test_zero_negative_and_non_numbers_are_refused(setting: str, seconds: Any) -> None:
    with pytest.raises(ConfigError, match=f"{setting} should be a positive number"):
        resolve(**{setting: seconds})


# -- a saved account's URL never takes IAM away from IBM --------------------------------------


@pytest.mark.parametrize(
    ("url", "iam"),
    [
        ("https://cloud.ibm.com", "https://iam.cloud.ibm.com"),
        ("https://cloud.ibm.com/", "https://iam.cloud.ibm.com"),
        ("https://CLOUD.IBM.COM", "https://iam.cloud.ibm.com"),
        ("https://test.cloud.ibm.com", "https://iam.test.cloud.ibm.com"),
        ("https://private.cloud.ibm.com", "https://iam.cloud.ibm.com"),
    ],
)
def test_ibm_cloud_console_urls_give_iam_on_that_cloud(tmp_path: Path, url: str, iam: str) -> None:
    settings = from_saved_account(tmp_path, url=url)
    assert settings.iam_url == iam
    assert settings.base_url == "https://quantum.cloud.ibm.com/api"  # the console is not the API


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.test",
        "https://cloud.ibm.com.evil.example.test",
        "https://evilcloud.ibm.com",
        "https://my-cloud.ibm.com",
        "https://ibm.com",
        "https://cloud.ibm.co",
        "https://staging.cloud.ibm.com",
        "https://quantum.cloud.ibm.com/api",
        "https://gateway.example.test/api",
    ],
)
def test_no_other_saved_url_moves_iam(tmp_path: Path, url: str) -> None:
    settings = from_saved_account(tmp_path, url=url)
    assert settings.iam_url == "https://iam.cloud.ibm.com"
    assert settings.sources["iam_url"] == "the service CRN (production or staging)"


@pytest.mark.parametrize("private", [False, True])
def test_iam_is_always_an_ibm_host_unless_given_explicitly(tmp_path: Path, private: bool) -> None:
    for url in ("https://cloud.ibm.com", "https://test.cloud.ibm.com", "https://iam.evil.example.test", None):
        fields: dict[str, Any] = {"private_endpoint": private}
        if url is not None:
            fields["url"] = url
        assert from_saved_account(tmp_path, **fields).iam_url in IBM_IAM_HOSTS


def test_an_explicit_iam_url_still_wins_over_the_saved_console(tmp_path: Path) -> None:
    account = {"channel": "ibm_cloud", "token": API_KEY, "instance": CRN, "url": "https://cloud.ibm.com"}
    path = write_accounts(tmp_path / "qiskit-ibm.json", {"default-ibm-cloud": account})
    settings = resolve_settings(environ={}, accounts_file=path, iam_url="http://127.0.0.1:9999")
    assert settings.iam_url == "http://127.0.0.1:9999"


def test_a_staging_crn_needs_a_url_and_says_so() -> None:
    with pytest.raises(ConfigError, match=r"pass url=\.\.\. or set IQP_URL"):
        resolve(service_crn=CRN_STAGING)
    settings = resolve(service_crn=CRN_STAGING, url="https://staging-gateway.example.test/api")
    assert settings.iam_url == "https://iam.test.cloud.ibm.com"
