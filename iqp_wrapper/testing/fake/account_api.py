"""Handlers of the account-level operations: workloads, usage analytics, the account's
plans and the instance configuration.

Figures are derived from the fake's own jobs and sessions, so they agree with what the
job operations show: a workload is a session or batch, or a job run on its own; usage is
the quantum seconds the jobs were charged.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from iqp_wrapper.testing.fake.clock import iso_millis, parse_instant
from iqp_wrapper.testing.fake.context import Call, Handler
from iqp_wrapper.testing.fake.errors import bad_request, not_found
from iqp_wrapper.testing.fake.state import Job
from iqp_wrapper.testing.fake.wire import Response, empty_response, json_response

_JOB_STATUS = {
    "Queued": "pending",
    "Running": "in_progress",
    "Completed": "completed",
    "Cancelled": "canceled",
    "Failed": "failed",
}
_GROUPS = ("backend", "instance", "user", "plan")
WORKLOADS_LIMIT = 10


def list_workloads(call: Call) -> Response:
    """GET /v1/workloads: sessions, batches and standalone jobs, newest first."""
    items = _workloads(call)
    for name in ("backend", "status", "mode"):
        wanted = call.request.param(name)
        if wanted:
            items = [w for w in items if w[name] == wanted]
    if (call.request.param("sort") or "").lstrip("-").lower() == "created" and not (
        call.request.param("sort") or ""
    ).startswith("-"):
        items.reverse()
    limit = _limit(call)
    return json_response(200, {"workloads": items[:limit], "total_count": len(items), "limit": limit})


def get_usage_analytics(call: Call) -> Response:
    """GET /v1/analytics/usage: totals over the instance's jobs."""
    return json_response(200, _figures(call, _jobs(call)))


def get_usage_analytics_grouped(call: Call) -> Response:
    """GET /v1/analytics/usage_grouped?group_by=..."""
    groups = _grouped(call, _jobs(call))
    return json_response(
        200, {"data": [{"key": key, **_figures(call, jobs)} for key, jobs in groups.items()]}
    )


def get_usage_analytics_grouped_by_date(call: Call) -> Response:
    """GET /v1/analytics/usage_grouped_by_date?group_by=...: one entry per group and day."""
    jobs = _jobs(call)
    data = []
    for key, grouped in _grouped(call, jobs).items():
        by_day: dict[str, list[Job]] = defaultdict(list)
        for job in grouped:
            by_day[_day(job.created)].append(job)
        for day, day_jobs in sorted(by_day.items()):
            start = datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp()
            interval = {"interval_start": iso_millis(start), "interval_end": iso_millis(start + 86_400)}
            data.append({"key": key, **interval, **_figures(call, day_jobs)})
    start = min((job.created for job in jobs), default=call.now)
    return json_response(
        200, {"interval_start": iso_millis(start), "interval_end": iso_millis(call.now), "data": data}
    )


def get_analytics_filters(call: Call) -> Response:
    """GET /v1/analytics/filters: the values the analytics can be filtered by."""
    world = call.world
    users = sorted({job.user_id for job in world.jobs.values()} | {call.user})
    return json_response(
        200,
        {
            "backends": [{"name": name} for name in sorted(world.backends)],
            "instances": [{"id": call.crn, "deleted": False}],
            "users": [{"id": user} for user in users],
            "plans": [{"name": world.plan.plan_id}],
            "subscriptions": [],
        },
    )


def get_account(call: Call) -> Response:
    """GET /v1/accounts/{id}: the plans of the account that owns the instance."""
    if call.id != _account_of(call.crn):
        raise not_found("account_not_found", f"Account {call.id} was not found.")
    plan = call.world.plan
    entry: dict[str, Any] = {
        "plan_id": plan.plan_id,
        "subscription_id": f"{plan.plan_id}-subscription",
        "subscription_name": "Fake subscription",
        "backends": sorted(call.world.backends),
    }
    if plan.limit_seconds is not None:
        entry["usage_limit_seconds"] = int(plan.limit_seconds)
    if plan.allocation_seconds is not None:
        entry["usage_allocation_seconds"] = int(plan.allocation_seconds)
        entry["unallocated_usage_seconds"] = 0
    return json_response(200, {"plans": [entry]})


def get_instance_configuration(call: Call) -> Response:
    """GET /v1/instances/configuration."""
    limit = call.world.plan.limit_seconds
    return json_response(200, {} if limit is None else {"instance_limit": float(limit)})


