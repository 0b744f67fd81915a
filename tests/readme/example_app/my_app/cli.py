"""The example application's command line: ``report`` prints the online backends."""

from __future__ import annotations

from iqp_wrapper import connect

from . import online_backends


def main(argv: list[str]) -> int:
    if argv != ["report"]:
        return 2
    with connect() as client:  # from the environment, as the README's example says
        print(", ".join(online_backends(client)))
    return 0
