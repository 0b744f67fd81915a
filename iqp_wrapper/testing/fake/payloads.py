"""Response bodies about jobs, sessions and the instance, shaped as our OpenAPI document says.

Pure functions of the world at a given time; the handlers decide which to send when.
"""

from __future__ import annotations

import base64
import random
import re
from datetime import datetime, timezone
from typing import Any

from iqp_wrapper.testing.fake.clock import iso_millis
from iqp_wrapper.testing.fake.executor_results import executor_result
from iqp_wrapper.testing.fake.noise_learner_results import noise_learner_result
from iqp_wrapper.testing.fake.primitive_results import primitive_result
from iqp_wrapper.testing.fake.state import Job, Session, SessionState, World

EXECUTOR_PROGRAMS = frozenset({"executor"})
NOISE_LEARNER_PROGRAM = "noise-learner"
_QISKIT_CALLER = re.compile(r"^qiskit(?:-ibm-runtime)?/v?(\d+(?:\.\d+)*)")


def job_body(job: Job, now: float, *, include_params: bool) -> dict[str, Any]:
    """JobResponseV3: one job as GET /v1/jobs/{id} and the jobs list show it."""
    status = job.status(now)
    state: dict[str, Any] = {"status": status}
    shown_status: str = status
    if status == "Failed":
        state["reason"] = job.plan.reason or "The job failed while running (as the fake was told)."
    elif job.ran_too_long(now):
        shown_status = "Cancelled - Ran too long"
        state["reason"] = job.plan.reason or "Ran too long: stopped after its maximum execution time."
    elif status == "Cancelled":
        state["reason"] = "Cancelled on request."
    if status in ("Failed", "Cancelled") and job.plan.reason_code is not None and job.cancelled_at is None:
        state["reason_code"] = job.plan.reason_code
    body: dict[str, Any] = {
        "id": job.id,
        "backend": job.backend,
        "state": state,
        "status": shown_status,
        "program": {"id": job.program_id},
        "created": iso_millis(job.created),
        "cost": job.cost,
        "tags": list(job.tags),
        "user_id": job.user_id,
        "usage": usage(job, now),
        "estimated_running_time_seconds": job.plan.running_seconds,
        "calibration_id": job.calibration_id,
    }
    if job.session_id is not None:
        body["session_id"] = job.session_id
    if job.runtime is not None:
        body["runtime"] = job.runtime
    if job.private:
        body["private"] = True
    elif include_params and job.params is not None:
        body["params"] = job.params
    return body


def usage(job: Job, now: float) -> dict[str, Any]:
    """UsageV3: seconds charged so far, final once the job has ended."""
    return {
        "qpu_charge_time_seconds": round(job.charged(now), 3),
        "status": "complete" if job.is_final(now) else "pending",
    }


def created_body(job: Job) -> dict[str, Any]:
    """JobCreateResponse."""
    body: dict[str, Any] = {"id": job.id, "backend": job.backend, "calibration_id": job.calibration_id}
    if job.session_id is not None:
        body["session_id"] = job.session_id
    if job.private:
        body["private"] = True
    return body


def metrics_body(job: Job, now: float) -> dict[str, Any]:
    """JobMetricsResponse: timestamps and figures filled in as the job progresses."""
    timestamps = {"created": iso_millis(job.created)}
    started, finished = job.started_at(now), job.finished_at(now)
    if started is not None:
        timestamps["running"] = iso_millis(started)
    if finished is not None:
        timestamps["finished"] = iso_millis(finished)
    body: dict[str, Any] = {"timestamps": timestamps, "usage": usage(job, now)}
    if job.is_final(now) and started is not None:
        # Most of the charged time is spent executing circuits.
        body["circuits_execution_time_ns"] = int(job.charged(now) * 0.8e9)
    if job.caller is not None:
        body["caller"] = job.caller
        found = _QISKIT_CALLER.match(job.caller)
        if found is not None:
            body["qiskit_version"] = found.group(1)
    return body


def logs_text(job: Job, now: float) -> str:
    """What the job logged so far, one line per event."""
    lines = [f"{iso_millis(job.created)} INFO job {job.id}: {job.program_id} queued on {job.backend}"]
    started, finished = job.started_at(now), job.finished_at(now)
    if started is not None:
        lines.append(f"{iso_millis(started)} INFO job {job.id}: running")
    if finished is not None:
        status = job.status(now)
        level = {"Completed": "INFO", "Failed": "ERROR"}.get(status, "WARNING")
        lines.append(f"{iso_millis(finished)} {level} job {job.id}: {status.lower()}")
    return "\n".join(lines) + "\n"


