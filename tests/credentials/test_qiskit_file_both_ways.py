"""qiskit-ibm-runtime's account file is read and written by one module, with one reader.

What ``iqp login --qiskit`` writes is what ``connect()`` reads back, and a file that is
not an account list is refused the same way both ways (and never overwritten). The entry
is built from plain values: the credentials layer needs no ``config.Settings``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from iqp_wrapper._secret import Secret
from iqp_wrapper.credentials import qiskit_file
from iqp_wrapper.crn import api_url_for
from iqp_wrapper.errors import ConfigError

CRN = "crn:v1:bluemix:public:quantum-computing:eu-de:a/0123:4567::"


@dataclass(frozen=True)
class Plain:
    api_key: Secret
    service_crn: str
    base_url: str
    iam_url: str
    sources: Mapping[str, str] = field(default_factory=dict)


def test_what_is_written_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "qiskit-ibm.json"
    plain = Plain(Secret("k" * 44), CRN, api_url_for("eu-de"), "https://iam.cloud.ibm.com")
    qiskit_file.save_entry(path, "lab", qiskit_file.entry_for(plain), default=True)
    qiskit_file.save_entry(path, "other", qiskit_file.entry_for(plain), default=False)
    account = qiskit_file.load_account(path, None)  # the default: the one flagged
    assert account is not None and account.name == "lab"
    assert account.instance == CRN and account.url == "https://cloud.ibm.com"
    assert account.token is not None and account.token.reveal() == "k" * 44
    assert account.private_endpoint is False
    assert qiskit_file.remove_entry(path, "lab") is True
    assert qiskit_file.load_account(path, None) is None  # "other" is neither flagged nor a default name


@pytest.mark.parametrize("write", [True, False])
def test_a_file_that_is_no_account_list_is_refused_both_ways(tmp_path: Path, write: bool) -> None:
    path = tmp_path / "qiskit-ibm.json"
    path.write_text(json.dumps(["not", "accounts"]))
    path.chmod(0o600)
    with pytest.raises(ConfigError) as raised:
        if write:
            qiskit_file.save_entry(path, "lab", {"channel": "ibm_cloud"}, default=False)
        else:
            qiskit_file.load_account(path, None)
    assert (raised.value.setting, raised.value.problem) == ("accounts_file", "malformed")
    assert str(path) in str(raised.value)
    assert ("Move it away" in str(raised.value)) is write
    assert json.loads(path.read_text()) == ["not", "accounts"]  # left as it was
