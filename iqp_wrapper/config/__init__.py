"""Connection settings: where each comes from, and the checks they pass before any request.

``settings`` resolves them (``Settings``, ``resolve_settings``); ``sources`` records every
place a required setting was looked for; ``checks`` and ``input_checks`` refuse bad
values with a ConfigError naming the fix. The names of ``settings`` are re-exported here,
so importing them from this package keeps working.
"""

from iqp_wrapper.config.settings import (
    DEFAULT_API_VERSION,
    DEFAULT_TIMEOUT,
    ENV_API_KEY,
    ENV_API_VERSION,
    ENV_IAM_URL,
    ENV_SERVICE_CRN,
    ENV_URL,
    Settings,
    TimeoutLike,
    resolve_settings,
)

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_TIMEOUT",
    "ENV_API_KEY",
    "ENV_API_VERSION",
    "ENV_IAM_URL",
    "ENV_SERVICE_CRN",
    "ENV_URL",
    "Settings",
    "TimeoutLike",
    "resolve_settings",
]
