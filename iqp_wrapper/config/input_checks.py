"""Checks on the API key and the service CRN before either is used.

Both end up in places where a stray character does harm: the CRN in a header (a CR or LF
there is a header injection, and httpx fails deep inside with LocalProtocolError), the key
in IAM's form body (where IAM answers a quoted or braced key with a misleading "not
found"). So they are refused at ``connect()``, with a ConfigError naming the setting, its
source and a stable ``problem`` code:

- ``control_characters``: CR, LF, NUL, tab or any other control character;
- ``whitespace``: a space inside the value;
- ``non_ascii``: anything beyond ASCII (a typographic quote or dash pasted from a page);
- ``quoted`` / ``braced``: a quote or brace at either end (from .env files and JSON);
- ``too_long``: longer than any real value could be.

The key itself never appears in a message; the CRN is not a secret, but its characters
are described rather than echoed, since the terminal would act on them.
"""

from __future__ import annotations

from iqp_wrapper.errors import ConfigError, ConfigSource

# IBM Cloud API keys are 44 characters; a CRN is about 100. Far above both, far below
# what would be a mistake of a different kind (a file's contents pasted whole).
MAX_API_KEY_LENGTH = 512
MAX_CRN_LENGTH = 512

_QUOTES = "'\"`\u2018\u2019\u201c\u201d"
_BRACES = "{}[]<>"


def check_credentials(api_key: str, key_source: str, crn: str, crn_source: str) -> None:
    """Raise ConfigError if ``api_key`` or ``crn`` carries characters no real one has.

    ``key_source`` and ``crn_source`` say where each came from, in words
    (``the api_key argument``, ``the environment variable IQP_API_TOKEN``...).
    """
    _check("api_key", "API key", api_key, key_source, MAX_API_KEY_LENGTH)
    _check("service_crn", "service CRN", crn, crn_source, MAX_CRN_LENGTH)


def _check(setting: str, what: str, value: str, source: str, limit: int) -> None:
    def refuse(problem: str, detail: str) -> ConfigError:
        return ConfigError(
            f"The {what} from {source} {detail}.",
            setting=setting,
            source=source_kind(source),
            problem=problem,
        )

    if len(value) > limit:
        raise refuse("too_long", f"is {len(value)} characters long; a real one is far shorter than {limit}")
    for position, char in enumerate(value, start=1):
        code = ord(char)
        if code < 0x20 or code == 0x7F:
            raise refuse(
                "control_characters",
                f"contains a control character (code {code}) at position {position}; "
                "re-copy the value without line breaks or other invisible characters",
            )
        if code > 0x7E:
            raise refuse(
                "non_ascii",
                f"contains a non-ASCII character (U+{code:04X}) at position {position}; "
                "real values are plain ASCII (a typographic quote or dash may have been pasted)",
            )
    if value and (value[0] in _QUOTES or value[-1] in _QUOTES):
        raise refuse("quoted", "starts or ends with a quote; remove the quotes around it")
    if value and (value[0] in _BRACES or value[-1] in _BRACES):
        raise refuse("braced", "starts or ends with a brace or bracket; give the bare value")
    if " " in value.strip():
        raise refuse("whitespace", "contains a space; real values have none")


def source_kind(source: str) -> ConfigSource:
    """The ConfigSource a source description (as config.py words it) stands for."""
    if source.startswith("the environment variable"):
        return ConfigSource.ENVIRONMENT
    if source.endswith("argument"):
        return ConfigSource.ARGUMENT
    if "keyring" in source:
        return ConfigSource.KEYRING
    return ConfigSource.SAVED_ACCOUNT
