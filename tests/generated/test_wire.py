"""Every generated operation, called sync and async, puts the right request on the wire."""

from __future__ import annotations

import datetime
import importlib
import json
import pkgutil
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

import iqp_api.api
from iqp_api import AuthenticatedClient
from iqp_api.models import (
    CreateSessionRequestChannelPartner,
    CreateSessionRequestCloud,
    GetUsageAnalyticsGroupedByDateGroupBy,
    GetUsageAnalyticsGroupedGroupBy,
    InstanceConfigurationUpdate,
    JobRunParams,
    JobRunParamsChannelPartner,
    ListBackendsFields,
    ListTagsType,
    ListWorkloadsMode,
    ListWorkloadsSort,
    ListWorkloadsStatusItem,
    ListWorkloadsUser,
    ReplaceJobTagsBody,
    UpdateSessionRequest,
)

BASE = "https://api.example.test/api"
WHEN = datetime.datetime(2026, 3, 2, 10, 15, 30, tzinfo=datetime.timezone.utc)
SUBSCRIPTION = uuid.UUID("5f0c3a3e-2b1c-4d6e-9a7b-0c1d2e3f4a5b")
ANALYTICS_FILTERS: dict[str, Any] = {
    "instance": ["crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst::"],
    "interval_start": WHEN,
    "interval_end": WHEN + datetime.timedelta(days=7),
    "backend": ["ibm_torino", "ibm_fez"],
    "user_id": ["IBMid-000000AAAA"],
    "simulators": False,
    "plan": ["open"],
    "subscription_id": [SUBSCRIPTION],
}
ANALYTICS_QUERY = [
    ("instance", "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst::"),
    ("interval_start", "2026-03-02T10:15:30Z"),
    ("interval_end", "2026-03-09T10:15:30Z"),
    ("backend", "ibm_torino"),
    ("backend", "ibm_fez"),
    ("user_id", "IBMid-000000AAAA"),
    ("simulators", "false"),
    ("plan", "open"),
    ("subscription_id", str(SUBSCRIPTION)),
]
JOB_BODY = {"program_id": "sampler", "backend": "ibm_torino", "params": {"pubs": [["OPENQASM 3.0;"]]}}
SESSION_BODY = {"mode": "batch", "backend": "ibm_fez", "max_ttl": 600}
PARTNER_JOB_BODY = {
    "program_id": "sampler",
    "backend": "ibm_torino",
    "remote_storage": {
        "type": "ibmcloud_cos",
        "region": "us-east",
        "region_type": "regional",
        "bucket_crn": "crn:v1:bluemix:public:cloud-object-storage:global:a/acct:bucket:bucket:b",
        "object_name": "job-42",
        "job_params": {
            "type": "ibmcloud_cos",
            "region": "us-east",
            "region_type": "regional",
            "bucket_crn": "crn:v1:bluemix:public:cloud-object-storage:global:a/acct:bucket:bucket:b",
            "object_name": "job-42/params.json",
        },
        "results": {
            "type": "ibmcloud_cos",
            "region": "us-east",
            "region_type": "regional",
            "bucket_crn": "crn:v1:bluemix:public:cloud-object-storage:global:a/acct:bucket:bucket:b",
            "object_name": "job-42/results.json",
        },
    },
}


@dataclass
class Call:
    """One operation: how to call it and what must reach the server."""

    module: str
    kwargs: dict[str, Any]
    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


