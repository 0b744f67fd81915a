"""Which operations the fake serves: method, path, our operation name, and how it is guarded.

Operation names are our generated function names (openapi/overlay.yaml), so a fault is
injected with the name a reader already knows from ``iqp_api.api``: ``faults.fail_next(
"list_jobs", 503)``. ``IAM_TOKEN`` names the IAM token exchange.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from iqp_wrapper.testing.fake.errors import ErrorStyle

IAM_TOKEN = "iam_token"
IAM_PATH = "/identity/token"
ANY_OPERATION = "*"


@dataclass(frozen=True)
class Route:
    """One operation of the fake API, under the API base path.

    ``document_path`` is the path in our OpenAPI document (it differs for aliases such as
    ``/v1/usage``); ``public`` operations need neither token nor Service-CRN.
    """

    method: str
    path: str
    operation: str
    document_path: str = ""
    style: ErrorStyle = "container"
    public: bool = False
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.path)
        object.__setattr__(self, "pattern", re.compile(f"^{regex}$"))
        if not self.document_path:
            object.__setattr__(self, "document_path", self.path)


ROUTES: tuple[Route, ...] = (
    Route("GET", "/v1/versions", "get_versions", public=True),
    Route("GET", "/v1/backends", "list_backends"),
    Route("GET", "/v1/backends/{id}/status", "get_backend_status"),
    Route("GET", "/v1/backends/{id}/properties", "get_backend_properties"),
    Route("GET", "/v1/backends/{id}/configuration", "get_backend_configuration"),
    Route("GET", "/v1/backends/{id}/defaults", "get_backend_defaults"),
    Route("GET", "/v1/instance", "get_instance"),
    Route("GET", "/v1/instances/configuration", "get_instance_configuration"),
    Route("PUT", "/v1/instances/configuration", "replace_instance_configuration"),
    Route("GET", "/v1/accounts/{id}", "get_account"),
    Route("GET", "/v1/workloads", "list_workloads", style="generic"),
    Route("GET", "/v1/analytics/usage", "get_usage_analytics"),
    Route("GET", "/v1/analytics/usage_grouped", "get_usage_analytics_grouped"),
    Route("GET", "/v1/analytics/usage_grouped_by_date", "get_usage_analytics_grouped_by_date"),
    Route("GET", "/v1/analytics/filters", "get_analytics_filters"),
    Route("GET", "/v1/instances/usage", "get_instance_usage", style="generic"),
    # The path IBM's setup guide shows for the same operation.
    Route("GET", "/v1/usage", "get_instance_usage", "/v1/instances/usage", style="generic"),
    Route("GET", "/v1/jobs", "list_jobs"),
    Route("POST", "/v1/jobs", "create_job"),
    Route("GET", "/v1/jobs/{id}", "get_job"),
    Route("DELETE", "/v1/jobs/{id}", "delete_job"),
    Route("GET", "/v1/jobs/{id}/results", "get_job_results"),
    Route("GET", "/v1/jobs/{id}/logs", "get_job_logs"),
    Route("POST", "/v1/jobs/{id}/cancel", "cancel_job"),
    Route("GET", "/v1/jobs/{id}/metrics", "get_job_metrics"),
    Route("PUT", "/v1/jobs/{id}/tags", "replace_job_tags"),
    Route("GET", "/v1/tags", "list_tags"),
    Route("POST", "/v1/sessions", "create_session"),
    Route("GET", "/v1/sessions/{id}", "get_session"),
    Route("PATCH", "/v1/sessions/{id}", "update_session"),
    Route("DELETE", "/v1/sessions/{id}/close", "close_session"),
)

OPERATIONS: frozenset[str] = frozenset({route.operation for route in ROUTES} | {IAM_TOKEN})
"""Every operation name a fault can be injected into."""


@dataclass(frozen=True)
class Match:
    """The outcome of routing a path: a route with its path parameters, or why not."""

    route: Route | None
    params: dict[str, str]
    allowed: tuple[str, ...] = ()  # methods the path accepts, when the method was wrong


def match(method: str, path: str) -> Match:
    """Route ``method`` ``path`` (relative to the API base path)."""
    allowed: list[str] = []
    for route in ROUTES:
        found = route.pattern.match(path)
        if found is None:
            continue
        if route.method == method:
            return Match(route, found.groupdict())
        allowed.append(route.method)
    return Match(None, {}, tuple(allowed))
