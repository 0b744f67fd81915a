"""The doctor's step on saved-account files: may other users read or change them?

Both files are checked when they exist, whichever one the configuration reads: a
qiskit-ibm-runtime file holds keys in plain text, and qiskit-ibm-runtime itself creates it
with the umask's mode (usually 0644, readable by everyone).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from iqp_wrapper.accounts import DEFAULT_ACCOUNTS_FILE
from iqp_wrapper.credentials import store
from iqp_wrapper.credentials.account_file import check_exposure
from iqp_wrapper.errors import ConfigSource

from .. import connection
from ..world import World
from .report import Check, warn

PROBLEM = "insecure_permissions"

PROBLEM = "insecure_permissions"


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
    return checks