CALLS = [
    Call("accounts.get_account", {"id": "acct-1", "plan_id": "plan-9"}, "GET", "/v1/accounts/acct-1",
         [("plan_id", "plan-9")]),
    Call("analytics.get_analytics_filters", {"instance": ["crn:a", "crn:b"]}, "GET", "/v1/analytics/filters",
         [("instance", "crn:a"), ("instance", "crn:b")]),
    Call("analytics.get_usage_analytics", ANALYTICS_FILTERS, "GET", "/v1/analytics/usage", ANALYTICS_QUERY),
    Call("analytics.get_usage_analytics_grouped",
         {"group_by": GetUsageAnalyticsGroupedGroupBy.BACKEND, **ANALYTICS_FILTERS},
         "GET", "/v1/analytics/usage_grouped", [("group_by", "backend"), *ANALYTICS_QUERY]),
    Call("analytics.get_usage_analytics_grouped_by_date",
         {"group_by": GetUsageAnalyticsGroupedByDateGroupBy.INSTANCE, **ANALYTICS_FILTERS},
         "GET", "/v1/analytics/usage_grouped_by_date", [("group_by", "instance"), *ANALYTICS_QUERY]),
    Call("backends.get_backend_configuration", {"id": "ibm_torino", "calibration_id": "cal-1"}, "GET",
         "/v1/backends/ibm_torino/configuration", [("calibration_id", "cal-1")]),
    Call("backends.get_backend_defaults", {"id": "ibm_torino"}, "GET", "/v1/backends/ibm_torino/defaults"),
    Call("backends.get_backend_properties",
         {"id": "ibm_fez", "updated_before": WHEN, "calibration_id": "cal-2"}, "GET",
         "/v1/backends/ibm_fez/properties",
         [("updated_before", "2026-03-02T10:15:30Z"), ("calibration_id", "cal-2")]),
    Call("backends.get_backend_status", {"id": "ibm_fez"}, "GET", "/v1/backends/ibm_fez/status"),
    Call("backends.list_backends", {"fields": ListBackendsFields.WAIT_TIME_SECONDS}, "GET", "/v1/backends",
         [("fields", "wait_time_seconds")]),
    Call("instances.get_instance", {}, "GET", "/v1/instance"),
    Call("instances.get_instance_configuration", {}, "GET", "/v1/instances/configuration"),
    Call("instances.get_instance_usage", {}, "GET", "/v1/instances/usage"),
    Call("instances.replace_instance_configuration",
         {"body": InstanceConfigurationUpdate(instance_limit=3600)}, "PUT", "/v1/instances/configuration",
         body={"instance_limit": 3600}),
    Call("jobs.cancel_job", {"id": "job/1", "parent_job_id": "parent-7"}, "POST", "/v1/jobs/job%2F1/cancel",
         headers={"Parent-Job-Id": "parent-7"}),
    Call("jobs.create_job", {"body": JobRunParams.from_dict(JOB_BODY), "parent_job_id": "parent-7"}, "POST",
         "/v1/jobs", body=JOB_BODY, headers={"Parent-Job-Id": "parent-7"}),
    Call("jobs.delete_job", {"id": "job-2"}, "DELETE", "/v1/jobs/job-2"),
    Call("jobs.get_job", {"id": "job-3", "exclude_params": True}, "GET", "/v1/jobs/job-3",
         [("exclude_params", "true")]),
    Call("jobs.get_job_logs", {"id": "job-4"}, "GET", "/v1/jobs/job-4/logs"),
    Call("jobs.get_job_metrics", {"id": "job-5"}, "GET", "/v1/jobs/job-5/metrics"),
    Call("jobs.get_job_results", {"id": "job-6"}, "GET", "/v1/jobs/job-6/results"),
    Call("jobs.list_jobs",
         {"limit": 50, "offset": 100, "pending": False, "program": "estimator", "backend": "ibm_fez",
          "created_after": WHEN, "created_before": WHEN + datetime.timedelta(hours=1), "sort": "ASC",
          "tags": ["nightly", "qec"], "session_id": "sess-1", "exclude_params": True},
         "GET", "/v1/jobs",
         [("limit", "50"), ("offset", "100"), ("pending", "false"), ("program", "estimator"),
          ("backend", "ibm_fez"), ("created_after", "2026-03-02T10:15:30Z"),
          ("created_before", "2026-03-02T11:15:30Z"), ("sort", "ASC"), ("tags", "nightly"), ("tags", "qec"),
          ("session_id", "sess-1"), ("exclude_params", "true")]),
    Call("jobs.replace_job_tags", {"id": "job-7", "body": ReplaceJobTagsBody(tags=["a", "b"])}, "PUT",
         "/v1/jobs/job-7/tags", body={"tags": ["a", "b"]}),
    Call("sessions.close_session", {"id": "sess-2"}, "DELETE", "/v1/sessions/sess-2/close"),
    Call("sessions.create_session", {"body": CreateSessionRequestCloud.from_dict(SESSION_BODY)},
         "POST", "/v1/sessions", body=SESSION_BODY),
    Call("sessions.get_session", {"id": "sess-3"}, "GET", "/v1/sessions/sess-3"),
    Call("sessions.update_session", {"id": "sess-4", "body": UpdateSessionRequest(accepting_jobs=False)},
         "PATCH", "/v1/sessions/sess-4", body={"accepting_jobs": False}),
    Call("tags.list_tags", {"type_": ListTagsType.JOB, "search": "night"}, "GET", "/v1/tags",
         [("type", "job"), ("search", "night")]),
    Call("versions.get_versions", {}, "GET", "/v1/versions"),
    Call("workloads.list_workloads",
         {"user": ListWorkloadsUser.ME, "sort": ListWorkloadsSort.VALUE_1, "limit": 25, "previous": "p1",
          "next_": "n1", "backend": "ibm_fez", "search": "bell",
          "status": [ListWorkloadsStatusItem.PENDING, ListWorkloadsStatusItem.FAILED],
          "mode": ListWorkloadsMode.SESSION, "created_after": WHEN, "created_before": WHEN,
          "tags": ["x"]},
         "GET", "/v1/workloads",
         [("user", "me"), ("sort", "-createdAt"), ("limit", "25"), ("previous", "p1"), ("next", "n1"),
          ("backend", "ibm_fez"), ("search", "bell"), ("status", "pending"), ("status", "failed"),
          ("mode", "session"), ("created_after", "2026-03-02T10:15:30Z"),
          ("created_before", "2026-03-02T10:15:30Z"), ("tags", "x")]),
]  # fmt: skip

