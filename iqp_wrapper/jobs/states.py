"""Where a job stands: its status as one string, and whether it has ended."""

from __future__ import annotations

from iqp_api.models.job_response_v3 import JobResponseV3
from iqp_api.types import Unset

COMPLETED = "Completed"
FAILED = "Failed"
CANCELLED = "Cancelled"
QUEUED = "Queued"
RUNNING = "Running"
FINAL_STATUSES = frozenset({COMPLETED, FAILED, CANCELLED})
"""The statuses a job never leaves. A status the API adds later counts as not final."""


def status_of(job: JobResponseV3) -> str:
    """The job's status: ``Queued``, ``Running``, ``Completed``, ``Failed``, ``Cancelled``,
    or a value the API added since this client was generated.

    Read from ``state.status``, which has no ``Cancelled - Ran too long`` variant: that
    is ``Cancelled`` here, with the detail in ``state.reason``.
    """
    return job.state.status.value


def is_final(job: JobResponseV3) -> bool:
    """True once the job has ended, one way or another."""
    return status_of(job) in FINAL_STATUSES


def reason_of(job: JobResponseV3) -> str | None:
    """Why the job is where it is, when the API says (failures and cancellations)."""
    reason = job.state.reason
    return None if isinstance(reason, Unset) or not reason else reason


def reason_code_of(job: JobResponseV3) -> int | None:
    """The numeric code of that reason, if any."""
    code = job.state.reason_code
    return None if isinstance(code, Unset) else code
