"""wait_for_job and async_wait_for_job: poll a job until it ends, backing off between polls.

Choices, so that callers can rely on them:
- Polls start ``poll`` seconds apart and the gap grows by ``backoff`` each time, up to
  ``max_poll``: a short job is seen ending soon, a long one costs few requests.
- A job that ends Completed is returned. One that ends Failed or Cancelled raises
  JobFailedError or JobCancelledError (carrying the job), because the usual next step,
  reading its results, cannot succeed; pass ``raise_on_failure=False`` to get the job
  back whatever its outcome.
- ``timeout`` (seconds, None for no limit) ends the wait with JobTimeoutError; the job
  itself goes on. The last poll happens at the deadline, not a whole interval before it.
- A status the API adds in the future counts as not final: the wait goes on.
- Errors answering a poll propagate (the client's retry policy has already retried what
  is safe). Token refreshes need nothing here: the client's IAM auth refreshes before
  expiry and once after a 401, on each poll as on any request.
- Ctrl-C (KeyboardInterrupt) during the wait raises JobWaitInterrupted, a KeyboardInterrupt
  that names the job, which goes on; an async wait that is cancelled stays cancelled and
  logs the job it leaves.
- ``clock`` and ``sleep`` are injectable, so tests wait without waiting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from iqp_api.models.job_response_v3 import JobResponseV3
from iqp_api.resources.jobs import AsyncJobs, Jobs
from iqp_wrapper._flow import SLEEP, Flow, Io, awaiting, blocking, namespace_call
from iqp_wrapper.errors import (
    ConfigError,
    ConfigSource,
    JobCancelledError,
    JobError,
    JobFailedError,
    JobTimeoutError,
    JobWaitInterrupted,
)
from iqp_wrapper.jobs.states import COMPLETED, FAILED, FINAL_STATUSES, reason_code_of, reason_of, status_of

if TYPE_CHECKING:
    from iqp_wrapper.client import AnyIQPClient

_log = logging.getLogger(__name__)

DEFAULT_POLL = 1.0
DEFAULT_MAX_POLL = 10.0
DEFAULT_BACKOFF = 1.5


@dataclass(frozen=True)
class WaitProgress:
    """What a progress callback is told after each poll.

    Attributes:
        job: the job as just read.
        status: its status (see ``states.status_of``).
        elapsed: seconds since the wait began.
        polls: polls so far, this one included.
        next_poll: seconds until the next poll; None when the wait is over.
    """

    job: JobResponseV3
    status: str
    elapsed: float
    polls: int
    next_poll: float | None

    @property
    def job_id(self) -> str:
        """The job's ID."""
        return self.job.id


ProgressCallback = Callable[[WaitProgress], object]
"""Called after every poll; for async_wait_for_job it may also be a coroutine function."""


def _waiting(
    client: AnyIQPClient,
    job_id: str,
    *,
    timeout: float | None = None,
    poll: float = DEFAULT_POLL,
    max_poll: float = DEFAULT_MAX_POLL,
    backoff: float = DEFAULT_BACKOFF,
    progress: ProgressCallback | None = None,
    raise_on_failure: bool = True,
    until: str | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] | None = None,
) -> Flow[JobResponseV3]:
    """Poll job ``job_id`` until it ends, and return it as last read.

    Args:
        client: a client from ``connect()``.
        job_id: the job to wait for.
        timeout: seconds to wait at most; None waits as long as the job takes.
        poll: seconds before the second poll (the first is immediate).
        max_poll: the longest gap between polls.
        backoff: how much each gap grows over the one before (1 for a fixed gap).
        progress: called with a WaitProgress after every poll.
        raise_on_failure: raise JobFailedError or JobCancelledError for a job that
            ended that way (the default); False returns it like a completed one.
        until: a status to stop at as well (e.g. ``"Running"``); a job that ends
            before reaching it is treated as above.
        clock: a monotonic clock in seconds.
        sleep: waits the given seconds (``time.sleep``, or ``asyncio.sleep`` when awaited).

    Raises:
        JobTimeoutError: the timeout passed first.
        JobFailedError, JobCancelledError: the job ended so (unless raise_on_failure=False).
        APIError: (a subclass of) for an error answering a poll, e.g. NotFoundError.
    """
    waiter = _Waiter(timeout, _Gaps(poll, max_poll, backoff), raise_on_failure, clock(), until)
    try:
        while True:
            job: JobResponseV3 = yield _GET(client, job_id, exclude_params=True)
            step = waiter.observe(job, clock())
            if progress is not None:
                yield _TELL(progress, step.progress)
            if step.error is not None:
                raise step.error
            if step.progress.next_poll is None:
                return job
            yield SLEEP(sleep, step.progress.next_poll)
    except KeyboardInterrupt as interrupt:
        raise _interrupted(job_id, waiter, interrupt) from None
    except asyncio.CancelledError:
        # Only an awaited wait is cancelled. Cancellation must stay what it is for asyncio;
        # the log names the job left running.
        _log.warning("stopped waiting for job %s (cancelled); the job goes on", job_id)
        raise


