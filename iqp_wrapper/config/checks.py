"""Checks of settings that come from outside the arguments, each a ConfigError naming the fix.

Called from ``config.resolve_settings``; kept apart so that each check reads on its own.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from pathlib import Path

from iqp_wrapper.errors import ConfigError, ConfigSource

ENV_CA_FILE = "SSL_CERT_FILE"
ENV_CA_DIR = "SSL_CERT_DIR"


def tls_from_environment(
    verify: bool | ssl.SSLContext, *, trust_env: bool, env: Mapping[str, str]
) -> bool | ssl.SSLContext:
    """``verify``, or, when it is the default (True) and ``trust_env`` holds, a context that
    trusts ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``.

    Built here, at ``connect()``, rather than inside httpx when the first request is sent:
    a wrong path is then a ConfigError before anything is sent, and a variable changed
    since an earlier client is read afresh. An empty variable counts as unset, as in httpx.
    """
    if verify is not True or not trust_env:
        return verify
    ca_file = env.get(ENV_CA_FILE) or None
    ca_dir = env.get(ENV_CA_DIR) or None
    if ca_file is None and ca_dir is None:
        return verify
    if ca_dir is not None and not Path(ca_dir).is_dir():
        raise ConfigError(
            f"The environment variable {ENV_CA_DIR} names {ca_dir!r}, which is not a directory; "
            f"point it at a directory of hashed CA certificates, or unset it.",
            setting=ENV_CA_DIR,
            source=ConfigSource.ENVIRONMENT,
            problem="not_a_directory",
        )
    try:
        return ssl.create_default_context(cafile=ca_file, capath=ca_dir)
    except (OSError, ssl.SSLError) as exc:
        # Only the CA file can fail to load here: a directory is read one file at a time,
        # when a certificate needs it.
        raise ConfigError(
            f"The environment variable {ENV_CA_FILE} names {ca_file!r}, which cannot be loaded "
            f"as a CA bundle ({exc.__class__.__name__}); point it at a PEM file of CA "
            "certificates, or unset it.",
            setting=ENV_CA_FILE,
            source=ConfigSource.ENVIRONMENT,
            problem="unreadable_ca_bundle",
        ) from None
