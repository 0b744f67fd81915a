"""Handlers of the job operations: create, list, get, delete, results, logs, cancel,
metrics, tags, and the tag search.

Choices where the document is silent, so callers can rely on them:
- results: 204 while Queued or Running; 404 ``results_not_available`` for a Failed or
  Cancelled job, and for a private job's result once it has been read;
- delete: 400 ``job_not_final`` while the job is Queued or Running (the document says only
  final jobs can be deleted);
- create: 404 for an unknown backend or session, 409 when the usage limit is reached or
  the session takes no more jobs;
- invalid bodies get 400, even where the operation does not list 400.
"""

from __future__ import annotations

from typing import Any

from iqp_wrapper.testing.fake import payloads
from iqp_wrapper.testing.fake.clock import parse_instant
from iqp_wrapper.testing.fake.context import Call, Handler
from iqp_wrapper.testing.fake.errors import bad_request, conflict, not_found
from iqp_wrapper.testing.fake.params_check import check_params
from iqp_wrapper.testing.fake.result_forms import result_response
from iqp_wrapper.testing.fake.schedule import JobPlan, JobSpec, tagged_plan
from iqp_wrapper.testing.fake.state import Job
from iqp_wrapper.testing.fake.wire import Response, empty_response, json_response, text_response

MAX_TAGS = 8
MAX_TAG_LENGTH = 86
MAX_COST = 10_800
DEFAULT_COST = 600
PAGE_LIMIT = 200


def create_job(call: Call) -> Response:
    """POST /v1/jobs."""
    world, now = call.world, call.now
    body = call.json_object()
    program_id = _required(body, "program_id")
    backend_name = _required(body, "backend")
    if backend_name not in world.backends:
        raise not_found("backend_not_found", f"Backend {backend_name} is not available to this instance.")
    tags = check_tags(body.get("tags", []))
    try:
        tagged_plan(JobPlan(), tuple(tags))
    except ValueError as error:
        raise bad_request(str(error), "invalid_tags") from None
    params = body.get("params")
    if params is not None and not isinstance(params, dict):
        raise bad_request("params must be a JSON object.")
    if params is not None:
        check_params(program_id, params, world.backends[backend_name])
    private = body.get("private", False)
    if not isinstance(private, bool):
        raise bad_request("private must be true or false.")
    cost = body.get("cost", DEFAULT_COST)
    if isinstance(cost, bool) or not isinstance(cost, int) or not 0 <= cost <= MAX_COST:
        raise bad_request(f"cost must be a whole number of seconds from 0 to {MAX_COST}.")
    if world.limit_reached(now):
        raise conflict(
            "usage_limit_reached",
            "The instance has used all the time its plan allows in this period; no new jobs are accepted.",
        )
    session_id = _optional(body, "session_id")
    if session_id is not None:
        session = world.sessions.get(session_id)
        if session is None:
            raise not_found("session_not_found", f"Session {session_id} was not found in this instance.")
        if session.closed_time(now) is not None or not session.accepting:
            raise conflict("session_not_accepting_jobs", f"Session {session_id} does not accept new jobs.")
        if session.backend is None:
            session.backend = backend_name
        elif session.backend != backend_name:
            raise bad_request(f"Session {session_id} runs on {session.backend}, not on {backend_name}.")
    job = world.add_job(
        now,
        JobSpec(program_id=program_id, backend=backend_name, session_id=session_id, tags=tuple(tags)),
        user_id=call.user,
        params=params,
        private=private,
        runtime=_optional(body, "runtime"),
        cost=cost,
        calibration_id=f"{backend_name}-{int(now // 3600)}",
        caller=call.request.header("x-qx-client-application"),
    )
    return json_response(200, payloads.created_body(job))


def list_jobs(call: Call) -> Response:
    """GET /v1/jobs: filters, newest first (or ASC), limit/offset paging."""
    request, now = call.request, call.now
    limit = _int_param(call, "limit", PAGE_LIMIT, low=1, high=PAGE_LIMIT)
    offset = _int_param(call, "offset", 0, low=0, high=2**31 - 1)
    jobs = [job for job in call.world.jobs.values() if _selected(job, call)]
    if (request.param("sort") or "DESC").upper() != "ASC":
        jobs.reverse()
    include_params = not call.flag("exclude_params", True)
    page = [
        payloads.job_body(job, now, include_params=include_params) for job in jobs[offset : offset + limit]
    ]
    return json_response(200, {"jobs": page, "count": len(jobs), "offset": offset, "limit": limit})


