"""``iqp login`` and ``iqp logout``: an account whose key lives in the OS credential store.

``iqp login`` asks for the key without echoing it (or reads one line from standard input
with ``--stdin``), checks it with one IAM exchange and the instance with one API call,
then stores the key through ``keyring`` and the other settings in our own account file.
Nothing is stored unless both checks pass, and the key is never written to a file unless
``--qiskit`` asks for a qiskit-ibm-runtime entry, which holds it in plain text.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

from iqp_wrapper.client import build_client
from iqp_wrapper.config.settings import (
    ENV_API_KEY,
    ENV_IAM_URL,
    ENV_SERVICE_CRN,
    ENV_URL,
    Settings,
    resolve_settings,
)
from iqp_wrapper.credentials import keyring_store, qiskit_file, store
from iqp_wrapper.credentials.keyring_store import KEY_FILE_ADVICE
from iqp_wrapper.credentials.qiskit_file import DEFAULT_ACCOUNTS_FILE
from iqp_wrapper.errors import APIError, ConfigError, ConfigSource, IAMError

from . import connection, exits
from .output import to_json
from .world import World

DEFAULT_NAME = "default"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
QISKIT_HELP = (
    "also write the account to qiskit-ibm-runtime's saved-accounts file, so that both tools "
    "share it. That entry holds the key IN PLAIN TEXT (qiskit-ibm-runtime reads it from there); "
    "the file is made readable by you only"
)
CommandMaker = Callable[[str, str], argparse.ArgumentParser]


def add_commands(command: CommandMaker) -> None:
    """Register ``login``, ``logout`` and ``accounts`` through the parser's ``command``."""
    from . import saved_accounts

    login_parser = command(
        "login", "check an API key and keep it in the OS credential store (as --account NAME, or default)"
    )
    login_parser.add_argument(
        "--stdin", action="store_true", help="read the key from standard input (one line), for scripts"
    )
    login_parser.add_argument(
        "--default", action="store_true", help="make it the default account even if there is one"
    )
    login_parser.add_argument("--qiskit", action="store_true", help=QISKIT_HELP)
    login_parser.set_defaults(handler=login)

    logout_parser = command(
        "logout", "forget a saved account: its key in the credential store and its settings"
    )
    logout_parser.add_argument(
        "--qiskit",
        action="store_true",
        help="also remove the entry of that name from qiskit-ibm-runtime's file",
    )
    logout_parser.set_defaults(handler=logout)

    command("accounts", "list saved accounts (no key is shown) and check their files").set_defaults(
        handler=saved_accounts.accounts
    )


def login(args: argparse.Namespace, world: World) -> int:
    """Check a key and an instance, then store them."""
    name = _name(connection.option(args, "account") or DEFAULT_NAME)
    keyring_store.ensure_available()  # before asking for a key that could not be kept
    crn = connection.option(args, "crn") or world.environ.get(ENV_SERVICE_CRN) or _ask_crn(world)
    key = _read_key(world, from_stdin=bool(args.stdin))
    world.mask(key)
    settings = resolve_settings(
        key,
        service_crn=crn,
        api_version=connection.option(args, "api_version"),
        url=connection.option(args, "url"),
        iam_url=connection.option(args, "iam_url"),
        timeout=getattr(args, "timeout", None),
        environ=world.environ,
    )
    entry = qiskit_file.entry_for(settings) if args.qiskit else None
    plan = _check(settings, world)
    if plan is None:
        return exits.API_ERROR

    ours = store.load(store.default_path(world.environ))
    default = bool(args.default) or ours.default in (None, name)
    _store(ours, name, settings, world, default=default)
    qiskit_path = _qiskit_path(args)
    if entry is not None:
        qiskit_file.save_entry(qiskit_path, name, entry, default=bool(args.default))

    key_file = keyring_store.key_file()  # a file-backed backend (keyrings.alt): say where and how safe
    if connection.wants_json(args):
        world.out(
            to_json(
                {
                    "account": name,
                    "default": default,
                    "plan": plan,
                    "settings_file": str(ours.path),
                    "keyring_backend": keyring_store.backend_name(),
                    "key_file": str(key_file.path) if key_file else None,
                    "key_file_encrypted": key_file.encrypted if key_file else None,
                    "qiskit_file": str(qiskit_path) if entry is not None else None,
                }
            )
        )
        return exits.OK
    world.out(f"Checked: IAM accepted the key, and the instance answers (plan {plan}).")
    if key_file is not None:
        world.out(
            f"Saved account {name!r}: its key in the file {key_file.path}, its other settings in {ours.path}."
        )
        world.out(f"Warning: {key_file.safety()}. {KEY_FILE_ADVICE}")
    else:
        world.out(
            f"Saved account {name!r}: its key in the OS credential store ({keyring_store.backend_name()}), "
            f"its other settings in {ours.path}." + (" No file holds the key." if entry is None else "")
        )
    if entry is not None:
        world.out(
            f"Also wrote {name!r} to {qiskit_path} for qiskit-ibm-runtime: that entry holds the key in "
            "plain text (mode 0600); remove it with `iqp logout --qiskit`."
        )
    if default:
        world.out(f"{name!r} is the default account: connect() and iqp use it when no key is given.")
    else:
        world.out(f"Use it with connect(account={name!r}) or iqp --account {name}.")
    if world.environ.get(ENV_API_KEY):
        world.out(f"Note: {ENV_API_KEY} is set here and comes first; unset it to use the saved account.")
    world.out("Check everything with `iqp doctor`.")
    return exits.OK