def replace_instance_configuration(call: Call) -> Response:
    """PUT /v1/instances/configuration: set the instance's usage limit (seconds)."""
    body = call.json_object()
    limit = body.get("instance_limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise bad_request("instance_limit must be a whole number of seconds, 0 or more.")
    call.world.plan = dataclasses.replace(
        call.world.plan, limit_seconds=None if limit is None else float(limit)
    )
    return empty_response(204)


def _account_of(crn: str) -> str:
    fields = crn.split(":")
    return fields[6][2:] if len(fields) > 6 and fields[6].startswith("a/") else ""


def _limit(call: Call) -> int:
    text = call.request.param("limit")
    if text is None:
        return WORKLOADS_LIMIT
    if not text.isdigit() or not 1 <= int(text) <= 100:
        raise bad_request("limit must be a whole number from 1 to 100.")
    return int(text)


def _workloads(call: Call) -> list[dict[str, Any]]:
    world, now = call.world, call.now
    found: list[tuple[float, dict[str, Any]]] = []
    for session in world.sessions.values():
        jobs = [job for job in world.jobs.values() if job.session_id == session.id]
        closed = session.closed_time(now)
        entry: dict[str, Any] = {
            "id": session.id,
            "created": iso_millis(session.started),
            "backend": session.backend or "",
            "instance": call.crn,
            "user_id": session.user_id,
            "accepting_jobs": session.accepting and closed is None,
            "mode": "batch" if session.mode == "batch" else "session",
            "status": "completed" if closed is not None else ("in_progress" if jobs else "pending"),
            "tags": [],
            "usage": {"qpu_charge_time_seconds": round(sum(job.charged(now) for job in jobs), 3)},
        }
        if closed is not None:
            entry["ended"] = iso_millis(closed)
        found.append((session.started, entry))
    for job in world.jobs.values():
        if job.session_id is not None:
            continue
        status = job.status(now)
        entry = {
            "id": job.id,
            "created": iso_millis(job.created),
            "backend": job.backend,
            "instance": call.crn,
            "user_id": job.user_id,
            "mode": "job",
            "status": _JOB_STATUS.get(status, "pending"),
            "tags": list(job.tags),
            "usage": {"qpu_charge_time_seconds": round(job.charged(now), 3)},
        }
        finished = job.finished_at(now)
        if finished is not None:
            entry["ended"] = iso_millis(finished)
        found.append((job.created, entry))
    return [entry for _when, entry in sorted(found, key=lambda pair: pair[0], reverse=True)]


def _jobs(call: Call) -> list[Job]:
    start = parse_instant(call.request.param("interval_start") or "")
    end = parse_instant(call.request.param("interval_end") or "")
    backend = call.request.param("backend")
    return [
        job
        for job in call.world.jobs.values()
        if (start is None or job.created >= start)
        and (end is None or job.created < end)
        and (backend is None or job.backend == backend)
    ]


def _grouped(call: Call, jobs: Iterable[Job]) -> dict[str, list[Job]]:
    group_by = call.request.param("group_by")
    if group_by not in _GROUPS:
        raise bad_request(f"group_by must be one of {', '.join(_GROUPS)}.")
    groups: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        key = {
            "backend": job.backend,
            "instance": call.crn,
            "user": job.user_id,
            "plan": call.world.plan.plan_id,
        }[group_by]
        groups[key].append(job)
    return dict(sorted(groups.items()))


def _figures(call: Call, jobs: list[Job]) -> dict[str, float]:
    now, sessions = call.now, call.world.sessions
    usage = [job.charged(now) for job in jobs]
    queued = [max(0.0, (job.started_at(now) or now) - job.created) for job in jobs]
    figures: dict[str, float] = {"usage": round(sum(usage), 3), "jobs": len(jobs)}
    kinds = {
        "individual_jobs": [job for job in jobs if job.session_id is None],
        "batch_sessions": [
            job for job in jobs if job.session_id and sessions[job.session_id].mode == "batch"
        ],
        "dedicated_sessions": [
            job for job in jobs if job.session_id and sessions[job.session_id].mode != "batch"
        ],
    }
    kinds["sessions"] = kinds["batch_sessions"] + kinds["dedicated_sessions"]
    for kind, members in kinds.items():
        spent = (
            _per_workload(members, now) if kind != "individual_jobs" else [j.charged(now) for j in members]
        )
        figures[kind] = len(spent)
        figures[f"{kind}_usage"] = round(sum(spent), 3)
        figures[f"avg_{kind}_usage"] = round(sum(spent) / len(spent), 3) if spent else 0.0
        figures[f"max_{kind}_usage"] = round(max(spent, default=0.0), 3)
    figures["queue_time"] = round(sum(queued), 3)
    figures["avg_queue_time"] = round(sum(queued) / len(queued), 3) if queued else 0.0
    figures["max_queue_time"] = round(max(queued, default=0.0), 3)
    return figures


def _per_workload(jobs: list[Job], now: float) -> list[float]:
    per: dict[str, float] = defaultdict(float)
    for job in jobs:
        per[job.session_id or job.id] += job.charged(now)
    return list(per.values())


def _day(when: float) -> str:
    return datetime.fromtimestamp(when, tz=timezone.utc).date().isoformat()


HANDLERS: dict[str, Handler] = {
    "list_workloads": list_workloads,
    "get_usage_analytics": get_usage_analytics,
    "get_usage_analytics_grouped": get_usage_analytics_grouped,
    "get_usage_analytics_grouped_by_date": get_usage_analytics_grouped_by_date,
    "get_analytics_filters": get_analytics_filters,
    "get_account": get_account,
    "get_instance_configuration": get_instance_configuration,
    "replace_instance_configuration": replace_instance_configuration,
}
