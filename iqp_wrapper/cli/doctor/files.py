"""The doctor's step on saved-account files: may other users read or change them?

Both files are checked when they exist, whichever one the configuration reads: a
qiskit-ibm-runtime file holds keys in plain text, and qiskit-ibm-runtime itself creates it
with the umask's mode (usually 0644, readable by everyone). When ``iqp login`` accounts
exist and the keyring backend keeps keys in a file of its own (keyrings.alt), that file is
named too, with how safe the key is there: a file is not an OS credential store.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from iqp_wrapper.credentials import keyring_store, store
from iqp_wrapper.credentials.account_file import check_exposure
from iqp_wrapper.credentials.qiskit_file import DEFAULT_ACCOUNTS_FILE
from iqp_wrapper.errors import ConfigError, ConfigSource

from .. import connection
from ..world import World
from .report import Check, warn

PROBLEM = "insecure_permissions"
KEY_FILE_PROBLEM = "key_in_keyring_file"


def account_files(args: argparse.Namespace, world: World) -> list[Check]:
    """One WARN per saved-account file that others may read or change (none if all are safe)."""
    given = connection.option(args, "accounts_file")
    files = (
        (store.default_path(world.environ), ConfigSource.KEYRING),
        ((Path(given) if given else DEFAULT_ACCOUNTS_FILE).expanduser(), ConfigSource.SAVED_ACCOUNT),
    )
    checks = []
    for path, source in files:
        found = check_exposure(path, source=source)
        if found is not None:
            checks.append(warn("account_file", "account file", found.detail, fix=found.fix, problem=PROBLEM))
    return checks + key_file(world)


def key_file(world: World) -> list[Check]:
    """A WARN when the keys of ``iqp login`` accounts sit in a keyring backend's own file."""
    try:
        ours = store.load(store.default_path(world.environ))
    except ConfigError:  # the configuration step reports an unreadable account file
        return []
    found = keyring_store.key_file() if ours.accounts else None  # keyring imported only then
    if found is None:
        return []
    names = ", ".join(repr(name) for name in sorted(ours.accounts))
    exposed = check_exposure(found.path, source=ConfigSource.KEYRING)
    detail = f"the key of iqp account {names} is in the file {found.path}: {found.safety()}"
    if exposed is not None:
        detail += f"; {exposed.detail}"
    fix = f"{exposed.fix}. " if exposed is not None else ""
    return [
        warn(
            "key_file", "key file", detail, fix=fix + keyring_store.KEY_FILE_ADVICE, problem=KEY_FILE_PROBLEM
        )
    ]
