"""How the CLI waits for a job: the options that tune it, and the wait they describe.

Shared by ``iqp jobs wait``/``results --wait`` and ``iqp run``, so the options, their
defaults (the library's) and the exit on timeout are the same everywhere.
"""

from __future__ import annotations

import argparse

from iqp_api.models.job_response_v3 import JobResponseV3
from iqp_wrapper.client import IQPClient
from iqp_wrapper.jobs import wait_for_job
from iqp_wrapper.jobs.waiting import DEFAULT_MAX_POLL, DEFAULT_POLL

from .progress import ProgressLine
from .world import World


def add_wait_options(parser: argparse.ArgumentParser) -> None:
    """``--wait-timeout``, ``--poll`` and ``--max-poll`` on ``parser``."""
    parser.add_argument(
        "--wait-timeout",
        dest="timeout_wait",
        type=float,
        default=None,
        metavar="SECONDS",
        help="give up waiting after this long (exit code 5; default: no limit)",
    )
    parser.add_argument(
        "--poll",
        type=float,
        default=DEFAULT_POLL,
        metavar="SECONDS",
        help=f"first gap between polls ({DEFAULT_POLL:g})",
    )
    parser.add_argument(
        "--max-poll",
        type=float,
        default=DEFAULT_MAX_POLL,
        metavar="SECONDS",
        help=f"longest gap ({DEFAULT_MAX_POLL:g})",
    )


def wait_as_asked(
    client: IQPClient, job_id: str, args: argparse.Namespace, world: World, *, quiet: bool
) -> JobResponseV3:
    """Wait for ``job_id`` with the options above, showing progress unless ``quiet``."""
    return wait_for_job(
        client,
        job_id,
        timeout=args.timeout_wait,
        poll=args.poll,
        max_poll=max(args.poll, args.max_poll),
        progress=None if quiet else ProgressLine(world),
        clock=world.clock,
        sleep=world.sleep,
    )
