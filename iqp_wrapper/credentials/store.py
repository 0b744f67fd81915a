"""Our own account file: the settings of each ``iqp login`` account, never its key.

The file is ``$XDG_CONFIG_HOME/iqp/accounts.json`` (``~/.config/iqp/accounts.json``;
``%APPDATA%\\iqp\\accounts.json`` on Windows), written atomically and readable by its owner
only::

    {"default": "work", "format": 1,
     "accounts": {"work": {"service_crn": "crn:v1:...", "url": null, "iam_url": null}}}

``url`` and ``iam_url`` are kept only when given at login; otherwise they are derived from
the CRN each time, as for any other source. The key of each account is in the OS
credential store (``keyring_store``) under the account's name.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iqp_wrapper.errors import ConfigError, ConfigSource

from .account_file import SETTING, read_json, write_private_json

FORMAT = 1
FILE_NAME = "accounts.json"
# Names a key might hide under; our file never holds one, so any of them is refused.
_KEY_FIELDS = ("token", "api_key", "apikey", "key")
_FIELDS = ("service_crn", "url", "iam_url")


@dataclass(frozen=True)
class StoredAccount:
    """One account's settings (all but its key)."""

    service_crn: str
    url: str | None = None
    iam_url: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"service_crn": self.service_crn, "url": self.url, "iam_url": self.iam_url}


@dataclass
class Accounts:
    """The whole file: the accounts by name, and which one is the default."""

    path: Path
    accounts: dict[str, StoredAccount] = field(default_factory=dict)
    default: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "default": self.default,
            "accounts": {name: account.as_json() for name, account in sorted(self.accounts.items())},
        }


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the file is, by the XDG rule (APPDATA on Windows)."""
    env = os.environ if environ is None else environ
    if os.name == "nt" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "iqp" / FILE_NAME
    config_home = env.get("XDG_CONFIG_HOME")
    if config_home and Path(config_home).is_absolute():  # the XDG rule: relative ones are ignored
        return Path(config_home) / "iqp" / FILE_NAME
    home = env.get("HOME")
    return (Path(home) if home else Path.home()) / ".config" / "iqp" / FILE_NAME


def load(path: Path) -> Accounts:
    """The accounts in ``path``; none if there is no file."""
    data = read_json(path, source=ConfigSource.KEYRING)
    if data is None:
        return Accounts(path)
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), dict):
        raise _bad(path, "should hold a JSON object with an 'accounts' object", "malformed")
    if data.get("format") != FORMAT:
        raise _bad(
            path,
            f"has format {data.get('format')!r}, which this version does not read (it reads {FORMAT}); "
            "upgrade iqp-wrapper",
            "unknown_format",
        )
    accounts = {name: _account(path, name, entry) for name, entry in data["accounts"].items()}
    default = data.get("default")
    if default is not None and default not in accounts:
        raise _bad(path, f"names {default!r} as the default, but has no such account", "malformed")
    return Accounts(path, accounts, default)


def save(accounts: Accounts) -> None:
    """Write ``accounts`` to its path (atomically, mode 0600)."""
    write_private_json(accounts.path, accounts.as_json(), source=ConfigSource.KEYRING)


def _account(path: Path, name: str, entry: object) -> StoredAccount:
    if not isinstance(entry, dict):
        raise _bad(path, f"holds account {name!r} as something other than a JSON object", "malformed")
    if any(key in entry for key in _KEY_FIELDS):
        raise _bad(
            path,
            f"holds what looks like an API key under account {name!r}; this file never holds one. "
            "Remove that field, revoke the key if others could read the file, and run `iqp login` "
            "again",
            "key_in_file",
        )
    crn, url, iam_url = (entry.get(key) for key in _FIELDS)
    texts = all(value is None or isinstance(value, str) for value in (url, iam_url))
    if not isinstance(crn, str) or not texts:
        raise _bad(path, f"holds account {name!r} without a service_crn, or a value not text", "malformed")
    return StoredAccount(crn, url, iam_url)


def _bad(path: Path, said: str, problem: str) -> ConfigError:
    return ConfigError(
        f"The account file {path} {said}.", setting=SETTING, source=ConfigSource.KEYRING, problem=problem
    )
