"""qiskit-ibm-runtime's saved accounts (``~/.qiskit/qiskit-ibm.json``): read, and written on request.

Reading them means existing Qiskit users need no new setup. Only the keys this client
can use are read (``token``, ``instance``, ``url``, ``region``, ``private_endpoint``,
``verify``, ``proxies``).

Writing is for users who want qiskit-ibm-runtime and this client to share one saved
account (``iqp login --qiskit``). qiskit-ibm-runtime reads the key from that file, so the
entry holds it in plain text: that is why it is written only when asked for, created 0600
(qiskit itself leaves it to the umask, usually 0644) and replaced atomically. The entry
has the keys and types qiskit-ibm-runtime 0.51.0's ``save_account`` writes
(``tests/credentials/qiskit_written`` holds a file it wrote): ``channel``, ``instance``,
``private_endpoint``, ``token``, ``url`` (the IBM Cloud URL, from which qiskit derives
IAM's), and ``is_default_account`` on the default one.

Both go through ``account_file``, which refuses links, pipes, directories, oversized and
absurdly nested files, and warns when other users may read the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx

from iqp_wrapper._secret import Secret
from iqp_wrapper.crn import api_url_for, parse_crn
from iqp_wrapper.errors import ConfigError, ConfigSource

from .account_file import SETTING, read_json, write_private_json

DEFAULT_ACCOUNTS_FILE = Path("~") / ".qiskit" / "qiskit-ibm.json"

# qiskit-ibm-runtime's default account names, in the order it prefers them.
_DEFAULT_NAMES = ("default-ibm-quantum-platform", "default-ibm-cloud", "default")
_USABLE_CHANNELS = ("ibm_quantum_platform", "ibm_cloud")
CHANNEL = _USABLE_CHANNELS[0]  # the channel an entry written here names
DEFAULT_FLAG = "is_default_account"
# IAM host -> the IBM Cloud URL qiskit-ibm-runtime derives it from (https://iam.<host>).
_CLOUD_URLS = {
    "iam.cloud.ibm.com": ("https://cloud.ibm.com", False),
    "private.iam.cloud.ibm.com": ("https://cloud.ibm.com", True),
    "iam.test.cloud.ibm.com": ("https://test.cloud.ibm.com", False),
    "private.iam.test.cloud.ibm.com": ("https://test.cloud.ibm.com", True),
}


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
    accounts = _read(path, fix="re-save them")
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
        raise _unusable(
            f"Account {chosen!r} in {path} is not a JSON object; re-save it.",
        )
    return _account(chosen, path, entry)


def _unusable(message: str, *, setting: str = "account", problem: str = "malformed") -> ConfigError:
    """The error for something the saved file holds that this client cannot use: the value
    came from the saved account, and the fix is in the file (most often: save it again)."""
    return ConfigError(message, setting=setting, source=ConfigSource.SAVED_ACCOUNT, problem=problem)


def _read(path: Path, *, fix: str) -> dict[str, Any] | None:
    """The file's accounts by name (None if there is no file); what to do if it holds no object."""
    data = read_json(path, source=ConfigSource.SAVED_ACCOUNT)
    if data is None:
        return None
    if not isinstance(data, dict):
        raise _unusable(
            f"{path} should hold a JSON object of named accounts; {fix}.",
            setting=SETTING,
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
        raise _unusable(
            f"The {where} uses the channel {channel!r}; this client needs an IBM Cloud API "
            f"key, saved with channel 'ibm_quantum_platform' or 'ibm_cloud'.",
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
    raise _unusable(
        f"{key!r} of the {where} should be a {kind.__name__}, not a "
        f"{type(value).__name__}; re-save the account.",
    )


def _proxies(value: object, where: str) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _unusable(
            f"'proxies' of the {where} should be a JSON object; re-save it.",
            setting="proxies",
        )
    if value.get("username_ntlm") or value.get("password_ntlm"):
        raise _unusable(
            f"The {where} uses NTLM proxy authentication, which this client does not "
            "support; put the proxy's credentials in its URL instead "
            "(http://user:password@proxy:port).",
            setting="proxies",
            problem="unsupported_ntlm",
        )
    urls = value.get("urls")
    if urls is None:
        return None
    if not isinstance(urls, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in urls.items()
    ):
        raise _unusable(
            f"'proxies.urls' of the {where} should map protocols to proxy URLs; re-save it.",
            setting="proxies",
        )
    return dict(urls)


# Writing (iqp login --qiskit, iqp logout --qiskit).


class EntrySettings(Protocol):
    """What ``entry_for`` reads of the settings it writes down (``config.Settings`` has it).

    Described here rather than imported, so that the credentials layer does not depend on
    the configuration layer built on top of it.
    """

    @property
    def api_key(self) -> Secret: ...
    @property
    def service_crn(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    @property
    def iam_url(self) -> str: ...
    @property
    def sources(self) -> Mapping[str, str]: ...


def entry_for(settings: EntrySettings) -> dict[str, Any]:
    """The qiskit-ibm-runtime entry for ``settings``, key included.

    Raises ConfigError when qiskit-ibm-runtime could not reach the same service from it:
    it derives IAM from an IBM Cloud URL and the API from the CRN, so a custom IAM or API
    URL (a gateway, a local fake) cannot be written down for it.
    """
    host = httpx.URL(settings.iam_url).host.lower()
    found = _CLOUD_URLS.get(host)
    crn = parse_crn(settings.service_crn, source=settings.sources.get("service_crn", "the CRN"))
    private = bool(found and found[1])
    derived_api = None if crn.staging else api_url_for(crn.region, private=private)
    if found is None or settings.base_url.rstrip("/") != derived_api:
        raise ConfigError(
            f"qiskit-ibm-runtime cannot be told this account's URLs (API {settings.base_url}, IAM "
            f"{settings.iam_url}): it derives them from the CRN and IBM Cloud. Leave out --qiskit, "
            "or --url and --iam-url.",
            setting="url",
            source=ConfigSource.ARGUMENT,
            problem="not_expressible",
        )
    cloud_url = found[0]
    return {
        "channel": CHANNEL,
        "instance": settings.service_crn,
        "private_endpoint": private,
        "token": settings.api_key.reveal(),
        "url": cloud_url,
    }


def save_entry(path: Path, name: str, entry: dict[str, Any], *, default: bool) -> None:
    """Put ``entry`` under ``name`` in ``path`` (replacing one of that name), keeping the rest."""
    accounts = _writable(path)
    entry = dict(entry)
    if default:
        for other in accounts.values():
            if isinstance(other, dict):
                other.pop(DEFAULT_FLAG, None)
        entry[DEFAULT_FLAG] = True
    accounts[name] = entry
    write_private_json(path, accounts, source=ConfigSource.SAVED_ACCOUNT)


def remove_entry(path: Path, name: str) -> bool:
    """Remove the entry ``name`` from ``path``; False if there was none."""
    accounts = _writable(path)
    if name not in accounts:
        return False
    del accounts[name]
    write_private_json(path, accounts, source=ConfigSource.SAVED_ACCOUNT)
    return True


def _writable(path: Path) -> dict[str, Any]:
    # Another program's file that is not an account list is not ours to overwrite.
    found = _read(path, fix="it is left as it is. Move it away to start a new one")
    return {} if found is None else found
