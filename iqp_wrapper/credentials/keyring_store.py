"""API keys in the operating system's credential store, through the ``keyring`` library.

``keyring`` is an optional extra (``pip install 'iqp-wrapper[keyring]'``), imported only
when an ``iqp login`` account is used. It picks the store: macOS Keychain, Windows
Credential Locker, the Secret Service (GNOME Keyring, KWallet) on Linux desktops. Where
it finds none (a headless server, a container) it says so, and so do we: the key is then
never written anywhere else in its place.

Some backends are not an OS store but a file (keyrings.alt's ``PlaintextKeyring`` keeps
keys base64-encoded in ``~/.local/share/python_keyring/keyring_pass.cfg``; its
``EncryptedKeyring`` encrypts them with a password it asks for). ``key_file()`` finds that
file, so ``iqp login`` and ``iqp doctor`` can say where the key is and how safe that is.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from iqp_wrapper._secret import Secret
from iqp_wrapper.errors import ConfigError, ConfigSource

SERVICE = "iqp-wrapper"
"""The service name the keys are stored under; the user name is the account's name."""

INSTALL_HINT = "pip install 'iqp-wrapper[keyring]'"
HEADLESS_HELP = (
    "On a server without one, keep the key in your secrets manager and hand it to the process "
    "as IQP_API_TOKEN (with IQP_SERVICE_CRN); or install and configure a keyring backend on "
    "purpose (for example keyrings.alt, knowing that it keeps keys in a file of its own). "
    "Nothing was written in plain text in its place."
)


def backend_name() -> str:
    """The class of the backend keyring would use (for messages; never raises)."""
    try:
        module = _keyring()
        backend = module.get_keyring()
    except Exception:  # a name for a message, whatever went wrong
        return "unavailable"
    return f"{type(backend).__module__}.{type(backend).__name__}"


@dataclass(frozen=True)
class KeyFile:
    """The file a file-backed keyring backend keeps keys in.

    Attributes:
        path: the file.
        backend: the backend's class, dotted.
        encrypted: True when the backend names an encryption scheme, False when it says it
            has none (keyrings.alt's ``PlaintextKeyring``), None when it does not say.
    """

    path: Path
    backend: str
    encrypted: bool | None

    def safety(self) -> str:
        """How safe the key is there, in one sentence for a person."""
        if self.encrypted:
            return (
                f"{self.backend} keeps it encrypted with the password that keyring asks for: it is "
                "as safe as that password, and the file can be copied and attacked offline"
            )
        said = (
            "keeps it unencrypted (base64 only)" if self.encrypted is False else "does not say it encrypts it"
        )
        return (
            f"{self.backend} {said}: whoever can read that file (you, root, your backups) has "
            "the key, as with a key in a plain-text file"
        )


KEY_FILE_ADVICE = (
    "To keep the key out of any file, use an OS credential store (a desktop keyring), or "
    "hand the key to the process as IQP_API_TOKEN from a secrets manager."
)


def key_file() -> KeyFile | None:
    """The file the chosen backend keeps keys in; None for an OS store (never raises)."""
    try:
        backend = _keyring().get_keyring()
    except Exception:  # keyring missing or broken: no file to name
        return None
    for candidate in _backends(backend):
        path = getattr(candidate, "file_path", None)  # keyrings.alt's FileBacked, and its kin
        if isinstance(path, (str, os.PathLike)):
            scheme = str(getattr(candidate, "scheme", "") or "").strip().lower()
            encrypted = None if not scheme else not scheme.startswith("no ")
            kind = type(candidate)
            return KeyFile(Path(path), f"{kind.__module__}.{kind.__name__}", encrypted)
    return None


def _backends(backend: Any) -> Iterator[Any]:
    """``backend``, or for keyring's chainer the first backend it tries: the one that stores."""
    chained = getattr(backend, "backends", None)
    if isinstance(chained, (list, tuple)):
        yield from chained[:1]
    else:
        yield backend


def ensure_available() -> None:
    """Raise ConfigError (installing or choosing a backend) unless keys can be stored."""
    _usable()


def get_key(account: str) -> Secret | None:
    """The key stored for ``account``, or None if the store holds none."""
    module = _usable()
    try:
        value = module.get_password(SERVICE, account)
    except module.errors.KeyringError as exc:
        raise _failed("read the key of", account, exc) from None
    return None if value is None else Secret(value)


def set_key(account: str, key: Secret) -> None:
    """Store ``key`` for ``account``, replacing any key stored before."""
    module = _usable()
    try:
        module.set_password(SERVICE, account, key.reveal())
    except module.errors.KeyringError as exc:
        raise _failed("store the key of", account, exc) from None


def delete_key(account: str) -> bool:
    """Remove the key of ``account``; False if the store held none."""
    module = _usable()
    try:
        if module.get_password(SERVICE, account) is None:
            return False
        module.delete_password(SERVICE, account)
    except module.errors.KeyringError as exc:
        raise _failed("remove the key of", account, exc) from None
    return True


def _keyring() -> ModuleType:
    try:
        import keyring
        import keyring.errors
    except ImportError:
        raise ConfigError(
            "Accounts saved with `iqp login` keep their key in the OS credential store, which "
            f"needs the keyring library: {INSTALL_HINT}. {HEADLESS_HELP}",
            setting="api_key",
            source=ConfigSource.KEYRING,
            problem="keyring_not_installed",
        ) from None
    return keyring


def _usable() -> ModuleType:
    """The keyring module, once its backend is known to be a real store."""
    module = _keyring()
    from keyring.backends import fail, null

    backend = module.get_keyring()
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        raise ConfigError(
            f"No OS credential store is available (keyring chose {backend_name()}), so no API "
            f"key can be kept in one. {HEADLESS_HELP}",
            setting="api_key",
            source=ConfigSource.KEYRING,
            problem="no_keyring_backend",
        )
    return module


def _failed(what: str, account: str, exc: Exception) -> ConfigError:
    # The backend's own message is left out: nothing guarantees it never quotes the value.
    return ConfigError(
        f"The OS credential store ({backend_name()}) could not {what} account {account!r} "
        f"({type(exc).__name__}); unlock it (a locked keychain or wallet asks for its "
        "password) and try again.",
        setting="api_key",
        source=ConfigSource.KEYRING,
        problem="keyring_error",
    )
