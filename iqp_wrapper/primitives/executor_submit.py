"""submit_executor (and its async twin): a QuantumProgram as a job of program ``executor``.

The job goes out through the primitives' one submission path (``submit.paced_submission``):
paced under the job-submission rate limit, tagged, and never sent twice (a submission
whose answer is lost is found by its tag).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from iqp_wrapper._flow import Flow, awaiting, blocking
from iqp_wrapper.jobs.submit import SubmittedJob
from iqp_wrapper.primitives import submit
from iqp_wrapper.primitives.executor_program import ExecutorOptions, QuantumProgram
from iqp_wrapper.primitives.json_types import JSONObject
from iqp_wrapper.primitives.pacing import Pacer, SubmitProgress

if TYPE_CHECKING:
    from iqp_wrapper.client import AnyIQPClient

PROGRAM_ID = "executor"


def executor_body(
    backend: str,
    program: QuantumProgram,
    *,
    options: ExecutorOptions | None = None,
    session: str | None = None,
    tags: Sequence[str] | None = None,
) -> JSONObject:
    """The ``POST /v1/jobs`` body of an executor job (checked; nothing is sent)."""
    submit.check_backend(backend)
    if not isinstance(program, QuantumProgram):
        raise TypeError(f"program must be a QuantumProgram, not {type(program).__name__}")
    return submit.job_body(PROGRAM_ID, backend, program.to_params(options), session, tags)


def executor_job(
    client: AnyIQPClient,
    backend: str,
    program: QuantumProgram,
    *,
    options: ExecutorOptions | None = None,
    session: str | None = None,
    tags: Sequence[str] | None = None,
    progress: SubmitProgress | None = None,
    pacer: Pacer | None = None,
) -> Flow[SubmittedJob]:
    """Submit ``program`` to the executor on ``backend`` and return the created job (``.id``,
    and the ``tag`` it was found by if its answer was lost), as ``jobs.submit`` does.

    Everything is checked before the request (ProgramError says what to fix). The call
    waits for a free slot under the job-submission rate limit rather than fail. Read the
    result with ``executor_result`` (and ``.sampler_result()`` for counts).
    """
    body = executor_body(backend, program, options=options, session=session, tags=tags)
    return (yield from submit.paced_submission(client, body, progress, pacer))


submit_executor = blocking(executor_job, "submit_executor")
async_submit_executor = awaiting(executor_job, "async_submit_executor", "``submit_executor`` for async code.")
