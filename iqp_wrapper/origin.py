"""Where a setting came from, and how the caller gives settings, for ConfigError.

A message says where a value came from in words ("the environment variable IQP_URL"); the
error's ``source`` field says it as a ``ConfigSource``. ``Origin`` is both at once, so a
check that receives where a value came from can fill in the message and the field alike.

``connect()`` takes settings as keyword arguments, the ``iqp`` command as options: a
``Spelling`` says which, so a message names what its reader can actually change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from iqp_wrapper.errors import ConfigSource


class Origin(str):
    """Where a value came from, as a message says it, knowing which kind of source it is."""

    kind: ConfigSource

    def __new__(cls, described: str, kind: ConfigSource) -> Origin:
        origin = super().__new__(cls, described)
        origin.kind = kind
        return origin


def kind_of(described: str) -> ConfigSource | None:
    """The kind of source ``described`` names, when it is an ``Origin``."""
    return described.kind if isinstance(described, Origin) else None


@dataclass(frozen=True)
class Spelling:
    """How the caller gives a setting directly.

    Attributes:
        options: setting name -> how the caller writes it (``--crn``); a setting mapped to
            None cannot be given directly (the CLI takes no API key on its command line).
            A setting not listed is a keyword argument of ``connect()``.
    """

    options: Mapping[str, str | None] = field(default_factory=dict)

    def given(self, setting: str) -> Origin:
        """Where a directly given value of ``setting`` came from."""
        option = self.options.get(setting, "")
        return Origin(option or f"the {setting} argument", ConfigSource.ARGUMENT)

    def how_to_pass(self, setting: str) -> str | None:
        """How to give ``setting`` directly (``service_crn=...``, ``--crn``), or None."""
        if setting not in self.options:
            return f"{setting}=..."
        return self.options[setting]


KEYWORD_ARGUMENTS = Spelling()
"""``connect()``'s spelling: every setting is a keyword argument."""