EXTRA_BODIES = [
    Call("jobs.create_job", {"body": JobRunParamsChannelPartner.from_dict(PARTNER_JOB_BODY)}, "POST",
         "/v1/jobs", body=PARTNER_JOB_BODY),
    Call("sessions.create_session",
         {"body": CreateSessionRequestChannelPartner.from_dict({"mode": "dedicated", "interactive_ttl": 60})},
         "POST", "/v1/sessions", body={"mode": "dedicated", "interactive_ttl": 60}),
]  # fmt: skip


def all_operation_modules() -> set[str]:
    found: set[str] = set()
    for tag in pkgutil.iter_modules(iqp_api.api.__path__):
        package = importlib.import_module(f"iqp_api.api.{tag.name}")
        found.update(f"{tag.name}.{m.name}" for m in pkgutil.iter_modules(package.__path__))
    return found


def test_the_table_covers_every_generated_operation() -> None:
    assert {c.module for c in CALLS} == all_operation_modules()
    assert len(CALLS) == 30


def check_request(request: httpx.Request, call: Call) -> None:
    assert request.method == call.method
    assert request.url.scheme == "https" and request.url.host == "api.example.test"
    assert request.url.raw_path.split(b"?")[0].decode() == "/api" + call.path
    assert request.url.params.multi_items() == call.query
    if call.body is None:
        assert request.content == b""
    else:
        assert request.headers["Content-Type"] == "application/json"
        assert json.loads(request.content) == call.body
    for name, value in call.headers.items():
        assert request.headers[name] == value
    assert request.headers["Authorization"] == "Bearer test-token"
    # Client-level headers are not per-call arguments, and the functions add none.
    assert "IBM-API-Version" not in request.headers and "Service-CRN" not in request.headers


def ids(call: Call) -> str:
    return call.module + (f"[{type(call.kwargs['body']).__name__}]" if "body" in call.kwargs else "")


@pytest.mark.parametrize("call", CALLS + EXTRA_BODIES, ids=ids)
def test_sync_request_on_the_wire(call: Call, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=418)
    module = importlib.import_module(f"iqp_api.api.{call.module}")
    with AuthenticatedClient(base_url=BASE, token="test-token") as client:
        response = module.sync_detailed(client=client, **call.kwargs)
    assert response.status_code == 418 and response.parsed is None
    (request,) = httpx_mock.get_requests()
    check_request(request, call)


@pytest.mark.parametrize("call", CALLS + EXTRA_BODIES, ids=ids)
async def test_async_request_on_the_wire(call: Call, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=418)
    module = importlib.import_module(f"iqp_api.api.{call.module}")
    async with AuthenticatedClient(base_url=BASE, token="test-token") as client:
        response = await module.asyncio_detailed(client=client, **call.kwargs)
    assert response.status_code == 418 and response.parsed is None
    (request,) = httpx_mock.get_requests()
    check_request(request, call)
