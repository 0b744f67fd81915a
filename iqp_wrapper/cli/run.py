"""``iqp run sampler|estimator CIRCUIT.qasm``: submit, wait with progress, print the result;
and the decoded display that ``iqp jobs results`` uses for Sampler and Estimator jobs."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from iqp_wrapper.client import IQPClient
from iqp_wrapper.errors import IQPError
from iqp_wrapper.jobs.submit import SubmittedJob
from iqp_wrapper.primitives import (
    EstimatorResult,
    ResultFormatError,
    SamplerResult,
    SubmitWait,
    as_estimator_pub,
    as_sampler_pub,
    estimator_result,
    least_busy,
    sampler_result,
    submit_estimator,
    submit_sampler,
)
from iqp_wrapper.primitives.json_types import JSON
from iqp_wrapper.primitives.pacing import SubmitProgress
from iqp_wrapper.primitives.pubs import ParameterValues

from . import connection, exits
from .output import seconds, to_json
from .waiting import add_wait_options, wait_as_asked
from .world import World

T = TypeVar("T")

HISTOGRAM_ROWS = 16
BAR_WIDTH = 32


def add_commands(run: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """Register ``iqp run sampler`` and ``iqp run estimator`` under ``run``."""
    sub = run.add_subparsers(title="primitives", metavar="PRIMITIVE", dest="run_command", required=True)
    sampler = sub.add_parser(
        "sampler", help="sample a circuit: counts per classical register", parents=[common]
    )
    sampler.add_argument("--shots", type=int, default=None, help="shots (the service's default if omitted)")
    estimator = sub.add_parser("estimator", help="estimate observables: evs and stds", parents=[common])
    estimator.add_argument(
        "--observable",
        action="append",
        required=True,
        metavar="PAULI",
        help="a Pauli string such as ZZ, qubit 0 last (repeat for several)",
    )
    estimator.add_argument("--precision", type=float, default=None, help="target precision")
    for parser in (sampler, estimator):
        parser.add_argument("circuit", metavar="CIRCUIT.qasm", help="an OpenQASM 3 file ('-' reads stdin)")
        parser.add_argument(
            "--parameter-values",
            metavar="JSON",
            help='values of the circuit\'s input parameters: {"theta": [0.1, 0.2]} or nested lists '
            "whose last axis lists every parameter (a sweep gives one result per set)",
        )
        parser.add_argument("--backend", help="backend name (default: the least busy one)")
        parser.add_argument("--tag", action="append", help="tag the job (repeat for several)")
        add_wait_options(parser)
        add_interrupt_option(parser)
    sampler.set_defaults(handler=run_sampler)
    estimator.set_defaults(handler=run_estimator)
    from . import run_executor  # imports this module: loaded once this one is

    run_executor.add_command(sub, common)


def run_sampler(args: argparse.Namespace, world: World) -> int:
    """Submit a Sampler job for one circuit, wait for it, print its counts."""
    pub = as_sampler_pub((_read(args.circuit), _parameter_values(args.parameter_values)))

    def submit(client: IQPClient, backend: str, progress: SubmitProgress) -> SubmittedJob:
        return submit_sampler(client, backend, [pub], shots=args.shots, tags=args.tag, progress=progress)

    def show(job_id: str, result: SamplerResult, quiet: bool) -> str:
        return to_json(sampler_json(job_id, result)) if quiet else render_sampler(result)

    return submit_and_show(args, world, "Sampler", submit, sampler_result, show)


def run_estimator(args: argparse.Namespace, world: World) -> int:
    """Submit an Estimator job for one circuit and the observables, wait, print evs and stds."""
    circuit = _read(args.circuit)
    observables = args.observable[0] if len(args.observable) == 1 else list(args.observable)
    values = _parameter_values(args.parameter_values)
    pub = as_estimator_pub((circuit, observables, values, args.precision))

    def submit(client: IQPClient, backend: str, progress: SubmitProgress) -> SubmittedJob:
        return submit_estimator(client, backend, [pub], tags=args.tag, progress=progress)

    def show(job_id: str, result: EstimatorResult, quiet: bool) -> str:
        return to_json(estimator_json(job_id, result)) if quiet else render_estimator(result)

    return submit_and_show(args, world, "Estimator", submit, estimator_result, show)


def submit_and_show(
    args: argparse.Namespace,
    world: World,
    kind: str,
    submit: Callable[[IQPClient, str, SubmitProgress], SubmittedJob],
    read: Callable[[IQPClient, str], T],
    show: Callable[[str, T, bool], str],
) -> int:
    """Submit on ``--backend`` (or the least busy one), wait as asked, read the result and
    print it as ``show`` says (for ``--json`` or not); Ctrl-C after the submission is
    handled as ``--cancel-on-interrupt`` says. Every ``iqp run`` command goes through here."""
    quiet = connection.wants_json(args)
    with connection.client(args, world) as client:
        backend = args.backend or least_busy(client).name
        job = submit(client, backend, _pacing(world, quiet))
        try:
            _wait(client, job.id, backend, kind, args, world, quiet)
            result = read(client, job.id)
        except KeyboardInterrupt:
            return _interrupted(client, job.id, args, world, quiet)
    world.out(show(job.id, result, quiet))
    return exits.OK


# -- display --------------------------------------------------------------------------


def decoded(data: JSON) -> SamplerResult | EstimatorResult | None:
    """A Sampler or Estimator result in either wire form, or None if ``data`` is neither."""
    for kind in (SamplerResult, EstimatorResult):
        try:
            return kind.from_json(data)
        except ResultFormatError:
            continue
    return None


def render(result: SamplerResult | EstimatorResult) -> str:
    return render_sampler(result) if isinstance(result, SamplerResult) else render_estimator(result)


def render_sampler(result: SamplerResult) -> str:
    lines = []
    for index, pub in enumerate(result):
        for name, bits in pub.data.items():
            shape = f", shape {bits.shape}" if bits.shape else ""
            lines.append(
                f"PUB {index} register {name}: {bits.num_shots} shots of {bits.num_bits} bits{shape}"
            )
            counts = bits.get_counts()
            total = sum(counts.values()) or 1
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            for outcome, count in ordered[:HISTOGRAM_ROWS]:
                bar = "#" * max(1, round(BAR_WIDTH * count / total))
                lines.append(f"  {outcome}  {count:>7}  {bar}")
            if len(ordered) > HISTOGRAM_ROWS:
                lines.append(f"  ... {len(ordered) - HISTOGRAM_ROWS} more outcomes (--json for all)")
    return "\n".join(lines)


def render_estimator(result: EstimatorResult) -> str:
    lines = []
    for index, pub in enumerate(result):
        data = pub.data
        shape = f" shape {data.shape}" if data.shape else ""
        lines.append(f"PUB {index}{shape}:")
        lines.append(f"  evs   {to_json(data.evs)}")
        lines.append(f"  stds  {to_json(data.stds)}")
        if data.ensemble_standard_error is not None:
            lines.append(f"  ensemble_standard_error  {to_json(data.ensemble_standard_error)}")
    return "\n".join(lines)


def sampler_json(job_id: str, result: SamplerResult) -> dict[str, object]:
    pubs = [
        {
            name: {
                "counts": bits.get_counts(),
                "num_shots": bits.num_shots,
                "num_bits": bits.num_bits,
                "shape": list(bits.shape),
            }
            for name, bits in pub.data.items()
        }
        for pub in result
    ]
    return {"job_id": job_id, "results": pubs}


def estimator_json(job_id: str, result: EstimatorResult) -> dict[str, object]:
    pubs = [
        {
            "evs": pub.data.evs,
            "stds": pub.data.stds,
            "ensemble_standard_error": pub.data.ensemble_standard_error,
            "shape": list(pub.data.shape),
        }
        for pub in result
    ]
    return {"job_id": job_id, "results": pubs}


# -- helpers ---------------------------------------------------------------------------


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise connection.bad_argument(
            f"cannot read the circuit file {path}: {exc.strerror}",
            setting="circuit",
            problem="unreadable",
        ) from None


def _parameter_values(text: str | None) -> ParameterValues | None:
    """``--parameter-values`` read as JSON; what the values mean is checked with the PUB."""
    if text is None:
        return None
    try:
        values = json.loads(text)
    except json.JSONDecodeError as exc:
        raise connection.bad_argument(
            f"--parameter-values is not JSON ({exc.msg} at character {exc.pos}); "
            'give a mapping such as {"theta": [0.1, 0.2]} or nested lists',
            setting="parameter_values",
            problem="malformed",
        ) from None
    if not isinstance(values, (dict, list)):
        raise connection.bad_argument(
            f"--parameter-values must be a JSON object or array, not {text!r}",
            setting="parameter_values",
            problem="malformed",
        )
    return values  # the PUB checks what is inside


def _pacing(world: World, quiet: bool) -> Callable[[SubmitWait], None]:
    def report(wait: SubmitWait) -> None:
        if not quiet:
            why = (
                "the job-submission rate limit"
                if wait.reason == "paced"
                else "the service asked (Retry-After)"
            )
            world.out(f"Waiting {seconds(wait.seconds)} before submitting: {why}.")

    return report


def _wait(
    client: IQPClient,
    job_id: str,
    backend: str,
    kind: str,
    args: argparse.Namespace,
    world: World,
    quiet: bool,
) -> None:
    # The id as soon as the job exists, so that an interrupted or crashed run loses nothing:
    # on stderr in --json mode, where stdout holds one JSON document.
    if quiet:
        world.err(f"{kind} job {job_id} submitted on {backend}.")
    else:
        world.out(f"{kind} job {job_id} on {backend}:")
    wait_as_asked(client, job_id, args, world, quiet=quiet)


def add_interrupt_option(parser: argparse.ArgumentParser) -> None:
    """``--cancel-on-interrupt``, for every command that submits a job and waits for it."""
    parser.add_argument(
        "--cancel-on-interrupt",
        action="store_true",
        help="on Ctrl-C, cancel the job (by default it goes on, and its id is printed)",
    )


def _interrupted(client: IQPClient, job_id: str, args: argparse.Namespace, world: World, quiet: bool) -> int:
    """Ctrl-C after the job was submitted: cancel it if asked, and say where it stands."""
    cancelled = False
    if args.cancel_on_interrupt:
        try:
            client.jobs.cancel(job_id)
            cancelled = True
        except IQPError as error:
            world.err(f"iqp: could not cancel job {job_id}: {error}")
    if quiet:
        world.out(to_json({"job_id": job_id, "interrupted": True, "cancelled": cancelled}))
    elif cancelled:
        world.err(f"Interrupted: job {job_id} was cancelled.")
    else:
        world.err(
            f"Interrupted: job {job_id} goes on. Cancel it with `iqp jobs cancel {job_id}`, "
            f"or wait for it with `iqp jobs wait {job_id}`."
        )
    return exits.INTERRUPTED
