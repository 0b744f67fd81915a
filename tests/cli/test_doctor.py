"""``iqp doctor`` against the fake: all clear when healthy, and each injected fault named
by its own step and problem code, with a fix."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper.cli import exits
from iqp_wrapper.testing.fake import OTHER_REGION_CRN, FakeServer, FakeService

from .conftest import Cli, Ran


def checks(ran: Ran) -> dict[str, dict[str, Any]]:
    body = json.loads(ran.out)
    return {check["id"]: check for check in body["checks"]}


def statuses(ran: Ran) -> dict[str, str]:
    return {name: check["status"] for name, check in checks(ran).items()}


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections (bound, never listening)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_a_healthy_setup_passes_every_step(cli: Cli, iqp_server: FakeServer) -> None:
    ran = cli("doctor")
    assert ran.code == exits.OK, ran.out
    lines = ran.out.splitlines()
    assert lines[0].startswith("Checking your setup, step by step")
    assert [line.split()[0] for line in lines[1:-1]] == ["OK"] * 8
    assert lines[-1] == "All 8 checks passed."
    assert "present (11 characters), from the environment variable IQP_API_TOKEN" in ran.out
    assert "a Qiskit Runtime (quantum-computing) instance in us-east" in ran.out
    assert f"{iqp_server.iam_url} issued a token valid 1 h" in ran.out
    assert "2026-04-15 is live" in ran.out
    assert "answers: plan fake-open-plan" in ran.out
    as_json = cli("doctor", "--json")
    assert as_json.code == exits.OK
    body = json.loads(as_json.out)
    assert body["ok"] is True and body["problems"] == []
    assert list(checks(as_json)) == [
        "api_key", "service_crn", "api_url", "iam", "api", "api_version", "instance", "clock",
    ]  # fmt: skip


def test_a_wrong_key_is_named_with_iams_error_code(cli: Cli) -> None:
    ran = cli("doctor", env={"IQP_API_TOKEN": "not-a-key-the-fake-knows"})
    assert ran.code == exits.PROBLEMS
    assert "FAIL  IAM" in ran.out and "refused the API key (HTTP 400, BXNIM0415E)" in ran.out
    assert "https://cloud.ibm.com/iam/apikeys" in ran.out
    found = checks(cli("doctor", "--json", env={"IQP_API_TOKEN": "not-a-key-the-fake-knows"}))
    assert found["iam"]["problem"] == "key_rejected"
    assert found["instance"]["status"] == "skip"
    assert found["api"]["status"] == "ok"  # the API itself is fine


def test_a_crn_of_another_region_is_named(cli: Cli) -> None:
    ran = cli("doctor", "--crn", OTHER_REGION_CRN)
    assert ran.code == exits.PROBLEMS
    assert "a Qiskit Runtime (quantum-computing) instance in eu-de, from --crn" in ran.out
    found = checks(cli("doctor", "--json", "--crn", OTHER_REGION_CRN))
    instance = found["instance"]
    assert instance["status"] == "fail" and instance["problem"] == "instance_not_found"
    assert "The CRN names region eu-de" in instance["detail"]
    assert "a CRN of another region is answered exactly so" in instance["detail"]
    assert "https://eu-de.quantum.cloud.ibm.com/api" in instance["fix"]
    assert [name for name, check in found.items() if check["status"] != "ok"] == ["instance"]


def test_an_ibm_url_of_another_region_is_named_before_any_request(cli: Cli, iqp_fake: FakeService) -> None:
    ran = cli("doctor", "--json", "--url", "https://eu-de.quantum.cloud.ibm.com/api")
    assert ran.code == exits.PROBLEMS
    found = checks(ran)
    assert found["api_url"]["problem"] == "wrong_region"
    assert (
        "serves the region 'eu-de', but the service CRN's instance is in 'us-east'" in found["api_url"]["fix"]
    )
    assert {found[name]["status"] for name in ("iam", "api", "instance", "clock")} == {"skip"}
    assert iqp_fake.history == []


def test_a_deprecated_version_is_a_warning_with_the_live_one(cli: Cli) -> None:
    ran = cli("doctor", "--api-version", "2026-03-15")
    assert ran.code == exits.PROBLEMS
    assert "WARN  API version  2026-03-15 (from --api-version) is deprecated, sunset on 2027-06-01" in ran.out
    assert "fix: set IQP_API_VERSION=2026-04-15 (or pass --api-version 2026-04-15)" in ran.out
    assert ran.out.splitlines()[-1] == "1 problem found (1 to look at)."
    found = checks(cli("doctor", "--json", env={"IQP_API_VERSION": "2026-03-15"}))
    assert found["api_version"]["problem"] == "version_deprecated"
    assert "from the environment variable IQP_API_VERSION" in found["api_version"]["detail"]
    assert found["instance"]["status"] == "ok"  # deprecated still works


def test_a_sunset_version_fails(cli: Cli, iqp_fake: FakeService) -> None:
    iqp_fake.versions.deprecate("2026-03-15", sunset_date="2026-04-30")  # before the fake's today
    found = checks(cli("doctor", "--json", "--api-version", "2026-03-15"))
    assert found["api_version"]["problem"] == "version_sunset"
    assert found["instance"]["status"] == "fail"  # the API refuses it too


def test_a_version_the_api_does_not_offer_fails(cli: Cli) -> None:
    found = checks(cli("doctor", "--json", "--api-version", "2023-01-01"))
    assert found["api_version"]["problem"] == "version_unknown"
    assert "is not offered by this API (it offers 2024-01-01, " in found["api_version"]["detail"]


def test_an_unreachable_api_host_is_named(cli: Cli, closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/api"
    ran = cli("doctor", "--url", url)
    assert ran.code == exits.PROBLEMS
    assert f"FAIL  API          cannot reach {url} (ConnectError" in ran.out
    found = checks(cli("doctor", "--json", "--url", url))
    assert found["api"]["problem"] == "api_unreachable"
    assert found["iam"]["status"] == "ok"  # IAM is elsewhere and fine
    assert found["api_version"]["status"] == found["instance"]["status"] == "skip"
    assert found["clock"]["status"] == "ok"  # still checked, against IAM's token


def test_an_unreachable_iam_is_named(cli: Cli, closed_port: int) -> None:
    found = checks(cli("doctor", "--json", "--iam-url", f"http://127.0.0.1:{closed_port}"))
    assert found["iam"]["problem"] == "iam_unreachable"
    assert found["iam"]["detail"].startswith(
        f"Could not reach IAM at http://127.0.0.1:{closed_port} (ConnectError"
    )
    assert "from --iam-url" in found["iam"]["fix"]
    assert found["api"]["status"] == "ok" and found["instance"]["status"] == "skip"


@pytest.mark.parametrize(
    ("skew", "status"), [(600.0, "fail"), (-600.0, "fail"), (120.0, "warn"), (30.0, "ok")]
)
def test_a_skewed_clock_is_named(cli: Cli, iqp_fake: FakeService, skew: float, status: str) -> None:
    iqp_fake.clock_skew = skew
    ran = cli("doctor", "--json")
    found = checks(ran)
    assert found["clock"]["status"] == status
    assert [name for name, check in found.items() if check["status"] != "ok"] == (
        [] if status == "ok" else ["clock"]
    )
    if status != "ok":
        assert found["clock"]["problem"] == "clock_skew"
        direction = "behind" if skew > 0 else "ahead of"
        assert f"the local clock is {abs(skew) / 60:g} min {direction}" in found["clock"]["detail"]
        assert "NTP" in found["clock"]["fix"]
        assert ran.code == exits.PROBLEMS


def test_a_missing_key_and_a_bad_crn_are_both_named(cli: Cli, iqp_fake: FakeService) -> None:
    ran = cli("doctor", "--crn", "crn:v1:bluemix:public:quantum-computing", env={"IQP_API_TOKEN": None})
    assert ran.code == exits.PROBLEMS
    assert "FAIL  API key      not found" in ran.out
    assert "FAIL  service CRN  does not parse" in ran.out
    assert iqp_fake.history == []


@pytest.mark.parametrize(
    ("crn", "problem"),
    [
        ("crn:v1:bluemix:public:cloud-object-storage:global:a/acc:inst::", "wrong_service"),
        ("not a crn", "bad_crn"),
    ],
)
def test_a_crn_that_is_not_a_runtime_instance(cli: Cli, crn: str, problem: str) -> None:
    found = checks(cli("doctor", "--json", "--crn", crn))
    assert found["api_key"]["status"] == "ok"
    assert found["service_crn"]["problem"] == problem


def test_a_missing_crn(cli: Cli) -> None:
    found = checks(cli("doctor", "--json", env={"IQP_SERVICE_CRN": None}))
    assert found["service_crn"]["problem"] == "missing_crn"
    assert "--crn" in found["service_crn"]["fix"]


def test_a_broken_saved_account_is_named(cli: Cli, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.json"
    accounts.write_text("{not json")
    found = checks(
        cli(
            "doctor",
            "--json",
            "--accounts-file",
            str(accounts),
            env={"IQP_API_TOKEN": None, "IQP_SERVICE_CRN": None},
        )
    )
    assert found["api_key"]["problem"] == "bad_account"
    assert "is not valid JSON" in found["api_key"]["fix"]


def test_a_saved_account_is_used(
    cli: Cli, tmp_path: Path, iqp_fake: FakeService, iqp_server: FakeServer
) -> None:
    accounts = tmp_path / "accounts.json"
    account = {"channel": "ibm_quantum_platform", "token": "fake-key-ok", "instance": iqp_fake.crn}
    accounts.write_text(json.dumps({"mine": account}))
    accounts.chmod(0o600)  # a key readable by others would be a warning
    ran = cli(
        "doctor",
        "--account", "mine", "--accounts-file", str(accounts),
        env={"IQP_API_TOKEN": None, "IQP_SERVICE_CRN": None},
    )  # fmt: skip
    assert ran.code == exits.OK, ran.out
    assert "present (11 characters), from saved account 'mine'" in ran.out
