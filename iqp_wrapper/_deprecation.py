"""Old names that keep working: one warning, worded the same everywhere."""

from __future__ import annotations

import warnings


def deprecated_name(old: str, new: str) -> None:
    """Warn (DeprecationWarning, at the caller's caller) that ``old`` is another name for ``new``."""
    warnings.warn(
        f"{old} is deprecated and will be removed: use {new}, the one name for it (see CHANGELOG.md).",
        DeprecationWarning,
        stacklevel=3,
    )
