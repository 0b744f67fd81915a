"""Which saved account ``connect()`` uses: one of ``iqp login``'s, else qiskit-ibm-runtime's.

An ``iqp login`` account (settings in our file, key in the OS credential store) comes
first; qiskit-ibm-runtime's ``~/.qiskit/qiskit-ibm.json`` after it. Without a name, our
default account wins over qiskit's; with one, ours of that name wins over qiskit's.
The keyring is not imported unless one of our accounts is actually chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from iqp_wrapper.credentials.qiskit_file import SavedAccount, load_account
from iqp_wrapper.errors import ConfigError, ConfigSource

from . import keyring_store, store


def find_account(qiskit_file: Path, name: str | None, environ: Mapping[str, str]) -> SavedAccount | None:
    """The saved account to use (None if there is none and none was named)."""
    ours = store.load(store.default_path(environ))
    chosen = name if name is not None else ours.default
    if chosen is not None and chosen in ours.accounts:
        return keyring_account(ours, chosen)
    try:
        return load_account(qiskit_file, name)
    except ConfigError as error:
        if name is None or not ours.accounts:
            raise
        known = ", ".join(repr(k) for k in sorted(ours.accounts))
        raise ConfigError(
            f"{error} Accounts saved with `iqp login` (in {ours.path}): {known}.",
            setting=error.setting,
            source=error.source,
            problem=error.problem,
        ) from None


def keyring_account(ours: store.Accounts, name: str) -> SavedAccount:
    """Our account ``name`` with its key from the OS credential store."""
    entry = ours.accounts[name]
    key = keyring_store.get_key(name)
    if key is None:
        raise ConfigError(
            f"The iqp account {name!r} (in {ours.path}) has no key in the OS credential store "
            f"({keyring_store.backend_name()}); it was removed there, or saved from another "
            f"session or machine. Run `iqp login --account {name}` again.",
            setting="api_key",
            source=ConfigSource.KEYRING,
            problem="missing",
        )
    kept_in = keyring_store.key_file()  # a backend that keeps keys in a file of its own
    return SavedAccount(
        name=name,
        path=ours.path,
        token=key,
        instance=entry.service_crn,
        url=entry.url,
        iam_url=entry.iam_url,
        source=ConfigSource.KEYRING,
        key_file=kept_in.path if kept_in is not None else None,
    )