wait_for_job = blocking(_waiting, "wait_for_job")
async_wait_for_job = awaiting(
    _waiting,
    "async_wait_for_job",
    "``wait_for_job`` for async code; ``progress`` may be a plain or a coroutine function.",
)

_GET = namespace_call(lambda c: Jobs(c).get, lambda c: AsyncJobs(c).get)
# A plain call either way; the async driver awaits what a coroutine function returns.
_TELL = Io(lambda progress, told: progress(told))


def _interrupted(job_id: str, waiter: _Waiter, interrupt: KeyboardInterrupt) -> JobWaitInterrupted:
    if isinstance(interrupt, JobWaitInterrupted):
        return interrupt
    status = waiter.last_status
    seen = f" (last seen {status})" if status else ""
    return JobWaitInterrupted(
        f"Stopped waiting for job {job_id}{seen}; the job goes on. Cancel it with "
        f"cancel_job (iqp jobs cancel {job_id}), or wait for it again.",
        job_id=job_id,
        status=status,
    )


@dataclass(frozen=True)
class _Gaps:
    """The growing gaps between polls."""

    first: float
    largest: float
    factor: float

    def __post_init__(self) -> None:
        if not self.first > 0:
            raise ConfigError(
                f"poll should be a positive number of seconds, not {self.first!r}.",
                setting="poll",
                source=ConfigSource.ARGUMENT,
                problem="out_of_range",
            )
        if not self.largest >= self.first:
            raise ConfigError(
                f"max_poll ({self.largest!r}) should be at least poll ({self.first!r}).",
                setting="max_poll",
                source=ConfigSource.ARGUMENT,
                problem="out_of_range",
            )
        if not self.factor >= 1:
            raise ConfigError(
                f"backoff should be 1 or more (1: a fixed gap), not {self.factor!r}.",
                setting="backoff",
                source=ConfigSource.ARGUMENT,
                problem="out_of_range",
            )

    def after(self, polls: int) -> float:
        """The gap after poll number ``polls`` (1 for the first)."""
        exponent = min(polls - 1, 64)  # far past the cap already; keeps the power finite
        return min(self.largest, self.first * self.factor**exponent)


@dataclass(frozen=True)
class _Step:
    progress: WaitProgress
    error: JobError | None


class _Waiter:
    """Decides, after each poll, whether to stop, fail or poll again, and when."""

    def __init__(
        self,
        timeout: float | None,
        gaps: _Gaps,
        raise_on_failure: bool,
        started: float,
        until: str | None = None,
    ) -> None:
        self._until = until
        if timeout is not None and not timeout >= 0:
            raise ConfigError(
                f"timeout should be None or seconds (0 or more), not {timeout!r}.",
                setting="timeout",
                source=ConfigSource.ARGUMENT,
                problem="out_of_range",
            )
        self._deadline = None if timeout is None else started + timeout
        self._timeout = timeout
        self._gaps = gaps
        self._raise_on_failure = raise_on_failure
        self._started = started
        self._polls = 0
        self.last_status: str | None = None

    def observe(self, job: JobResponseV3, now: float) -> _Step:
        self._polls += 1
        status = status_of(job)
        self.last_status = status
        elapsed = now - self._started
        if status == self._until and status not in FINAL_STATUSES:
            return _Step(WaitProgress(job, status, elapsed, self._polls, None), None)
        if status in FINAL_STATUSES:
            done = WaitProgress(job, status, elapsed, self._polls, None)
            return _Step(done, self._outcome(job, status))
        gap = self._gaps.after(self._polls)
        if self._deadline is not None:
            left = self._deadline - now
            if left <= 0:
                timed_out = WaitProgress(job, status, elapsed, self._polls, None)
                return _Step(timed_out, self._timed_out(job, status, elapsed))
            gap = min(gap, left)
        return _Step(WaitProgress(job, status, elapsed, self._polls, gap), None)

    def _outcome(self, job: JobResponseV3, status: str) -> JobError | None:
        if status == COMPLETED or not self._raise_on_failure:
            return None
        reason = reason_of(job)
        said = f": {reason.rstrip('.')}" if reason else ""
        error: type[JobError]
        if status == FAILED:
            error, message = JobFailedError, f"Job {job.id} failed{said}."
        else:
            # job.status says "Cancelled - Ran too long" where state.status says "Cancelled".
            error, message = JobCancelledError, f"Job {job.id} ended {job.status.value}{said}."
        return error(
            message,
            job_id=job.id,
            job=job,
            status=status,
            reason=reason,
            reason_code=reason_code_of(job),
        )

    def _timed_out(self, job: JobResponseV3, status: str, elapsed: float) -> JobTimeoutError:
        return JobTimeoutError(
            f"Job {job.id} is still {status} after {elapsed:.1f}s ({self._polls} polls; "
            f"timeout={self._timeout:g}s). It goes on: wait again, or cancel it.",
            job_id=job.id,
            job=job,
            status=status,
            reason=reason_of(job),
            reason_code=reason_code_of(job),
        )