def logout(args: argparse.Namespace, world: World) -> int:
    """Remove an account's key from the credential store and its settings from our file."""
    ours = store.load(store.default_path(world.environ))
    name = connection.option(args, "account") or ours.default
    if name is None:
        raise _not_saved(
            f"There is no default iqp account in {ours.path}; name the one to forget with --account.",
            problem="missing",
        )
    said: list[str] = []
    was_default = ours.default == name
    if name in ours.accounts:
        removed = _forget_key(name)
        del ours.accounts[name]
        if ours.default == name:
            ours.default = None
        store.save(ours)
        said.append(f"Forgot account {name!r}: {removed}, its settings from {ours.path}.")
    qiskit_path = _qiskit_path(args)
    if args.qiskit and qiskit_file.remove_entry(qiskit_path, name):
        said.append(f"Removed {name!r} (and the key it held in plain text) from {qiskit_path}.")
    if not said:
        known = ", ".join(repr(k) for k in sorted(ours.accounts)) or "none"
        raise _not_saved(
            f"There is no iqp account {name!r} (accounts in {ours.path}: {known}).",
            problem="unknown_account",
        )
    if connection.wants_json(args):
        world.out(to_json({"account": name, "done": said}))
    else:
        for line in said:
            world.out(line)
        if was_default and ours.accounts:
            world.out(
                "There is no default iqp account now; make one with `iqp login --default --account NAME`."
            )
    return exits.OK


def _not_saved(message: str, *, problem: str) -> ConfigError:
    """The error for an account name our saved accounts do not hold (or no default to use)."""
    return ConfigError(message, setting="account", source=ConfigSource.KEYRING, problem=problem)


def _forget_key(name: str) -> str:
    """Remove the key and say what became of it. When the store cannot be reached the
    settings still go (logout must always work), and the user is told what may be left."""
    try:
        removed = keyring_store.delete_key(name)
    except ConfigError as error:
        return (
            f"the OS credential store could not be reached ({error}) If it holds a key for "
            f"{name!r}, remove it there"
        )
    return "its key is gone from the OS credential store" if removed else "the credential store held no key"


def _name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise connection.bad_argument(
            f"The account name {name!r} should be 1 to 64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit.",
            setting="account",
            problem="malformed",
        )
    return name


def _ask_crn(world: World) -> str:
    if not world.stdin.isatty():
        raise ConfigError(
            f"Which instance? Pass --crn or set {ENV_SERVICE_CRN} to its CRN "
            "(on https://quantum.cloud.ibm.com/instances).",
            setting="service_crn",
            source=None,  # no source gave one
            problem="missing",
        )
    world.stderr.write("Instance CRN (from https://quantum.cloud.ibm.com/instances): ")
    world.stderr.flush()
    return world.stdin.readline().strip()


def _read_key(world: World, *, from_stdin: bool) -> str:
    if from_stdin:
        key = world.stdin.readline().rstrip("\r\n")
    else:
        key = world.ask_secret(
            "IBM Cloud API key (not shown; create one at https://cloud.ibm.com/iam/apikeys): "
        )
    if not key.strip():
        raise connection.bad_argument(
            "No API key was given" + (" on standard input" if from_stdin else "") + "; nothing was saved.",
            setting="api_key",
            problem="missing",
        )
    return key


def _check(settings: Settings, world: World) -> str | None:
    """One IAM exchange and one call to the instance; the plan, or None (said why)."""
    try:
        with build_client(settings, retries=False) as client:
            usage = client.instances.get_usage()
    except IAMError as error:
        world.err(f"iqp: IAM did not accept the key: {error} Nothing was saved.")
        return None
    except APIError as error:
        world.err(f"iqp: the instance did not answer as it should: {error} Nothing was saved.")
        return None
    return str(usage.plan_id)


def _store(ours: store.Accounts, name: str, settings: Settings, world: World, *, default: bool) -> None:
    """The key into the credential store, then the settings into our file; if the file
    cannot be written, the store is put back as it was."""
    previous = keyring_store.get_key(name)
    keyring_store.set_key(name, settings.api_key)
    try:
        ours.accounts[name] = store.StoredAccount(
            service_crn=settings.service_crn,
            url=settings.base_url if _given(settings, "base_url", "url", ENV_URL) else None,
            iam_url=settings.iam_url if _given(settings, "iam_url", "iam_url", ENV_IAM_URL) else None,
        )
        if default:
            ours.default = name
        store.save(ours)
    except BaseException:
        if previous is None:
            keyring_store.delete_key(name)
        else:
            keyring_store.set_key(name, previous)
        raise


def _given(settings: Settings, setting: str, argument: str, env_name: str) -> bool:
    """True if the value was given (not derived from the CRN), so it must be kept."""
    return settings.sources[setting] in (f"the {argument} argument", f"the environment variable {env_name}")


def _qiskit_path(args: argparse.Namespace) -> Path:
    given = connection.option(args, "accounts_file")
    return (Path(given) if given else DEFAULT_ACCOUNTS_FILE).expanduser()
