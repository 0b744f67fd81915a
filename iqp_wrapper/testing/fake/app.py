"""The request pipeline: one ``Request`` in, one ``Response`` out, for IAM and the API.

In order: route (IAM token path, or an operation under the API base path), injected
fault, bearer token, Service-CRN, IBM-API-Version, the job-submission rate limit, then
the operation's handler. Every answer gets a Date header from the fake's clock (skew
included) and is recorded in the history. One lock serialises requests, so the world
never sees two at once whichever transport or server thread they came from.

Statuses the fake picks where the real service's are not published: a missing or
invalid token is 401; a Service-CRN the fake does not serve is ``unknown_instance_status``
(404 by default, ``instance_not_found``), which is what a CRN of another region gets; a
request without Service-CRN is 400 ``missing_service_crn``.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from iqp_wrapper.testing.fake.account_api import HANDLERS as ACCOUNT_HANDLERS
from iqp_wrapper.testing.fake.clock import http_date
from iqp_wrapper.testing.fake.context import Call, Handler
from iqp_wrapper.testing.fake.errors import ApiError, ErrorStyle, bad_request
from iqp_wrapper.testing.fake.faults import Fault, Faults
from iqp_wrapper.testing.fake.iam import INJECTED, TokenIssuer, iam_error
from iqp_wrapper.testing.fake.jobs_api import HANDLERS as JOB_HANDLERS
from iqp_wrapper.testing.fake.platform_api import HANDLERS as SERVICE_HANDLERS
from iqp_wrapper.testing.fake.ratelimit import RateLimiter
from iqp_wrapper.testing.fake.routes import IAM_PATH, IAM_TOKEN, Route, match
from iqp_wrapper.testing.fake.state import World
from iqp_wrapper.testing.fake.versions import VersionInfo, VersionTable, version_headers
from iqp_wrapper.testing.fake.wire import JSON, Request, Response, json_response

HANDLERS: dict[str, Handler] = {**JOB_HANDLERS, **SERVICE_HANDLERS, **ACCOUNT_HANDLERS}

# What a garbled answer carries: the start of a JSON body, cut off.
GARBLED_API_BODY = b'{"errors": [{"code": '
GARBLED_IAM_BODY = b"<html><body><h1>502 Bad Gateway</h1></body></html>"


@dataclass(frozen=True)
class Exchange:
    """One request and the answer it got. ``route`` is None for IAM and unknown paths."""

    operation: str | None
    route: Route | None
    request: Request
    response: Response


@dataclass(kw_only=True, eq=False, repr=False)
class FakeApp:
    """Answers requests; shared by the in-process transports and the HTTP server.

    It holds the fake's parts (IAM, the world, faults, versions, the rate limiter, the
    CRNs it serves, its clock). ``base_path`` is kept with one leading slash and none
    trailing (``api/`` becomes ``/api``, ``/`` becomes ``""``); ``history`` keeps the last
    ``history_limit`` exchanges (all of them when None)."""

    iam: TokenIssuer
    world: World
    faults: Faults
    versions: VersionTable
    limiter: RateLimiter
    crns: set[str]
    now: Callable[[], float]
    base_path: str = "/api"
    unknown_instance_status: int = 404
    history_limit: int | None = 1000
    history: deque[Exchange] = field(init=False)
    lock: threading.RLock = field(init=False, default_factory=threading.RLock)

    def __post_init__(self) -> None:
        path = self.base_path.strip("/")
        self.base_path = "/" + path if path else ""
        self.history = deque(maxlen=self.history_limit)

    def handle(self, request: Request) -> Response:
        """Answer ``request``."""
        with self.lock:
            now = self.now()
            route: Route | None = None
            if request.path == IAM_PATH:
                operation: str | None = IAM_TOKEN
                response = self._iam(request, now)
            else:
                route, response = self._api(request, now)
                operation = route.operation if route else None
            response = response.with_headers(("Date", http_date(now)))
            self.history.append(Exchange(operation, route, request, response))
            return response

    def _iam(self, request: Request, now: float) -> Response:
        self.iam.count_call()
        trace = self.world.trace()
        fault = self.faults.take(IAM_TOKEN)
        if fault is not None and fault.status is not None:
            message = f"IAM is failing on purpose (injected HTTP {fault.status})."
            return _with_retry_after(iam_error(fault.status, INJECTED, message, trace, now), fault)
        if fault is not None and fault.malformed:
            return Response(200, (("Content-Type", "text/html"),), GARBLED_IAM_BODY)
        return _apply(fault, self.iam.exchange(request, trace))

    def _api(self, request: Request, now: float) -> tuple[Route | None, Response]:
        prefix = self.base_path
        if not request.path.startswith(prefix + "/"):
            return None, _error(ApiError(404, "not_found", f"No API at {request.path}."), "container", self)
        found = match(request.method, request.path[len(prefix) :])
        route = found.route
        if route is None:
            if found.allowed:
                error = ApiError(
                    405,
                    "method_not_allowed",
                    f"{request.method} is not allowed on {request.path}.",
                    headers=(("Allow", ", ".join(found.allowed)),),
                )
                return None, _error(error, "container", self)
            return None, _error(
                ApiError(404, "not_found", f"No operation at {request.path}."), "container", self
            )
        fault = self.faults.take(route.operation)
        if fault is not None and fault.status is not None:
            message = f"The service is failing on purpose (injected HTTP {fault.status})."
            injected = ApiError(fault.status, "injected_fault", message, solution="Retry later.")
            return route, _with_retry_after(_error(injected, route.style, self), fault)
        if fault is not None and fault.malformed:
            return route, Response(200, (("Content-Type", JSON),), GARBLED_API_BODY)
        version: VersionInfo | None = None
        try:
            if route.operation == "get_versions":
                return route, _apply(fault, json_response(200, self.versions.payload()))
            user = self.iam.verify(request.header("authorization"))
            if user is None:
                raise ApiError(
                    401,
                    "unauthorized",
                    "Missing, invalid or expired bearer token: get a new one from IAM.",
                    solution="Exchange the API key for a new token at IAM.",
                )
            crn = self._instance(request)
            version = self.versions.resolve(request.header("ibm-api-version"), now)
            if route.operation == "create_job":
                self._rate_limit(user, now)
            call = Call(request, found.params, now, user, crn, version, self.world)
            response = HANDLERS[route.operation](call)
        except ApiError as error:
            response = _error(error, route.style, self)
        if version is not None:
            response = response.with_headers(*version_headers(version))
        return route, _apply(fault, response)

    def _instance(self, request: Request) -> str:
        crn = request.header("service-crn")
        if crn is None or not crn.strip():
            raise bad_request(
                "The Service-CRN header is missing: send your instance's CRN.", "missing_service_crn"
            )
        crn = crn.strip()
        if crn not in self.crns:
            fields = crn.split(":")
            region = fields[5] if len(fields) > 5 and fields[5] else "unknown"
            raise ApiError(
                self.unknown_instance_status,
                "instance_not_found",
                f"Instance not found: no instance with this Service-CRN is served here (the CRN "
                f"names region {region}; is it the right regional API URL?).",
                solution="Check the CRN, and use the API URL of the CRN's region.",
            )
        return crn

    def _rate_limit(self, user: str, now: float) -> None:
        wait = self.limiter.acquire(user, now)
        if wait is None:
            return
        limit = self.limiter.limit
        assert limit is not None  # acquire only refuses when there is a limit
        raise ApiError(
            429,
            "rate_limited",
            f"Too many jobs submitted: at most {limit.requests} per {limit.window:g} seconds per user. "
            f"Retry in {wait:.0f} seconds.",
            solution="Wait for the time in Retry-After.",
            headers=(("Retry-After", f"{wait:.0f}"),),
        )


def _error(error: ApiError, style: ErrorStyle, app: FakeApp) -> Response:
    return error.render(style, app.world.trace())


def _with_retry_after(response: Response, fault: Fault) -> Response:
    if fault.retry_after is None:
        return response
    return response.with_headers(("Retry-After", f"{fault.retry_after:g}"))


def _apply(fault: Fault | None, response: Response) -> Response:
    """Add a drop or delay fault to an otherwise normal answer."""
    if fault is None:
        return response
    return replace(response, drop=fault.drop, delay=fault.delay)
