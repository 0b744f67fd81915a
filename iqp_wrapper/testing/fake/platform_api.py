"""Handlers of the other operations: versions, sessions, backends, instance and usage.

Choices where the document is silent: an unknown backend is 404 ``backend_not_found``;
a simulator has no properties or defaults (404 ``not_provided``); API versions before
2025-01-01 list backends in the older layout, ``{"devices": ["name", ...]}``.
"""

from __future__ import annotations

from iqp_wrapper.testing.fake import backend_payloads, payloads
from iqp_wrapper.testing.fake.catalog import FakeBackend
from iqp_wrapper.testing.fake.context import Call, Handler
from iqp_wrapper.testing.fake.errors import bad_request, not_found
from iqp_wrapper.testing.fake.state import Mode
from iqp_wrapper.testing.fake.wire import Response, empty_response, json_response

DEVICE_OBJECTS_SINCE = "2025-01-01"
DEFAULT_MAX_TTL = 28_800
DEFAULT_INTERACTIVE_TTL = 60


def create_session(call: Call) -> Response:
    """POST /v1/sessions."""
    body = call.json_object()
    requested = body.get("mode")
    if requested not in ("batch", "dedicated"):
        raise bad_request("mode must be 'batch' or 'dedicated'.")
    mode: Mode = "batch" if requested == "batch" else "dedicated"
    backend = body.get("backend") or body.get("backend_name")
    if backend is not None and (not isinstance(backend, str) or backend not in call.world.backends):
        raise bad_request(f"Backend {backend} is not available to this instance.", "backend_not_found")
    max_ttl = _positive(body, "max_ttl", DEFAULT_MAX_TTL) or DEFAULT_MAX_TTL
    interactive = _positive(body, "interactive_ttl", DEFAULT_INTERACTIVE_TTL if mode == "dedicated" else None)
    session = call.world.add_session(
        call.now,
        mode=mode,
        backend=backend,
        max_ttl=max_ttl,
        interactive_ttl=interactive,
        user_id=call.user,
    )
    return json_response(200, payloads.session_body(session, call.world, call.now))


def get_session(call: Call) -> Response:
    """GET /v1/sessions/{id}."""
    return json_response(200, payloads.session_body(call.session(), call.world, call.now))


def update_session(call: Call) -> Response:
    """PATCH /v1/sessions/{id}: only accepting_jobs."""
    session = call.session()
    accepting = call.json_object().get("accepting_jobs")
    if not isinstance(accepting, bool):
        raise bad_request("accepting_jobs must be true or false.")
    session.accepting = accepting
    return empty_response()


def close_session(call: Call) -> Response:
    """DELETE /v1/sessions/{id}/close: no more jobs, and queued ones are cancelled."""
    session = call.session()
    if session.closed_time(call.now) is None:
        session.closed_at = call.now
    session.accepting = False
    for job in call.world.session_jobs(session.id):
        if job.status(call.now) == "Queued":
            job.cancelled_at = call.now
    return empty_response()


def list_backends(call: Call) -> Response:
    """GET /v1/backends, in the layout of the request's API version."""
    world, now = call.world, call.now
    if call.version.version < DEVICE_OBJECTS_SINCE:
        return json_response(200, {"devices": sorted(world.backends)})
    wait_times = call.request.param("fields") == "wait_time_seconds"
    job_seconds = world.schedule.default.running_seconds
    devices = [
        backend_payloads.device(
            backend, world.queue_length(backend, now), wait_times=wait_times, job_seconds=job_seconds
        )
        for backend in world.backends.values()
    ]
    return json_response(200, {"devices": devices})


def get_backend_status(call: Call) -> Response:
    """GET /v1/backends/{id}/status."""
    backend = _backend(call)
    return json_response(
        200, backend_payloads.status_body(backend, call.world.queue_length(backend, call.now))
    )


def get_backend_properties(call: Call) -> Response:
    """GET /v1/backends/{id}/properties."""
    return json_response(200, backend_payloads.properties_body(_hardware(call), call.now))


def get_backend_configuration(call: Call) -> Response:
    """GET /v1/backends/{id}/configuration."""
    return json_response(200, backend_payloads.configuration_body(_backend(call)))


def get_backend_defaults(call: Call) -> Response:
    """GET /v1/backends/{id}/defaults."""
    return json_response(200, backend_payloads.defaults_body(_hardware(call)))


def get_instance(call: Call) -> Response:
    """GET /v1/instance."""
    return json_response(200, payloads.instance_body(call.world))


def get_instance_usage(call: Call) -> Response:
    """GET /v1/instances/usage (and /v1/usage)."""
    return json_response(200, payloads.usage_body(call.world, call.crn, call.now))


def _backend(call: Call) -> FakeBackend:
    backend = call.world.backends.get(call.id)
    if backend is None:
        raise not_found("backend_not_found", f"Backend {call.id} is not available to this instance.")
    return backend


def _hardware(call: Call) -> FakeBackend:
    backend = _backend(call)
    if backend.simulator:
        raise not_found("not_provided", f"Backend {backend.name} is a simulator and has no calibration data.")
    return backend


def _positive(body: dict[str, object], name: str, default: int | None) -> int | None:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise bad_request(f"{name} must be a positive whole number of seconds.")
    return value


HANDLERS: dict[str, Handler] = {
    "create_session": create_session,
    "get_session": get_session,
    "update_session": update_session,
    "close_session": close_session,
    "list_backends": list_backends,
    "get_backend_status": get_backend_status,
    "get_backend_properties": get_backend_properties,
    "get_backend_configuration": get_backend_configuration,
    "get_backend_defaults": get_backend_defaults,
    "get_instance": get_instance,
    "get_instance_usage": get_instance_usage,
}
