"""``iqp run executor CIRCUIT.qasm...``: run circuits as one executor program (schema
v2.0), wait, print counts per item and register (or, for data that is not bits, each
output's dtype and shape)."""

from __future__ import annotations

import argparse
import json

from iqp_wrapper.client import IQPClient
from iqp_wrapper.jobs.submit import SubmittedJob
from iqp_wrapper.primitives import (
    CircuitItem,
    ExecutorResult,
    ProgramError,
    QuantumProgram,
    ResultFormatError,
    SamplerResult,
    Tensor,
    executor_result,
    submit_executor,
)
from iqp_wrapper.primitives.pacing import SubmitProgress
from iqp_wrapper.primitives.pubs import ParameterValues

from .output import to_json
from .run import _read, add_interrupt_option, render_sampler, sampler_json, submit_and_show
from .waiting import add_wait_options
from .world import World

MEAS_LEVELS = ("classified", "kerneled", "avg_kerneled", "both")


def add_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Register ``iqp run executor`` among the ``iqp run`` primitives."""
    parser = sub.add_parser(
        "executor", help="run circuits as an executor program: counts per item and register", parents=[common]
    )
    parser.add_argument(
        "circuits",
        nargs="+",
        metavar="CIRCUIT.qasm",
        help="OpenQASM 3 files, one item each ('-' reads stdin)",
    )
    parser.add_argument("--shots", type=int, required=True, help="shots per circuit binding")
    parser.add_argument(
        "--arguments",
        action="append",
        metavar="JSON",
        help="parameter values of the next circuit in order, as JSON: a list (last axis: the "
        'parameters sorted by name) or {"name": value or list}; repeat per circuit',
    )
    parser.add_argument("--meas-level", choices=MEAS_LEVELS, default="classified", help="what to measure")
    parser.add_argument("--backend", help="backend name (default: the least busy one)")
    parser.add_argument("--tag", action="append", help="tag the job (repeat for several)")
    add_wait_options(parser)
    add_interrupt_option(parser)
    parser.set_defaults(handler=run_executor)


def run_executor(args: argparse.Namespace, world: World) -> int:
    """Submit the circuits as one executor job, wait for it, print what it measured."""
    program = _program(args)

    def submit(client: IQPClient, backend: str, progress: SubmitProgress) -> SubmittedJob:
        return submit_executor(client, backend, program, tags=args.tag, progress=progress)

    return submit_and_show(args, world, "Executor", submit, executor_result, _shown)


def render(result: ExecutorResult) -> str:
    """Counts per item and register when every item measured bits; else each output's
    dtype and shape (``--json`` has the values)."""
    counts = _counts(result)
    return render_sampler(counts) if counts is not None else render_tensors(result)


def _shown(job_id: str, result: ExecutorResult, quiet: bool) -> str:
    if not quiet:
        return render(result)
    counts = _counts(result)
    shown: dict[str, object] = {"job_id": job_id, "schema_version": result.schema_version}
    if counts is not None:
        shown |= {"results": sampler_json(job_id, counts)["results"]}
    else:
        shown |= {"items": [{n: _tensor_json(t) for n, t in i.results.items()} for i in result.items]}
    return to_json(shown)


def _program(args: argparse.Namespace) -> QuantumProgram:
    given: list[str] = args.arguments or []
    if len(given) > len(args.circuits):
        raise ProgramError(
            f"{len(given)} --arguments for {len(args.circuits)} circuits; give at most one per circuit",
            field="circuit_arguments",
        )
    items = []
    for index, path in enumerate(args.circuits):
        values: ParameterValues | None = None
        if index < len(given):
            try:
                values = json.loads(given[index])
            except ValueError as exc:
                raise ProgramError(
                    f"--arguments is not JSON ({exc})", pub=index, field="circuit_arguments"
                ) from None
        items.append(CircuitItem(_read(path), values, item=index))
    return QuantumProgram(items, shots=args.shots, meas_level=args.meas_level)


def _counts(result: ExecutorResult) -> SamplerResult | None:
    """The result as counts, when every item measured bits; None otherwise."""
    try:
        counts = result.sampler_result()
    except ResultFormatError:
        return None
    return counts if all(len(pub.data) for pub in counts) else None


def render_tensors(result: ExecutorResult) -> str:
    lines = [f"schema {result.schema_version or '?'}"]
    for index, item in enumerate(result.items):
        for name, tensor in item.results.items():
            lines.append(f"item {index} output {name}: {tensor.dtype} of shape {tensor.shape}")
    return "\n".join(lines)


def _tensor_json(tensor: Tensor) -> dict[str, object]:
    values: object = tensor.values
    if tensor.dtype.startswith("c"):
        values = [[z.real, z.imag] for z in tensor.flat()]
    return {"dtype": tensor.dtype, "shape": list(tensor.shape), "values": values}
