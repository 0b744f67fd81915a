"""``iqp jobs list|show|results|logs|wait|cancel|delete``."""

from __future__ import annotations

import argparse
import datetime
from collections.abc import Iterable

from iqp_api.models.job_response_v3 import JobResponseV3
from iqp_api.types import UNSET, Unset
from iqp_wrapper.client import IQPClient
from iqp_wrapper.jobs import iter_jobs, job_results, reason_of, result_data, status_of
from iqp_wrapper.primitives import ExecutorResult, ResultFormatError
from iqp_wrapper.primitives.json_types import JSON

from . import connection, exits, run, run_executor
from .output import pairs, seconds, table, text, to_json
from .waiting import wait_as_asked
from .world import World

DEFAULT_LIST_LIMIT = 20


def list_(args: argparse.Namespace, world: World) -> int:
    """List jobs, newest first, with the API's filters."""
    limit = None if args.all else args.limit
    pending = True if args.pending else False if args.finished else None
    with connection.client(args, world) as client:
        found = list(
            iter_jobs(
                client,
                limit=limit,
                pending=pending,
                program=args.program,
                backend=args.backend,
                session_id=args.session,
                tags=args.tag or None,
                created_after=_instant(args.created_after, "--created-after"),
                created_before=_instant(args.created_before, "--created-before"),
                sort="ASC" if args.oldest_first else None,
            )
        )
    if connection.wants_json(args):
        world.out(to_json([job.to_dict() for job in found]))
        return exits.OK
    if not found:
        world.out("No jobs match.")
        return exits.OK
    rows = [
        [job.id, text(job.status), job.program.id, text(job.backend), text(job.created), text(job.tags)]
        for job in found
    ]
    world.out(table(("ID", "STATUS", "PROGRAM", "BACKEND", "CREATED", "TAGS"), rows))
    if limit is not None and len(found) == limit:
        world.out(f"(the first {limit}; --limit N or --all for more)")
    return exits.OK


def show(args: argparse.Namespace, world: World) -> int:
    """Show one job's details."""
    with connection.client(args, world) as client:
        job = client.jobs.get(args.job_id, exclude_params=not args.params)
    if connection.wants_json(args):
        world.out(to_json(job.to_dict()))
        return exits.OK
    world.out(pairs(_details(job)))
    if args.params and not isinstance(job.params, Unset):
        world.out("params")
        world.out(to_json(job.params.to_dict()))
    return exits.OK


def _details(job: JobResponseV3) -> Iterable[tuple[str, str]]:
    yield "id", job.id
    yield "status", text(job.status)
    reason = reason_of(job)
    if reason:
        yield "reason", reason
    yield "program", job.program.id
    yield "backend", text(job.backend)
    yield "created", text(job.created)
    yield "session", text(job.session_id)
    yield "tags", text(job.tags)
    charged = UNSET if isinstance(job.usage, Unset) else job.usage.qpu_charge_time_seconds
    yield "quantum time", text(None) if isinstance(charged, Unset) else seconds(charged)
    yield "cost limit", seconds(job.cost)
    if job.private is True:
        yield "private", "yes (parameters hidden; results readable once)"


def results(args: argparse.Namespace, world: World) -> int:
    """Print a job's final result (``--wait`` waits for the job first)."""
    with connection.client(args, world) as client:
        if args.wait:
            _wait(client, args, world, quiet=connection.wants_json(args))
        found = job_results(client, args.job_id)
    data = result_data(found)
    if connection.wants_json(args):
        world.out(to_json(data))
        return exits.OK
    kind = "JSON data" if isinstance(found, (dict, list)) else type(found).__name__
    world.out(f"Result of job {args.job_id} ({kind}):")
    shown = _decoded(data) if isinstance(data, dict) else None
    world.out(shown if shown is not None else to_json(data) if not isinstance(data, str) else data)
    return exits.OK


def _decoded(data: JSON) -> str | None:
    """A Sampler, Estimator or executor result shown decoded (counts, evs, tensors' shapes),
    or None for any other data, which is shown as JSON; --json always gives the raw data."""
    shown = run.decoded(data)
    if shown is not None:
        return run.render(shown)
    try:
        return run_executor.render(ExecutorResult.from_json(data))
    except ResultFormatError:
        return None


def logs(args: argparse.Namespace, world: World) -> int:
    """Print a job's logs."""
    with connection.client(args, world) as client:
        found = client.jobs.get_logs(args.job_id)
    if connection.wants_json(args):
        world.out(to_json({"id": args.job_id, "logs": found}))
    else:
        world.out(found.rstrip("\n"))
    return exits.OK


def wait(args: argparse.Namespace, world: World) -> int:
    """Wait for a job to end, showing its progress."""
    with connection.client(args, world) as client:
        job = _wait(client, args, world, quiet=connection.wants_json(args))
    if connection.wants_json(args):
        world.out(to_json(job.to_dict()))
    return exits.OK


def _wait(client: IQPClient, args: argparse.Namespace, world: World, *, quiet: bool) -> JobResponseV3:
    if not quiet:
        world.out(f"Waiting for job {args.job_id}:")
    job = wait_as_asked(client, args.job_id, args, world, quiet=quiet)
    if not quiet:
        world.out(f"Job {job.id} {status_of(job)}.")
    return job


def cancel(args: argparse.Namespace, world: World) -> int:
    """Cancel a queued or running job (409 Conflict once it has ended)."""
    with connection.client(args, world) as client:
        client.jobs.cancel(args.job_id)
    _done(args, world, "cancelled")
    return exits.OK


def delete(args: argparse.Namespace, world: World) -> int:
    """Delete a job that has ended, with its results and logs."""
    with connection.client(args, world) as client:
        client.jobs.delete(args.job_id)
    _done(args, world, "deleted")
    return exits.OK


def _done(args: argparse.Namespace, world: World, what: str) -> None:
    if connection.wants_json(args):
        world.out(to_json({"id": args.job_id, what: True}))
    else:
        world.out(f"Job {args.job_id} {what}.")


def _instant(value: str | None, option: str) -> datetime.datetime | None:
    """An ISO 8601 date or date-time from the command line; without a zone, UTC."""
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise connection.bad_argument(
            f"{option} should be an ISO 8601 date or date-time, like 2026-05-01 or 2026-05-01T12:00Z.",
            setting=option,
            problem="malformed",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)
