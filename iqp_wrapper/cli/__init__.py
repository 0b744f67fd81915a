"""The ``iqp`` command: ``iqp doctor``, ``iqp backends``, ``iqp jobs ...``, ``iqp usage``,
``iqp versions``, ``iqp demo`` and ``iqp fake serve``. ``iqp --help`` lists the options
and the exit codes (see ``exits``)."""

from __future__ import annotations

from collections.abc import Sequence

from .app import run
from .world import World


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: run ``argv`` (default: the command line) and return the exit code."""
    return run(argv, World())


__all__ = ["World", "main", "run"]
