"""``iqp doctor`` and the CLI read a ConfigError's fields, never its wording."""

from __future__ import annotations

import io

import pytest

from iqp_wrapper.cli import World, connection, parser
from iqp_wrapper.cli.doctor import local
from iqp_wrapper.errors import ConfigError, ConfigSource
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, DEFAULT_CRN

from .conftest import Cli

ENV = {"IQP_API_TOKEN": DEFAULT_API_KEY, "IQP_SERVICE_CRN": DEFAULT_CRN}
# Each message names another step than its fields do: only the fields can place it right.
CASES = [
    ("The API key is wrong.", "url", "wrong_region", {"api_url": "wrong_region"}),
    ("The API URL serves the region x.", "api_key", "quoted", {"api_key": "bad_key"}),
    ("The API key comes from here.", "iam_url", "not_iam_root", {"api_url": "bad_url"}),
    ("The URL and the region.", "api_version", "malformed", {"api_url": "bad_config"}),
]


@pytest.mark.parametrize(("message", "setting", "problem", "expected"), CASES)
def test_the_step_and_problem_come_from_the_fields(
    monkeypatch: pytest.MonkeyPatch, message: str, setting: str, problem: str, expected: dict[str, str]
) -> None:
    def refuse(*_: object) -> None:
        raise ConfigError(message, setting=setting, source=ConfigSource.ENVIRONMENT, problem=problem)

    monkeypatch.setattr(connection, "settings", refuse)
    args = parser.build().parse_args(["doctor"])
    settings, checks = local.configuration(args, World(stdout=io.StringIO(), environ=ENV))
    assert settings is None
    failed = {check.id: check.problem for check in checks if check.status == "fail"}
    assert failed == expected
    assert all(check.fix == message for check in checks if check.status == "fail")


def test_cli_messages_name_options_and_variables(cli: Cli) -> None:
    no_crn = cli("backends", env={"IQP_SERVICE_CRN": None})
    assert no_crn.code == 2
    assert "Pass --crn or set IQP_SERVICE_CRN" in no_crn.err
    no_key = cli("backends", env={"IQP_API_TOKEN": None})
    assert "Set IQP_API_TOKEN" in no_key.err and "api_key=" not in no_key.err
    bad_crn = cli("backends", "--crn", "my-instance")
    assert "The service CRN from --crn ('my-instance') is not a CRN" in bad_crn.err
    staging = cli("backends", "--crn", DEFAULT_CRN.replace(":bluemix:", ":staging:"), env={"IQP_URL": None})
    assert "pass --url or set IQP_URL" in staging.err and "url=" not in staging.err


def test_doctor_names_the_option_a_crn_came_from(cli: Cli) -> None:
    ran = cli("doctor", "--json", "--crn", DEFAULT_CRN.replace("quantum-computing", "cloud-object-storage"))
    crn = {check["id"]: check for check in ran.json()["checks"]}["service_crn"]
    assert crn["problem"] == "wrong_service" and "from --crn" in crn["fix"]
