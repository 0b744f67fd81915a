"""Every place a required setting was looked for, and why each gave nothing.

``connect()`` takes the API key and the service CRN from the first of: an argument, the
environment, an ``iqp login`` account, a qiskit-ibm-runtime saved account. When none gives
one, the ``ConfigError`` ends with a "Looked in:" list naming each place and what it held:
not given, not set, no file, no default account, or an account deliberately left unread
(a key from the environment is never paired with another place's instance).

Describing a place never raises and never touches the OS keyring: an account file that
cannot be read is described as such, since the error being built is about something else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from iqp_wrapper.credentials import store
from iqp_wrapper.credentials.account_file import read_json
from iqp_wrapper.credentials.qiskit_file import SavedAccount, default_account_name
from iqp_wrapper.errors import ConfigError, ConfigSource
from iqp_wrapper.origin import Spelling, kind_of

# What each setting is called inside a saved account of either kind.
_FIELD = {"api_key": ("the key", "token"), "service_crn": ("the instance", "instance")}


@dataclass(frozen=True)
class Search:
    """Where ``connect()`` looked for the settings of one call.

    Attributes:
        spelling: how the caller gives settings directly (keyword arguments or options).
        environ: the environment looked in.
        qiskit_file: qiskit-ibm-runtime's saved-accounts file.
        account: the account name asked for, if any.
        saved: the saved account chosen, if one was.
        key_origin: where the API key came from, when it was found before any account
            was read (then no account was read, on purpose).
    """

    spelling: Spelling
    environ: Mapping[str, str]
    qiskit_file: Path
    account: str | None
    saved: SavedAccount | None
    key_origin: str | None = None

    def looked_in(self, setting: str, variable: str) -> str:
        """The "Looked in: ..." sentence for ``setting`` (``api_key`` or ``service_crn``)."""
        places = [f"the environment variable {variable} (not set)"]
        if self.spelling.how_to_pass(setting):  # the CLI takes no API key on its command line
            places.insert(0, f"{self.spelling.given(setting)} (not given)")
        if self.saved is not None:
            places.append(self._chosen(setting, self.saved))
        elif self.key_origin is not None:
            places += self._skipped(self.key_origin)
        else:
            places += [self._ours(), self._qiskit()]
        return "Looked in: " + "; ".join(places) + "."

    def _chosen(self, setting: str, saved: SavedAccount) -> str:
        what, key = _FIELD[setting]
        return f"the {saved.label} (used, but it holds no '{key}': {what} is missing there)"

    def _skipped(self, key_origin: str) -> list[str]:
        """The saved accounts present but not read, because the key came from elsewhere."""
        found = [account for account in (self._our_default(), self._qiskit_default()) if account]
        if not found:
            return [self._ours(), self._qiskit()]
        # The key's own source wins over any account, so the way to use one is to drop it.
        drop = (
            f"unset {key_origin.removeprefix('the environment variable ')}"
            if kind_of(key_origin) is ConfigSource.ENVIRONMENT
            else f"leave out {self.spelling.how_to_pass('api_key')}"
        )
        return [
            f"{where} (not read: the API key came from {key_origin}, and a key is never "
            f"paired with an instance from another place; {drop} to use this account's key and instance)"
            for where in found
        ]

    def _our_default(self) -> str | None:
        try:
            ours = store.load(store.default_path(self.environ))
        except ConfigError:
            return None
        if ours.default is None:
            return None
        return f"the iqp account {ours.default!r} (settings in {ours.path})"

    def _qiskit_default(self) -> str | None:
        accounts = self._qiskit_accounts()
        name = default_account_name(accounts) if isinstance(accounts, dict) else None
        if name is None:
            return None
        return f"the saved account {name!r} in {self.qiskit_file.expanduser()}"

    def _qiskit_accounts(self) -> object:
        try:
            return read_json(self.qiskit_file.expanduser(), source=ConfigSource.SAVED_ACCOUNT)
        except ConfigError as error:
            return error

    def _ours(self) -> str:
        path = store.default_path(self.environ)
        try:
            ours = store.load(path)
        except ConfigError as error:
            return f"`iqp login` accounts in {path} (unreadable: {error})"
        if not ours.accounts:
            return f"`iqp login` accounts in {path} (none saved)"
        if ours.default is None:
            return f"`iqp login` accounts in {path} (no default account among {_names(ours.accounts)})"
        return f"`iqp login` accounts in {path} (default {ours.default!r})"

    def _qiskit(self) -> str:
        path = self.qiskit_file.expanduser()
        accounts = self._qiskit_accounts()
        if accounts is None:
            return f"qiskit-ibm-runtime's saved accounts in {path} (no such file)"
        if isinstance(accounts, ConfigError):  # its message names the file, never its content
            return f"qiskit-ibm-runtime's saved accounts in {path} (unreadable: {accounts})"
        if not isinstance(accounts, dict):
            return f"qiskit-ibm-runtime's saved accounts in {path} (not a JSON object of accounts)"
        if default_account_name(accounts) is None:
            return (
                f"qiskit-ibm-runtime's saved accounts in {path} (no default account among {_names(accounts)})"
            )
        return f"qiskit-ibm-runtime's saved accounts in {path}"


def _names(accounts: Mapping[str, object]) -> str:
    return ", ".join(repr(name) for name in sorted(accounts)) or "none"
