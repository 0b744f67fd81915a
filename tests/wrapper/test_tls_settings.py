"""TLS trust: a CA directory (``verify=`` or SSL_CERT_DIR) and file (SSL_CERT_FILE) are honoured
for IAM and the API alike, and a wrong path is a ConfigError at connect(), exit 2 in the CLI."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from iqp_wrapper import ConfigError, IQPClient, IQPError, build_client, connect, resolve_settings
from iqp_wrapper.cli import main
from iqp_wrapper.errors import ConfigSource

from .fakes import API_KEY, CRN
from .tls import CertAuthority, https_server, make_ca


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CertAuthority:
    return make_ca(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="module")
def server(ca: CertAuthority) -> Iterator[str]:
    with https_server(ca) as url:
        yield url


@pytest.fixture(autouse=True)
def no_ca_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


def client_for(server: str, **kwargs: Any) -> IQPClient:
    return connect(API_KEY, service_crn=CRN, url=f"{server}/api", iam_url=server, retries=False, **kwargs)


def call_sync(client: IQPClient) -> int:
    with client:
        return client.get_httpx_client().get("/v1/versions").status_code


async def call_async(client: IQPClient) -> int:
    async with client:
        return (await client.get_async_httpx_client().get("/v1/versions")).status_code


def failed_verification(error: BaseException) -> bool:
    """True if ``error`` is, or was caused by, a certificate that did not verify."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def test_without_the_ca_the_server_is_not_trusted(server: str) -> None:
    with pytest.raises(IQPError) as caught:
        call_sync(client_for(server, trust_env=False))
    assert failed_verification(caught.value)


def test_a_ca_directory_given_as_verify_is_honoured(server: str, ca: CertAuthority) -> None:
    assert call_sync(client_for(server, verify=str(ca.ca_dir))) == 200


async def test_a_ca_directory_given_as_verify_is_honoured_async(server: str, ca: CertAuthority) -> None:
    assert await call_async(client_for(server, verify=str(ca.ca_dir))) == 200


def test_a_ca_file_given_as_verify_is_honoured(server: str, ca: CertAuthority) -> None:
    assert call_sync(client_for(server, verify=str(ca.ca_file))) == 200


@pytest.mark.parametrize("variable", ["SSL_CERT_DIR", "SSL_CERT_FILE"])
def test_the_ca_environment_variables_are_honoured(
    server: str, ca: CertAuthority, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, str(ca.ca_dir if variable == "SSL_CERT_DIR" else ca.ca_file))
    assert call_sync(client_for(server)) == 200


async def test_ssl_cert_dir_is_honoured_async(
    server: str, ca: CertAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_DIR", str(ca.ca_dir))
    assert await call_async(client_for(server)) == 200


def test_the_variables_are_read_for_each_client(
    server: str, ca: CertAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_DIR", str(ca.ca_dir))
    assert call_sync(client_for(server)) == 200
    monkeypatch.delenv("SSL_CERT_DIR")
    with pytest.raises(IQPError) as caught:
        call_sync(client_for(server))
    assert failed_verification(caught.value)


def test_trust_env_false_ignores_the_variables(
    server: str, ca: CertAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_DIR", str(ca.ca_dir))
    with pytest.raises(IQPError) as caught:
        call_sync(client_for(server, trust_env=False))
    assert failed_verification(caught.value)


def test_an_explicit_verify_wins_over_the_variables(
    server: str, ca: CertAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(ca.ca_dir / "missing.pem"))  # would be an error if read
    assert call_sync(client_for(server, verify=str(ca.ca_file))) == 200


# -- wrong paths ------------------------------------------------------------------------------


def bad_ca_paths(tmp_path: Path) -> dict[str, tuple[str, str]]:
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n", encoding="utf-8")
    return {
        "missing file": ("SSL_CERT_FILE", str(tmp_path / "missing.pem")),
        "not a PEM": ("SSL_CERT_FILE", str(garbage)),
        "missing directory": ("SSL_CERT_DIR", str(tmp_path / "missing-dir")),
        "a file as directory": ("SSL_CERT_DIR", str(garbage)),
    }


@pytest.mark.parametrize("case", ["missing file", "not a PEM", "missing directory", "a file as directory"])
def test_a_wrong_ca_variable_is_a_config_error_at_connect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    variable, value = bad_ca_paths(tmp_path)[case]
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        connect(API_KEY, service_crn=CRN)
    error = caught.value
    assert error.setting == variable
    assert error.source is ConfigSource.ENVIRONMENT
    assert error.problem == ("not_a_directory" if variable == "SSL_CERT_DIR" else "unreadable_ca_bundle")
    assert variable in str(error) and value in str(error)
    # Not read when the environment is not trusted, or when verify= says otherwise.
    connect(API_KEY, service_crn=CRN, trust_env=False)
    connect(API_KEY, service_crn=CRN, verify=False)


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "")
    monkeypatch.setenv("SSL_CERT_DIR", "")
    assert connect(API_KEY, service_crn=CRN).settings is not None


@pytest.mark.parametrize("case", ["missing file", "missing directory"])
def test_the_cli_exits_2_with_one_clean_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    variable, value = bad_ca_paths(tmp_path)[case]
    monkeypatch.setenv("IQP_API_TOKEN", API_KEY)
    monkeypatch.setenv("IQP_SERVICE_CRN", CRN)
    monkeypatch.setenv(variable, value)
    assert main(["backends"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("iqp: ") and variable in err
    assert "Traceback" not in err and API_KEY not in err


def test_httpx_default_is_unchanged_without_variables() -> None:
    # Nothing set: the client keeps verify=True (certifi through httpx), no context of ours.
    assert connect(API_KEY, service_crn=CRN).settings.network.verify is True  # type: ignore[union-attr]
    assert isinstance(httpx.create_ssl_context(), ssl.SSLContext)


@pytest.mark.parametrize("variable", ["SSL_CERT_DIR", "SSL_CERT_FILE"])
def test_the_variables_are_read_from_the_environment_given(
    server: str, ca: CertAuthority, variable: str
) -> None:
    # Not from os.environ (OpenSSL would read that by itself): from the mapping resolve_settings got.
    path = str(ca.ca_dir if variable == "SSL_CERT_DIR" else ca.ca_file)
    settings = resolve_settings(
        API_KEY, service_crn=CRN, url=f"{server}/api", iam_url=server, environ={variable: path}
    )
    assert call_sync(build_client(settings, retries=False)) == 200


def test_the_messages_name_the_variable_and_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigError) as caught:
        connect(API_KEY, service_crn=CRN)
    assert str(caught.value) == (
        f"The environment variable SSL_CERT_FILE names '{tmp_path / 'missing.pem'}', which cannot be "
        "loaded as a CA bundle (FileNotFoundError); point it at a PEM file of CA certificates, or unset it."
    )
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(ConfigError) as caught:
        connect(API_KEY, service_crn=CRN)
    assert str(caught.value) == (
        f"The environment variable SSL_CERT_DIR names '{tmp_path / 'nowhere'}', which is not a directory; "
        "point it at a directory of hashed CA certificates, or unset it."
    )