def _selected(job: Job, call: Call) -> bool:
    request, now = call.request, call.now
    pending = (request.param("pending") or "").strip().lower()
    if pending in ("true", "false") and (pending == "true") == job.is_final(now):
        return False
    for name, value in (
        ("program", job.program_id),
        ("backend", job.backend),
        ("session_id", job.session_id),
    ):
        wanted = request.param(name)
        if wanted is not None and wanted != value:
            return False
    after = parse_instant(request.param("created_after") or "")
    before = parse_instant(request.param("created_before") or "")
    if (after is not None and job.created <= after) or (before is not None and job.created >= before):
        return False
    wanted_tags = [tag for value in request.params("tags") for tag in value.split(",") if tag]
    return all(tag in job.tags for tag in wanted_tags)


def get_job(call: Call) -> Response:
    """GET /v1/jobs/{id}."""
    include_params = not call.flag("exclude_params", False)
    return json_response(200, payloads.job_body(call.job(), call.now, include_params=include_params))


def delete_job(call: Call) -> Response:
    """DELETE /v1/jobs/{id}: only jobs that have ended."""
    job = call.job()
    if not job.is_final(call.now):
        raise bad_request(
            f"Job {job.id} is {job.status(call.now)}; only a Completed, Cancelled or Failed job can "
            "be deleted: cancel it first.",
            "job_not_final",
        )
    del call.world.jobs[job.id]
    return empty_response()


def get_job_results(call: Call) -> Response:
    """GET /v1/jobs/{id}/results."""
    job = call.job()
    status = job.status(call.now)
    if status in ("Queued", "Running"):
        return empty_response()
    if status != "Completed":
        raise not_found("results_not_available", f"Job {job.id} ended {status} and has no results.")
    if job.private and job.results_taken:
        raise not_found("results_not_available", f"Private job {job.id}'s results were already read.")
    job.results_taken = True
    return result_response(payloads.results_body(job), call.world.result_body_form)


def get_job_logs(call: Call) -> Response:
    """GET /v1/jobs/{id}/logs (text/plain)."""
    return text_response(200, payloads.logs_text(call.job(), call.now))


def cancel_job(call: Call) -> Response:
    """POST /v1/jobs/{id}/cancel: 409 once the job has ended."""
    job = call.job()
    if job.is_final(call.now):
        raise conflict("job_already_final", f"Job {job.id} already ended ({job.status(call.now)}).")
    job.cancelled_at = call.now
    return empty_response()


def get_job_metrics(call: Call) -> Response:
    """GET /v1/jobs/{id}/metrics."""
    return json_response(200, payloads.metrics_body(call.job(), call.now))


def replace_job_tags(call: Call) -> Response:
    """PUT /v1/jobs/{id}/tags."""
    job = call.job()
    body = call.json_object()
    if "tags" not in body:
        raise bad_request("The body needs a tags list.")
    job.tags = check_tags(body["tags"])
    return empty_response()


def list_tags(call: Call) -> Response:
    """GET /v1/tags?type=job&search=...: job tags containing the search text."""
    kind = call.request.param("type") or "job"
    if kind != "job":
        raise bad_request("type must be 'job'.")
    search = (call.request.param("search") or "").lower()
    if not 3 <= len(search) <= 100:
        raise bad_request("search must be 3 to 100 characters long.")
    found = {tag for job in call.world.jobs.values() for tag in job.tags if search in tag.lower()}
    return json_response(200, {"tags": sorted(found)[:MAX_TAGS]})


def check_tags(value: Any) -> list[str]:
    """A valid tag list (up to 8 strings of up to 86 characters), or 400."""
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise bad_request("tags must be a list of strings.", "invalid_tags")
    if len(value) > MAX_TAGS or any(len(tag) > MAX_TAG_LENGTH for tag in value):
        raise bad_request(f"At most {MAX_TAGS} tags of at most {MAX_TAG_LENGTH} characters.", "invalid_tags")
    return list(value)


def _required(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise bad_request(f"{name} is required: a non-empty string.")
    return value


def _optional(body: dict[str, Any], name: str) -> str | None:
    return None if body.get(name) is None else _required(body, name)


def _int_param(call: Call, name: str, default: int, *, low: int, high: int) -> int:
    """An integer query parameter; missing or out of range means ``default`` (as documented)."""
    text = call.request.param(name)
    try:
        value = int(float(text)) if text is not None else default
    except (ValueError, OverflowError):
        return default
    return value if low <= value <= high else default


HANDLERS: dict[str, Handler] = {
    "create_job": create_job,
    "list_jobs": list_jobs,
    "get_job": get_job,
    "delete_job": delete_job,
    "get_job_results": get_job_results,
    "get_job_logs": get_job_logs,
    "cancel_job": cancel_job,
    "get_job_metrics": get_job_metrics,
    "replace_job_tags": replace_job_tags,
    "list_tags": list_tags,
}
