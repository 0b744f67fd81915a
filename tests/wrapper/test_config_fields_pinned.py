"""ConfigError fields of the refusals mutation testing found unpinned (docs/mutation.md):
which setting, from which source, which problem, for each raise site of config.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper import ConfigError, resolve_settings
from iqp_wrapper.errors import ConfigSource
from iqp_wrapper.origin import Spelling

from .fakes import API_KEY, CRN, write_accounts

ENV = {"IQP_API_TOKEN": API_KEY, "IQP_SERVICE_CRN": CRN}
ARGUMENT, ENVIRONMENT, SAVED, DEFAULT = (
    ConfigSource.ARGUMENT,
    ConfigSource.ENVIRONMENT,
    ConfigSource.SAVED_ACCOUNT,
    ConfigSource.DEFAULT,
)
API = "https://quantum.cloud.ibm.com/api"
IAM = "https://iam.cloud.ibm.com"

CASES: list[tuple[str, dict[str, str], dict[str, Any], tuple[str, ConfigSource | None, str]]] = [
    ("blank key argument", {}, {"api_key": "   ", "service_crn": CRN}, ("api_key", ARGUMENT, "blank")),
    ("blank key variable", {**ENV, "IQP_API_TOKEN": " \t"}, {}, ("api_key", ENVIRONMENT, "blank")),
    ("url with spaces", ENV, {"url": f" {API}"}, ("url", ARGUMENT, "whitespace")),
    ("url not a url", ENV, {"url": "quantum.cloud.ibm.com/api"}, ("url", ARGUMENT, "malformed")),
    ("url variable not a url", {**ENV, "IQP_URL": "ftp://x.test/api"}, {}, ("url", ENVIRONMENT, "malformed")),
    ("url with a query", ENV, {"url": f"{API}?instance=1"}, ("url", ARGUMENT, "unexpected_parts")),
    ("url with a user", ENV, {"url": "https://me@q.example.test/api"}, ("url", ARGUMENT, "unexpected_parts")),
    ("iam url with spaces", ENV, {"iam_url": f"{IAM} "}, ("iam_url", ARGUMENT, "whitespace")),
    ("iam url not a url", ENV, {"iam_url": "iam.cloud.ibm.com"}, ("iam_url", ARGUMENT, "malformed")),
    ("iam url plain http", ENV, {"iam_url": "http://iam.test"}, ("iam_url", ARGUMENT, "insecure_scheme")),
    ("iam url fragment", ENV, {"iam_url": f"{IAM}#x"}, ("iam_url", ARGUMENT, "unexpected_parts")),
    ("unknown region", {}, {"api_key": API_KEY, "service_crn": CRN.replace(":us-east:", ":xx-north:")},
     ("url", DEFAULT, "unknown_region")),
    ("unloadable CA bundle", ENV, {"verify": "/nonexistent/ca.pem"}, ("verify", ARGUMENT, "unloadable")),
]  # fmt: skip


@pytest.mark.parametrize(("environ", "kwargs", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_refusal_names_setting_source_and_problem(
    tmp_path: Path,
    environ: dict[str, str],
    kwargs: dict[str, Any],
    expected: tuple[str, ConfigSource | None, str],
) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ=environ, accounts_file=tmp_path / "none.json", **kwargs)
    error = caught.value
    assert (error.setting, error.source, error.problem) == expected, str(error)


def _saved(tmp_path: Path, **entry: Any) -> Path:
    account = {"channel": "ibm_quantum_platform", "token": API_KEY, "instance": CRN, **entry}
    return write_accounts(tmp_path / "qiskit-ibm.json", {"mine": account})


def test_an_empty_saved_instance_names_its_setting(tmp_path: Path) -> None:
    # (An empty saved token counts as no token: "missing", pinned elsewhere.)
    path = _saved(tmp_path, instance="")
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={}, accounts_file=path, account="mine")
    assert (caught.value.setting, caught.value.source, caught.value.problem) == (
        "service_crn",
        SAVED,
        "empty",
    )


def test_a_malformed_saved_proxy_is_the_saved_accounts_fault(tmp_path: Path) -> None:
    path = _saved(tmp_path, proxies={"urls": {"https": "not a proxy"}})
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={}, accounts_file=path, account="mine")
    assert (caught.value.setting, caught.value.source, caught.value.problem) == (
        "proxies",
        SAVED,
        "malformed",
    )
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={}, accounts_file=path, account="mine", proxies="not a proxy")
    assert caught.value.source is ARGUMENT


def test_a_bad_saved_url_is_the_saved_accounts_fault(tmp_path: Path) -> None:
    path = _saved(tmp_path, url="http://quantum.example.test/api")
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={}, accounts_file=path, account="mine")
    assert (caught.value.setting, caught.value.source, caught.value.problem) == (
        "url",
        SAVED,
        "insecure_scheme",
    )


def test_settings_given_directly_record_the_callers_spelling(tmp_path: Path) -> None:
    """`Settings.sources` says where each setting came from in the caller's own terms: the
    option a command line used (``--crn``), not connect()'s keyword."""
    options = {"api_key": "--key", "service_crn": "--crn", "url": "--url", "iam_url": "--iam-url"}
    spelling = Spelling({**options, "api_version": "--api-version"})
    settings = resolve_settings(
        API_KEY,
        service_crn=CRN,
        api_version="2025-01-01",
        url=API,
        iam_url=IAM,
        environ={},
        accounts_file=tmp_path / "none.json",
        spelling=spelling,
    )
    assert {name: str(origin) for name, origin in settings.sources.items()} == {
        "api_key": "--key",
        "service_crn": "--crn",
        "api_version": "--api-version",
        "base_url": "--url",
        "iam_url": "--iam-url",
    }
