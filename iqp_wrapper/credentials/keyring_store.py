"""API keys in the operating system's credential store, through the ``keyring`` library.

``keyring`` is an optional extra (``pip install 'iqp-wrapper[keyring]'``), imported only
when an ``iqp login`` account is used. It picks the store: macOS Keychain, Windows
Credential Locker, the Secret Service (GNOME Keyring, KWallet) on Linux desktops. Where
it finds none (a headless server, a container) it says so, and so do we: the key is then
never written anywhere else in its place.
"""

from __future__ import annotations

from types import ModuleType

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
