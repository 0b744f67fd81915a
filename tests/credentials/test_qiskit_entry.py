"""``iqp login --qiskit``: an entry qiskit-ibm-runtime can read, written safely; and the
file qiskit-ibm-runtime 0.51.0 itself wrote (``qiskit_written/``, see its make.py) is read."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest

from iqp_wrapper.credentials import keyring_store
from iqp_wrapper.credentials.qiskit_file import load_account
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeService

from .conftest import Cli, MemoryKeyring

WRITTEN_BY_QISKIT = Path(__file__).parent / "qiskit_written" / "qiskit-ibm.json"


def qiskit_wrote() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(WRITTEN_BY_QISKIT.read_text())
    return data


@pytest.fixture
def ibm_urls_reach_the_fake(httpx_mock: Any, iqp_fake: FakeService) -> None:
    """Requests to IBM's real hosts (derived from the CRN, as for a user) go to the fake."""
    transport = iqp_fake.transport()
    httpx_mock.add_callback(transport.handle_request, is_reusable=True)


def test_qiskits_own_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "qiskit-ibm.json"
    path.write_text(WRITTEN_BY_QISKIT.read_text())
    path.chmod(0o600)
    default = load_account(path, None)
    assert default is not None and default.name == "work"  # is_default_account
    assert default.token is not None and default.token.reveal() == "fake-key-work"
    private = load_account(path, "private")
    assert private is not None and private.private_endpoint is True and private.region == "us-east"


def test_login_qiskit_writes_what_qiskit_writes(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring, ibm_urls_reach_the_fake: None
) -> None:
    qiskit_file = home / ".qiskit" / "qiskit-ibm.json"
    ran = cli("login", "--account", "work", "--default", "--qiskit", typed=DEFAULT_API_KEY,
              env={"IQP_URL": None, "IQP_IAM_URL": None})  # fmt: skip

    assert ran.code == 0, ran.err
    assert "holds the key in plain text" in ran.out
    assert stat.S_IMODE(qiskit_file.stat().st_mode) == 0o600
    ours = json.loads(qiskit_file.read_text())["work"]
    theirs = qiskit_wrote()["work"]
    assert sorted(ours) == sorted(theirs)  # the same keys...
    assert {k: type(v) for k, v in ours.items()} == {k: type(v) for k, v in theirs.items()}  # ...and types
    assert ours["url"] == theirs["url"] == "https://cloud.ibm.com"
    assert ours["token"] == DEFAULT_API_KEY and ours["is_default_account"] is True
    assert memory_keyring.passwords[(keyring_store.SERVICE, "work")] == DEFAULT_API_KEY
    # And this client reads it back as qiskit-ibm-runtime's account.
    account = load_account(qiskit_file, "work")
    assert account is not None and account.instance == ours["instance"]


def test_login_qiskit_keeps_the_other_entries_and_moves_the_default(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring, ibm_urls_reach_the_fake: None
) -> None:
    qiskit_file = home / ".qiskit" / "qiskit-ibm.json"
    qiskit_file.parent.mkdir()
    qiskit_file.write_text(WRITTEN_BY_QISKIT.read_text())
    qiskit_file.chmod(0o644)  # as qiskit-ibm-runtime leaves it
    ran = cli("login", "--account", "mine", "--default", "--qiskit", typed=DEFAULT_API_KEY,
              env={"IQP_URL": None, "IQP_IAM_URL": None})  # fmt: skip
    assert ran.code == 0, ran.err
    after = json.loads(qiskit_file.read_text())
    assert sorted(after) == sorted([*qiskit_wrote(), "mine"])
    assert [name for name, entry in after.items() if entry.get("is_default_account")] == ["mine"]
    assert stat.S_IMODE(qiskit_file.stat().st_mode) == 0o600


def test_login_qiskit_refuses_urls_qiskit_cannot_express_before_any_request(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring, iqp_fake: FakeService
) -> None:
    ran = cli("login", "--qiskit", typed=DEFAULT_API_KEY)  # the fake's URLs, from the environment
    assert ran.code == 2
    assert "qiskit-ibm-runtime cannot be told this account's URLs" in ran.err
    assert iqp_fake.iam_calls == 0
    assert memory_keyring.passwords == {}
    assert not (home / ".qiskit").exists()


def test_logout_qiskit_removes_the_plain_text_entry(
    cli: Cli, home: Path, memory_keyring: MemoryKeyring, ibm_urls_reach_the_fake: None
) -> None:
    env: dict[str, str | None] = {"IQP_URL": None, "IQP_IAM_URL": None}
    assert cli("login", "--account", "work", "--qiskit", typed=DEFAULT_API_KEY, env=env).code == 0
    ran = cli("logout", "--account", "work", "--qiskit", env=env)
    assert ran.code == 0, ran.err
    assert json.loads((home / ".qiskit" / "qiskit-ibm.json").read_text()) == {}
    assert memory_keyring.passwords == {}


def test_doctor_warns_about_an_exposed_qiskit_file_and_says_the_chmod(cli: Cli, home: Path) -> None:
    qiskit_file = home / ".qiskit" / "qiskit-ibm.json"
    qiskit_file.parent.mkdir()
    qiskit_file.write_text(WRITTEN_BY_QISKIT.read_text())
    qiskit_file.chmod(0o644)
    env = {"IQP_API_TOKEN": DEFAULT_API_KEY}
    before = cli("doctor", env=env)
    assert before.code == 3
    assert "WARN  account file" in before.out and "can be read by other users" in before.out
    assert f"fix: chmod 600 {qiskit_file}" in before.out
    problems = cli("doctor", "--json", env=env).json()["problems"]
    assert problems == ["insecure_permissions"]

    qiskit_file.chmod(0o600)
    after = cli("doctor", env=env)
    assert after.code == 0, after.out


def test_transport_used_by_the_fixture_is_the_fakes(iqp_fake: FakeService) -> None:
    # Guards the fixture above: requests to IBM's hosts really are answered by the fake.
    form = {"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": DEFAULT_API_KEY}
    request = httpx.Request("POST", "https://iam.cloud.ibm.com/identity/token", data=form)
    response = iqp_fake.transport().handle_request(request)
    assert response.status_code == 200