def results_body(job: Job) -> Any:
    """JobResults: for the executor, a result of the submitted schema version shaped by the
    submitted program (executor_results); for noise-learner, a NoiseLearnerV3 result of its
    version (noise_learner_results); for Sampler and Estimator, a JSON object shaped by the
    job's PUBs (primitive_results). A job whose params the fake cannot read (it takes jobs
    without params) gets a fixed result: an executor v0.2 one, or a Bell pair's Sampler
    result. Deterministic for a given job ID."""
    rng = random.Random(job.id)
    params_given = job.params if isinstance(job.params, dict) else {}
    if job.program_id in EXECUTOR_PROGRAMS:
        try:
            return executor_result(params_given, job.id, job.starts, job.ends)
        except ValueError:
            return _executor_result(job, rng)
    if job.program_id == NOISE_LEARNER_PROGRAM:
        try:
            return noise_learner_result(params_given)
        except ValueError:  # instructions it cannot read: no learned layers, never a Sampler result
            return {"schema_version": params_given.get("schema_version", "v0.3"), "data": []}
    params = job.params if isinstance(job.params, dict) else {}
    if not params.get("pubs"):
        params = {**params, "pubs": [[_BELL]]}
    return primitive_result(job.program_id, params, job.id)


_BELL = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nh $0;\ncx $0, $1;\nmeas = measure $[0:1];\n'


def _executor_result(job: Job, rng: random.Random) -> dict[str, Any]:
    shots = 16
    samples = bytes(rng.choice((0, 3)) for _ in range(shots))
    return {
        "schema_version": "v0.2",
        "data": [
            {
                "results": {
                    "meas": {
                        "data": base64.b64encode(samples).decode("ascii"),
                        "shape": [shots, 1],
                        "dtype": "u8",
                    }
                },
                "metadata": {"scheduler_timing": {"timing": "", "circuit_duration": 1200}},
            }
        ],
        "metadata": {
            "chunk_timing": [
                {
                    "start": iso_millis(job.starts),
                    "stop": iso_millis(job.ends),
                    "parts": [{"idx_item": 0, "size": 1}],
                }
            ]
        },
    }


def session_body(session: Session, world: World, now: float) -> dict[str, Any]:
    """JobSession: a session or batch as it stands at ``now``."""
    jobs = world.session_jobs(session.id)
    starts = sorted(t for t in (job.started_at(now) for job in jobs) if t is not None)
    ends = sorted(t for t in (job.finished_at(now) for job in jobs) if t is not None and t <= now)
    closed = session.closed_time(now)
    state: SessionState
    if closed is not None:
        state = "closed"
    elif any(job.status(now) == "Running" for job in jobs) or (
        starts and any(job.status(now) == "Queued" for job in jobs)
    ):
        state = "active"
    elif starts:
        state = "inactive"
    else:
        state = "open"
    timeline: list[dict[str, Any]] = [{"status": "open", "timestamp": iso_millis(session.started)}]
    if starts:
        timeline.append({"status": "active", "timestamp": iso_millis(starts[0])})
    if state == "inactive" and ends:
        timeline.append({"status": "inactive", "timestamp": iso_millis(ends[-1])})
    body: dict[str, Any] = {
        "id": session.id,
        "backend_name": session.backend,
        "mode": session.mode,
        "state": state,
        "accepting_jobs": session.accepting and closed is None,
        "max_ttl": session.max_ttl,
        "started_at": iso_millis(session.started),
        "timestamps": timeline,
        "user_id": session.user_id,
        "elapsed_time": round(sum(job.charged(now) for job in jobs), 3),
    }
    if session.interactive_ttl is not None:
        body["interactive_ttl"] = session.interactive_ttl
    if starts:
        body["activated_at"] = iso_millis(starts[0])
        body["last_job_started"] = iso_millis(starts[-1])
    if ends:
        body["last_job_completed"] = iso_millis(ends[-1])
    if closed is not None:
        body["closed_at"] = iso_millis(closed)
        timeline.append({"status": "closed", "timestamp": iso_millis(closed)})
        expired = session.closed_at is None or session.closed_at > closed
        body["state_reason"] = "Reached its max_ttl." if expired else "Closed on request."
    return body


def usage_body(world: World, crn: str, now: float) -> dict[str, Any]:
    """GetUsageResponse: the instance's usage in the current (calendar month) period."""
    moment = datetime.fromtimestamp(now, tz=timezone.utc)
    start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    body: dict[str, Any] = {
        "instance_id": crn,
        "plan_id": world.plan.plan_id,
        "usage_period": {
            "start_time": iso_millis(start.timestamp()),
            "end_time": iso_millis(end.timestamp()),
        },
        "usage_consumed_seconds": round(world.consumed(now), 3),
    }
    if world.plan.limit_seconds is not None:
        body["usage_limit_seconds"] = world.plan.limit_seconds
        body["usage_limit_reached"] = world.limit_reached(now)
    if world.plan.allocation_seconds is not None:
        body["usage_allocation_seconds"] = world.plan.allocation_seconds
    return body


def instance_body(world: World) -> dict[str, Any]:
    """Instance: plan, usable backends and limits (numeric strings, as the API sends them)."""
    body: dict[str, Any] = {"backends": sorted(world.backends), "plan_id": world.plan.plan_id}
    if world.plan.limit_seconds is not None:
        body["instance_limit_seconds"] = str(int(world.plan.limit_seconds))
    if world.plan.allocation_seconds is not None:
        body["usage_allocation_seconds"] = str(int(world.plan.allocation_seconds))
    return body
