"""``iqp accounts``: the saved accounts, where each keeps its key, and whether their files
are safe. No key is ever read for this, let alone shown."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from iqp_wrapper.credentials import keyring_store, store
from iqp_wrapper.credentials.account_file import check_exposure, read_json
from iqp_wrapper.credentials.qiskit_file import DEFAULT_ACCOUNTS_FILE, default_account_name
from iqp_wrapper.errors import ConfigSource

from . import connection, exits
from .output import to_json
from .world import World


def accounts(args: argparse.Namespace, world: World) -> int:
    """List both kinds of saved account, and warn about files others may read or change."""
    ours = store.load(store.default_path(world.environ))
    given = connection.option(args, "accounts_file")
    qiskit_path = (Path(given) if given else DEFAULT_ACCOUNTS_FILE).expanduser()
    qiskit = read_json(qiskit_path, source=ConfigSource.SAVED_ACCOUNT)
    qiskit_accounts: dict[str, Any] = qiskit if isinstance(qiskit, dict) else {}
    qiskit_default = default_account_name(qiskit_accounts)
    exposures = [
        found
        for found in (
            check_exposure(ours.path, source=ConfigSource.KEYRING),
            check_exposure(qiskit_path, source=ConfigSource.SAVED_ACCOUNT),
        )
        if found is not None
    ]
    kept_in = keyring_store.key_file() if ours.accounts else None  # keyring imported only then
    listed = {
        "iqp": {
            "file": str(ours.path),
            "keyring_backend": keyring_store.backend_name() if ours.accounts else None,
            "key_file": str(kept_in.path) if kept_in is not None else None,
            "key_file_safety": kept_in.safety() if kept_in is not None else None,
            "default": ours.default,
            "accounts": [
                {"name": name, "default": name == ours.default, **entry.as_json()}
                for name, entry in sorted(ours.accounts.items())
            ],
        },
        "qiskit": {
            "file": str(qiskit_path),
            "default": qiskit_default,
            "accounts": [
                {
                    "name": name,
                    "default": name == qiskit_default,
                    "channel": entry.get("channel") if isinstance(entry, dict) else None,
                    "instance": entry.get("instance") if isinstance(entry, dict) else None,
                    "key_in_file": isinstance(entry, dict) and bool(entry.get("token")),
                }
                for name, entry in sorted(qiskit_accounts.items())
            ],
        },
        "warnings": [
            {"file": str(found.path), "message": found.message, "fix": found.fix} for found in exposures
        ],
    }
    if connection.wants_json(args):
        world.out(to_json(listed))
    else:
        _print(world, listed)
    return exits.OK


def _print(world: World, listed: dict[str, Any]) -> None:
    ours, qiskit = listed["iqp"], listed["qiskit"]
    if ours["accounts"]:
        keys = (
            f"keys in the OS credential store, {ours['keyring_backend']}"
            if ours["key_file"] is None
            else f"keys in the file {ours['key_file']}: {ours['key_file_safety']}"
        )
        world.out(f"Saved with `iqp login` (settings in {ours['file']}; {keys}):")
        for account in ours["accounts"]:
            mark = "*" if account["default"] else " "
            extra = "".join(
                f"  {field}={account[field]}" for field in ("url", "iam_url") if account[field] is not None
            )
            world.out(f"  {mark} {account['name']}  {account['service_crn']}{extra}")
    else:
        world.out(f"No account saved with `iqp login` (none in {ours['file']}).")
    if qiskit["accounts"]:
        world.out(f"Saved by qiskit-ibm-runtime in {qiskit['file']} (keys in plain text in that file):")
        for account in qiskit["accounts"]:
            mark = "*" if account["default"] else " "
            world.out(f"  {mark} {account['name']}  {account['instance']}  ({account['channel']})")
    if ours["accounts"] or qiskit["accounts"]:
        world.out("(* the default; connect() takes an iqp default before a qiskit-ibm-runtime one)")
    for warning in listed["warnings"]:
        world.out(f"WARN {warning['message']}")
