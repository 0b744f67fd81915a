"""Accounts saved by qiskit-ibm-runtime in ``~/.qiskit/qiskit-ibm.json``.

Reading them means existing Qiskit users need no new setup. Only the keys this client
can use are read (``token``, ``instance``, ``url``, ``region``, ``private_endpoint``,
``verify``, ``proxies``). The file is read through ``credentials.account_file``, which
refuses links, pipes, directories, oversized and absurdly nested files, and warns when
other users may read it; only ``iqp login --qiskit`` writes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iqp_wrapper._secret import Secret
from iqp_wrapper.credentials.account_file import read_json
from iqp_wrapper.errors import ConfigError, ConfigSource

DEFAULT_ACCOUNTS_FILE = Path("~") / ".qiskit" / "qiskit-ibm.json"

# qiskit-ibm-runtime's default account names, in the order it prefers them.
_DEFAULT_NAMES = ("default-ibm-quantum-platform", "default-ibm-cloud", "default")
_USABLE_CHANNELS = ("ibm_quantum_platform", "ibm_cloud")


@dataclass(frozen=True)
class SavedAccount:
    """One saved account: what it says, and where it was read from."""

    name: str
    path: Path
    token: Secret | None = None
    instance: str | None = None
    url: str | None = None
    region: str | None = None
    private_endpoint: bool | None = None
    verify: bool | None = None
    # Proxy URLs may carry a password, so they stay out of the repr.
    proxies: Mapping[str, str] | None = field(default=None, repr=False)
    iam_url: str | None = None
    # KEYRING for an account saved by `iqp login` (key in the OS credential store).
    source: ConfigSource = ConfigSource.SAVED_ACCOUNT
    # For an `iqp login` account whose keyring backend keeps keys in a file: that file.
    key_file: Path | None = None

    @property
    def label(self) -> str:
        """How error messages name this account."""
        if self.source is ConfigSource.KEYRING:
            where = "the OS keyring" if self.key_file is None else f"the keyring file {self.key_file}"
            return f"iqp account {self.name!r} (key in {where}, settings in {self.path})"
        return f"saved account {self.name!r} in {self.path}"


def load_account(path: Path, name: str | None) -> SavedAccount | None:
    """The account called ``name`` in ``path``, or its default account when name is None.

    Returns None only when no name was asked for and there is no file or no default
    account in it; a named account that cannot be found is a ConfigError.
    """
    path = path.expanduser()
    accounts = _read(path)
    if accounts is None:
        if name is None:
            return None
        raise ConfigError(
            f"Account {name!r} was asked for, but there is no saved-accounts file at {path}. "
            "Save one with qiskit-ibm-runtime's QiskitRuntimeService.save_account(...) or `iqp "
            "login`, or give the API key and the service CRN directly (IQP_API_TOKEN and "
            "IQP_SERVICE_CRN).",
            setting="account",
            source=ConfigSource.ARGUMENT,
            problem="no_accounts_file",
        )
    chosen = name if name is not None else _default_name(accounts)
    if chosen is None:
        return None
    if chosen not in accounts:
        known = ", ".join(repr(k) for k in sorted(accounts)) or "none"
        raise ConfigError(
            f"There is no account {chosen!r} in {path} (accounts there: {known}).",
            setting="account",
            source=ConfigSource.ARGUMENT,
            problem="unknown_account",
        )
    entry = accounts[chosen]
    if not isinstance(entry, dict):
        raise ConfigError(
            f"Account {chosen!r} in {path} is not a JSON object; re-save it.",
            setting="account",
            source=ConfigSource.SAVED_ACCOUNT,
            problem="malformed",
        )
    return _account(chosen, path, entry)


def _read(path: Path) -> dict[str, Any] | None:
    data = read_json(path, source=ConfigSource.SAVED_ACCOUNT)
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path} should hold a JSON object of named accounts; re-save them.",
            setting="accounts_file",
            source=ConfigSource.SAVED_ACCOUNT,
            problem="malformed",
        )
    return data


def default_account_name(accounts: Mapping[str, Any]) -> str | None:
    """The name qiskit-ibm-runtime's rules make the default among the file's ``accounts``."""
    return _default_name(accounts)


def _default_name(accounts: Mapping[str, Any]) -> str | None:
    usable = {
        key: value
        for key, value in accounts.items()
        if isinstance(value, dict) and value.get("channel", _USABLE_CHANNELS[0]) in _USABLE_CHANNELS
    }
    for key, value in usable.items():
        if value.get("is_default_account") is True:
            return key
    for key in _DEFAULT_NAMES:
        if key in usable:
            return key
    return None


def _account(name: str, path: Path, entry: Mapping[str, Any]) -> SavedAccount:
    where = f"account {name!r} in {path}"
    channel = entry.get("channel", _USABLE_CHANNELS[0])
    if channel not in _USABLE_CHANNELS:
        raise ConfigError(
            f"The {where} uses the channel {channel!r}; this client needs an IBM Cloud API "
            f"key, saved with channel 'ibm_quantum_platform' or 'ibm_cloud'.",
            setting="account",
            source=ConfigSource.SAVED_ACCOUNT,
            problem="unsupported_channel",
        )
    token = _optional(entry, "token", str, where)
    return SavedAccount(
        name=name,
        path=path,
        token=None if token is None else Secret(token),
        instance=_optional(entry, "instance", str, where),
        url=_optional(entry, "url", str, where),
        region=_optional(entry, "region", str, where),
        private_endpoint=_optional(entry, "private_endpoint", bool, where),
        verify=_optional(entry, "verify", bool, where),
        proxies=_proxies(entry.get("proxies"), where),
    )


def _optional(entry: Mapping[str, Any], key: str, kind: type[Any], where: str) -> Any:
    value = entry.get(key)
    if value is None or isinstance(value, kind):
        return value
    # The value itself is left out: under "token" it would be the key.
    raise ConfigError(
        f"{key!r} of the {where} should be a {kind.__name__}, not a "
        f"{type(value).__name__}; re-save the account.",
        setting="account",
        source=ConfigSource.SAVED_ACCOUNT,
        problem="malformed",
    )


def _proxies(value: object, where: str) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ConfigError(
            f"'proxies' of the {where} should be a JSON object; re-save it.",
            setting="proxies",
            source=ConfigSource.SAVED_ACCOUNT,
            problem="malformed",
        )
    if value.get("username_ntlm") or value.get("password_ntlm"):
        raise ConfigError(
            f"The {where} uses NTLM proxy authentication, which this client does not "
            "support; put the proxy's credentials in its URL instead "
            "(http://user:password@proxy:port).",
            setting="proxies",
            source=ConfigSource.SAVED_ACCOUNT,
            problem="unsupported_ntlm",
        )
    urls = value.get("urls")
    if urls is None:
        return None
    if not isinstance(urls, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in urls.items()
    ):
        raise ConfigError(
            f"'proxies.urls' of the {where} should map protocols to proxy URLs; re-save it.",
            setting="proxies",
            source=ConfigSource.SAVED_ACCOUNT,
            problem="malformed",
        )
    return dict(urls)
