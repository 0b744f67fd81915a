"""The least any parse into the generated models can cost: the same objects, no checks.

``JobsResponse.from_dict`` checks what it reads (an object where one is due, a string id,
unknown keys kept, other mappings accepted) and goes through one ``from_dict`` per model.
``unchecked_page`` builds the very same ``JobsResponse`` from the benchmark's 200-job page
in one function, reading each key it knows is there and nothing else. Timed beside the
generated parse, it shows how much of the cost is the objects themselves (attrs instances,
datetimes, and the garbage collector's work on them) and how much is the checking. It is
not a parser: it knows the page's shape, and ``check`` makes sure it still builds what the
generated parse builds.
"""

from __future__ import annotations

from typing import Any

from iqp_api.models import (
    BillingStatus,
    JobResponseV3,
    JobsResponse,
    JobState,
    JobStateStatus,
    JobStatus,
    Program,
    UsageV3,
)
from iqp_api.types import UNSET, parse_datetime

_STATUS = dict(JobStatus._value2member_map_)
_STATE = dict(JobStateStatus._value2member_map_)
_BILLING = dict(BillingStatus._value2member_map_)


def _job(d: dict[str, Any]) -> JobResponseV3:
    get = d.get
    state, usage = d["state"], d["usage"]
    return JobResponseV3(
        d["id"],
        JobState(_STATE[state["status"]]),
        _STATUS[d["status"]],
        Program(d["program"]["id"]),
        parse_datetime(d["created"]),
        d["cost"],
        d["backend"],
        UNSET,
        UNSET,
        d["tags"],
        UNSET,
        get("session_id", UNSET),
        d["user_id"],
        UsageV3(usage["qpu_charge_time_seconds"], _BILLING[usage["status"]]),
        UNSET,
        d["estimated_running_time_seconds"],
        d["calibration_id"],
    )


def unchecked_page(d: dict[str, Any]) -> JobsResponse:
    """The benchmark page as ``JobsResponse``, built with no checks."""
    return JobsResponse([_job(job) for job in d["jobs"]], d["offset"], d["limit"], d["count"])


def check(d: dict[str, Any]) -> None:
    """Fail if the page or the models changed so that this no longer builds the same thing."""
    if unchecked_page(d) != JobsResponse.from_dict(d):
        raise AssertionError("the unchecked build no longer matches JobsResponse.from_dict")
