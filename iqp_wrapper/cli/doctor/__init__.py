"""``iqp doctor``: IBM's setup guide, step by step, saying what is wrong and how to fix it.

Steps, in the guide's order: an API key is there; the service CRN parses (a
quantum-computing instance, and its region); the API URL serves that region; IAM
exchanges the key for a token; the API answers; the API version is live on
/v1/versions; the instance answers; the local clock agrees with IAM's and the API's.
Each prints one status line (OK, WARN, FAIL or SKIP) and, for a problem, a fix. The
exit code is 0 when all passed and 3 otherwise (2 before any step, for a bad command
line).
"""

from __future__ import annotations

import argparse

from .. import connection, exits
from ..output import to_json
from ..world import World
from . import files, local, remote
from .report import Check, as_json, line, problems, skip, summary


def doctor(args: argparse.Namespace, world: World) -> int:
    """Run every step and report."""
    checks = run_checks(args, world) + files.account_files(args, world)
    if connection.wants_json(args):
        world.out(to_json(as_json(checks)))
    else:
        world.out("Checking your setup, step by step (IBM Quantum Platform setup guide):")
        width = max(len(check.title) for check in checks)
        for check in checks:
            world.out(line(check, width))
        world.out(summary(checks))
    return exits.PROBLEMS if problems(checks) else exits.OK


def run_checks(args: argparse.Namespace, world: World) -> list[Check]:
    """The checks, in order; later ones are skipped when what they need failed."""
    settings, checks = local.configuration(args, world)
    if settings is None:
        why = "needs a working configuration (above)"
        return checks + [
            skip(id, title, why)
            for id, title in (
                ("iam", "IAM"),
                ("api", "API"),
                ("api_version", "API version"),
                ("instance", "instance"),
                ("clock", "clock"),
            )
        ]
    seen = remote.Observations()
    guarded = remote.guarded
    checks.append(guarded("iam", "IAM", lambda: remote.iam_token(settings, world, seen)))
    checks.append(guarded("api", "API", lambda: remote.api_reachable(settings, world, seen)))
    checks.append(guarded("api_version", "API version", lambda: remote.api_version(settings, world, seen)))
    checks.append(guarded("instance", "instance", lambda: remote.instance(settings, world, seen)))
    checks.append(guarded("clock", "clock", lambda: remote.clock(world, seen)))
    return checks
