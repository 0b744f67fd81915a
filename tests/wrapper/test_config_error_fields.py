"""Every ConfigError says which setting, from which source, and which problem, as fields."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper import ConfigError, resolve_settings
from iqp_wrapper.errors import ConfigSource
from iqp_wrapper.jobs.waiting import _Gaps
from iqp_wrapper.transport.retry import RetryPolicy

from .fakes import API_KEY, CRN, CRN_EU, write_accounts

PACKAGE = Path(__file__).resolve().parents[2] / "iqp_wrapper"
ENV = {"IQP_API_TOKEN": API_KEY, "IQP_SERVICE_CRN": CRN}
CRN_STAGING = CRN.replace(":bluemix:", ":staging:")
ARGUMENT, ENVIRONMENT, SAVED, DEFAULT = (
    ConfigSource.ARGUMENT,
    ConfigSource.ENVIRONMENT,
    ConfigSource.SAVED_ACCOUNT,
    ConfigSource.DEFAULT,
)


@pytest.mark.repo_files  # it reads the package's source text, which mutmut's copy has mutated
def test_every_raise_site_passes_the_three_fields() -> None:
    """A ConfigError written without them could only be told apart by its wording."""
    lacking = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ConfigError":
                missing = {"setting", "source", "problem"} - {kw.arg for kw in node.keywords}
                if missing:
                    lacking.append(f"{path.relative_to(PACKAGE)}:{node.lineno} lacks {sorted(missing)}")
    assert lacking == []


CASES: list[tuple[str, dict[str, str], dict[str, Any], tuple[str, ConfigSource | None, str]]] = [
    ("no key", {}, {}, ("api_key", None, "missing")),
    ("no CRN", {"IQP_API_TOKEN": API_KEY}, {}, ("service_crn", None, "missing")),
    ("empty argument", ENV, {"url": ""}, ("url", ARGUMENT, "empty")),
    ("empty variable", {**ENV, "IQP_URL": ""}, {}, ("url", ENVIRONMENT, "empty")),
    ("quoted key", {**ENV, "IQP_API_TOKEN": f'"{API_KEY}"'}, {}, ("api_key", ENVIRONMENT, "quoted")),
    ("key with newline", {}, {"api_key": API_KEY + "\n", "service_crn": CRN},
     ("api_key", ARGUMENT, "whitespace")),
    ("not a CRN", {**ENV, "IQP_SERVICE_CRN": "my-instance"}, {}, ("service_crn", ENVIRONMENT, "not_a_crn")),
    ("other service", {}, {"api_key": API_KEY, "service_crn": CRN.replace("quantum-computing", "cos")},
     ("service_crn", ARGUMENT, "wrong_service")),
    ("region contradicts", ENV, {"region": "eu-de"}, ("region", ARGUMENT, "contradicts_crn")),
    ("bad version", {**ENV, "IQP_API_VERSION": "April"}, {}, ("api_version", ENVIRONMENT, "malformed")),
    ("plain http", ENV, {"url": "http://quantum.example.com/api"}, ("url", ARGUMENT, "insecure_scheme")),
    ("wrong region URL", {**ENV, "IQP_URL": "https://eu-de.quantum.cloud.ibm.com/api"}, {},
     ("url", ENVIRONMENT, "wrong_region")),
    ("not the API root", ENV, {"url": "https://quantum.cloud.ibm.com/v1"}, ("url", ARGUMENT, "not_api_root")),
    ("IAM token path", ENV, {"iam_url": "https://iam.cloud.ibm.com/identity/token"},
     ("iam_url", ARGUMENT, "not_iam_root")),
    ("staging without URL", {}, {"api_key": API_KEY, "service_crn": CRN_STAGING},
     ("url", DEFAULT, "not_derivable")),
    ("bad proxy", ENV, {"proxies": "not a url"}, ("proxies", ARGUMENT, "malformed")),
    ("zero timeout", ENV, {"timeout": 0}, ("timeout", ARGUMENT, "out_of_range")),
]  # fmt: skip


@pytest.mark.parametrize(("environ", "kwargs", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_resolve_settings_names_setting_source_and_problem(
    tmp_path: Path,
    environ: dict[str, str],
    kwargs: dict[str, Any],
    expected: tuple[str, ConfigSource | None, str],
) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ=environ, accounts_file=tmp_path / "none.json", **kwargs)
    error = caught.value
    assert (error.setting, error.source, error.problem) == expected, str(error)


def test_a_saved_account_is_named_as_the_source(tmp_path: Path) -> None:
    path = write_accounts(
        tmp_path / "qiskit-ibm.json",
        {"mine": {"channel": "ibm_quantum_platform", "token": API_KEY, "instance": CRN, "region": "eu-de"}},
    )
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={}, accounts_file=path, account="mine")
    assert (caught.value.setting, caught.value.source, caught.value.problem) == (
        "region",
        SAVED,
        "contradicts_crn",
    )


def test_a_key_and_crn_from_different_places_are_refused_by_code(tmp_path: Path) -> None:
    path = write_accounts(
        tmp_path / "qiskit-ibm.json",
        {
            "x": {
                "channel": "ibm_quantum_platform",
                "token": API_KEY,
                "instance": CRN_EU,
                "is_default_account": True,
            }
        },
    )
    with pytest.raises(ConfigError) as caught:
        resolve_settings(environ={"IQP_SERVICE_CRN": CRN}, accounts_file=path)
    assert (caught.value.setting, caught.value.problem) == ("api_key", "mixed_sources")
    assert caught.value.source is SAVED


def test_helpers_name_their_argument() -> None:
    with pytest.raises(ConfigError) as caught:
        RetryPolicy(max_attempts=0)
    assert (caught.value.setting, caught.value.source, caught.value.problem) == (
        "retries",
        ARGUMENT,
        "out_of_range",
    )
    with pytest.raises(ConfigError) as caught:
        _Gaps(first=0, largest=10, factor=1.5)
    assert (caught.value.setting, caught.value.problem) == ("poll", "out_of_range")


def test_python_callers_read_argument_names_in_messages() -> None:
    with pytest.raises(ConfigError, match=r"Pass service_crn=\.\.\. or set IQP_SERVICE_CRN"):
        resolve_settings(environ={"IQP_API_TOKEN": API_KEY})
