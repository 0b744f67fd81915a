"""What a leaner ``from_dict`` template would buy on the 200-job list (an experiment).

    .venv/bin/python -m benchmarks.parse_variants

The generated ``JobsResponse.from_dict`` costs about 3.4x ``json.loads`` here (target: 3x).
This module parses the same page into attrs classes of the same shape, written the way
a leaner template would generate them, and checks the values match the generated
models'. The differences, each a template change (openapi/templates):
- str_enum.py.jinja ``from_value``: a classmethod call and a runtime ``typing.cast``
  per enum value; here a plain lookup in the members map, the constructor only for an
  unknown value;
- model.py.jinja ``from_dict``: no ``dict(src_dict)`` copy and ``pop`` per field, no
  ``additional_properties`` factory dict that is thrown away; ``get`` per field, unknown
  keys collected only when the payload has some, positional constructor arguments;
- list_property.py.jinja: no runtime ``cast()`` call.
Not used by run.py; delete it once the templates generate code like this.
"""

from __future__ import annotations

import datetime
import json
import sys
import timeit
from typing import Any

from attrs import define, field

from benchmarks.payloads import build
from iqp_api.models import BillingStatus, JobsResponse, JobStateStatus, JobStatus, Params
from iqp_api.types import UNSET

_JOB_STATUS: dict[Any, Any] = JobStatus._value2member_map_
_STATE_STATUS: dict[Any, Any] = JobStateStatus._value2member_map_
_BILLING: dict[Any, Any] = BillingStatus._value2member_map_
_from_iso = datetime.datetime.fromisoformat


def _extra(d: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    return {} if known.issuperset(d) else {k: v for k, v in d.items() if k not in known}


@define
class State:
    status: Any
    reason: Any = UNSET
    reason_code: Any = UNSET
    reason_solution: Any = UNSET
    additional_properties: dict[str, Any] = field(factory=dict, kw_only=True)


_STATE = frozenset(("status", "reason", "reason_code", "reason_solution"))


def state(d: dict[str, Any]) -> State:
    s = d["status"]
    member = _STATE_STATUS.get(s)
    return State(
        JobStateStatus(s) if member is None else member,
        d.get("reason", UNSET),
        d.get("reason_code", UNSET),
        d.get("reason_solution", UNSET),
        additional_properties=_extra(d, _STATE),
    )


@define
class Usage:
    qpu_charge_time_seconds: Any = UNSET
    status: Any = UNSET
    additional_properties: dict[str, Any] = field(factory=dict, kw_only=True)


_USAGE = frozenset(("qpu_charge_time_seconds", "status"))


def usage(d: dict[str, Any]) -> Usage:
    s = d.get("status", UNSET)
    member = None if s is UNSET else _BILLING.get(s)
    status = UNSET if s is UNSET else BillingStatus(s) if member is None else member
    return Usage(d.get("qpu_charge_time_seconds", UNSET), status, additional_properties=_extra(d, _USAGE))


@define
class Program:
    id: Any
    additional_properties: dict[str, Any] = field(factory=dict, kw_only=True)


@define
class Job:
    id: Any
    state: Any
    status: Any
    program: Any
    created: Any
    cost: Any
    backend: Any = UNSET
    params: Any = UNSET
    runtime: Any = UNSET
    tags: Any = UNSET
    remote_storage: Any = UNSET
    session_id: Any = UNSET
    user_id: Any = UNSET
    usage: Any = UNSET
    private: Any = UNSET
    estimated_running_time_seconds: Any = UNSET
    calibration_id: Any = UNSET
    additional_properties: dict[str, Any] = field(factory=dict, kw_only=True)


_JOB = frozenset(a.name for a in Job.__attrs_attrs__ if a.name != "additional_properties")


def job(d: dict[str, Any]) -> Job:
    get = d.get
    s, p, u = d["status"], get("params", UNSET), get("usage", UNSET)
    member = _JOB_STATUS.get(s)
    program = d["program"]
    return Job(
        d["id"],
        state(d["state"]),
        JobStatus(s) if member is None else member,
        Program(program["id"], additional_properties=_extra(program, frozenset(("id",)))),
        _from_iso(d["created"].replace("Z", "+00:00")),
        d["cost"],
        get("backend", UNSET),
        UNSET if p is UNSET else Params.from_dict(p),
        get("runtime", UNSET),
        get("tags", UNSET),
        UNSET,  # remote_storage: absent from these payloads
        get("session_id", UNSET),
        get("user_id", UNSET),
        UNSET if u is UNSET else usage(u),
        get("private", UNSET),
        get("estimated_running_time_seconds", UNSET),
        get("calibration_id", UNSET),
        additional_properties=_extra(d, _JOB),
    )


def main() -> int:
    body = build().jobs.encode()
    generated = JobsResponse.from_dict(json.loads(body)).jobs
    lean = [job(item) for item in json.loads(body)["jobs"]]
    for ours, theirs in zip(lean, generated, strict=True):
        assert (ours.id, ours.status, ours.state.status, ours.created, ours.tags) == (
            theirs.id,
            theirs.status,
            theirs.state.status,
            theirs.created,
            theirs.tags,
        )
        assert ours.usage.status == theirs.usage.status  # type: ignore[union-attr]

    def best(call: Any) -> float:
        return min(timeit.repeat(call, number=30, repeat=25)) / 30

    loads = best(lambda: json.loads(body))
    current = best(lambda: JobsResponse.from_dict(json.loads(body)))
    leaner = best(lambda: [job(item) for item in json.loads(body)["jobs"]])
    print(f"json.loads             {loads * 1e6:7.0f} µs")
    print(f"generated from_dict    {current * 1e6:7.0f} µs  {current / loads:.2f}x json.loads")
    print(f"leaner from_dict       {leaner * 1e6:7.0f} µs  {leaner / loads:.2f}x json.loads")
    return 0


if __name__ == "__main__":
    sys.exit(main())
