"""Every answer the fake sends matches our OpenAPI document.

A scenario calls every operation the fake serves, in success and in failure, with the
API version the document describes; every answer is then checked against the document's
response for that operation and status: media type, an empty body where none is
declared, and the JSON body against the schema.

Some answers have a status the document does not declare for the operation (it lists
only 200 for the backend operations, for example, yet a bad token gets 401 there too).
Those are listed in UNDECLARED with the reason, and their body is checked against the
error layout of the operation. Nothing else may be undeclared, and every entry of
UNDECLARED must occur, so the list cannot rot.
"""

from __future__ import annotations

import base64
import zlib
from collections import Counter
from typing import Any

import pytest

from iqp_wrapper.testing.fake import OTHER_REGION_CRN, FakeService, JobPlan, ManualClock, Schedule
from iqp_wrapper.testing.fake.routes import ROUTES
from tests.realworld.documents import corrected

from .conftest import Api
from .openapi_schema import OpenAPIDocument

# The document as the client is generated from it: upstream plus openapi/corrections.yaml.
DOCUMENT = OpenAPIDocument(corrected())

UNDECLARED: dict[tuple[str, int], str] = {
    ("list_backends", 401): "the backend operations declare only 200",
    ("list_backends", 404): "the backend operations declare only 200 (unknown instance)",
    ("get_backend_status", 404): "the backend operations declare only 200 (unknown backend)",
    ("get_backend_properties", 404): "the backend operations declare only 200 (unknown backend)",
    ("get_backend_configuration", 404): "the backend operations declare only 200 (unknown backend)",
    ("get_backend_defaults", 404): "the backend operations declare only 200 (unknown backend)",
    ("get_instance_usage", 404): "usage declares only 200 and 401 (unknown instance)",
    ("create_job", 429): "the rate limit the description of POST /v1/jobs mentions",
    ("get_job", 400): "an unsupported IBM-API-Version, which no operation declares",
    ("replace_job_tags", 400): "an invalid tag list; the operation declares no 400",
    ("update_session", 400): "accepting_jobs missing; the operation declares no 400",
    ("close_session", 404): "close declares only 204 (unknown session)",
    ("get_versions", 503): "an injected fault; versions declares only 200",
}

JOB = {"program_id": "sampler", "backend": "fake_heron"}
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; h q[0]; cx q[0], q[1]; meas = measure q;'
)
NO_ARGUMENTS = {"data": base64.b64encode(zlib.compress(b"")).decode(), "shape": [0], "dtype": "f64"}
NOTHING = {"data": "", "shape": [0], "dtype": "f64"}
# Executor and noise-learner jobs of each version the fake serves, as far as the fake can
# build them without qiskit (an unreadable QPY circuit gets synthetic outcomes of the same
# shape). A version is exercised once the document types its result: v2.0 and v0.3 come
# with the program schemas from ibm-quantum-schemas (issue 18, item 1).
PROGRAM_JOBS: list[tuple[str, dict[str, Any]]] = [
    (
        "executor",
        {
            "schema_version": version,
            "quantum_program": {
                "shots": 10,
                "items": [
                    {
                        "item_type": "circuit",
                        "circuit": {"circuit_b64": "", "qpy_version": 13},
                        "circuit_arguments": NOTHING,
                    }
                ],
                "passthrough_data": {"kept": [1, 2]},
            },
        },
    )
    for version in ("v0.1", "v0.2")
] + [
    (
        "executor",
        {
            "schema_version": "v2.0",
            "quantum_program": {
                "shots": 10,
                "circuits": {"data": [BELL]},
                "items": [{"item_type": "circuit", "circuit_arguments": NO_ARGUMENTS, "shape": []}],
                "passthrough_data": {"kept": [1, 2]},
                "semantic_role": "sampler_v2",
            },
        },
    ),
    *(("noise-learner", {"schema_version": v, "instructions": {}}) for v in ("v0.1", "v0.2", "v0.3")),
]


def _document_types_result(program_id: str, version: str) -> bool:
    """Whether a JobResults variant of the document has this schema_version (for the
    executor: a quantum program result; for the noise learner: NoiseLearnerV3 results)."""
    marker = "QuantumProgramResultModel" if program_id == "executor" else "NoiseLearnerV3ResultsModel"
    schemas = DOCUMENT.raw["components"]["schemas"]
    for variant in schemas["JobResults"].get("oneOf", []):
        name = str(variant.get("$ref", "")).rsplit("/", 1)[-1]
        if marker in name:
            field = schemas[name].get("properties", {}).get("schema_version", {})
            if version in field.get("enum", [field.get("const")]):
                return True
    return False


@pytest.fixture
def service(clock: ManualClock) -> FakeService:
    schedule = Schedule(JobPlan(queued_seconds=2, running_seconds=3))
    return FakeService(clock=clock, seed=11, schedule=schedule, history_limit=None)


async def exercise(api: Api, service: FakeService, clock: ManualClock) -> None:
    """Call every operation, in success and failure."""
    get, post, call = api.get, api.post, api.call
    bad_token = api.headers(Authorization="Bearer nope")
    other_region = api.headers(Service_CRN=OTHER_REGION_CRN)

    # Versions, backends, instance, usage.
    await get("/v1/versions", headers={})
    service.faults.fail_next("get_versions", 503)
    await get("/v1/versions", headers={})
    await get("/v1/backends")
    await get("/v1/backends", params={"fields": "wait_time_seconds"})
    for name in ("fake_heron", "fake_eagle", "fake_falcon", "no_such"):
        for what in ("status", "properties", "configuration", "defaults"):
            await get(f"/v1/backends/{name}/{what}")
    await get("/v1/instance")
    await get("/v1/instances/usage")
    await get("/v1/usage")

    # A session with a job in it.
    dedicated = (
        await post("/v1/sessions", json={"mode": "dedicated", "backend": "fake_eagle", "max_ttl": 600})
    ).json()
    batch = (await post("/v1/sessions", json={"mode": "batch"})).json()
    await get(f"/v1/sessions/{dedicated['id']}")
    in_session = (
        await post("/v1/jobs", json={**JOB, "backend": "fake_eagle", "session_id": dedicated["id"]})
    ).json()
    await get(f"/v1/sessions/{batch['id']}")

    # Jobs of each kind.
    sampler = (
        await post("/v1/jobs", json={**JOB, "tags": ["conformance"], "params": {"pubs": [["x", None, 10]]}})
    ).json()
    executor = (await post("/v1/jobs", json={**JOB, "program_id": "executor", "private": True})).json()
    service.reset_rate_limit()
    service.schedule.queue(
        JobPlan(0, 1, "Failed", reason="Injected", reason_code=1517), JobPlan(0, 1, "Cancelled")
    )
    failed = (await post("/v1/jobs", json={**JOB, "program_id": "estimator"})).json()
    too_long = (await post("/v1/jobs", json=JOB)).json()
    to_cancel = (await post("/v1/jobs", json={**JOB, "session_id": batch["id"]})).json()
    service.reset_rate_limit()
    program_jobs = []
    for program_id, params in PROGRAM_JOBS:
        if _document_types_result(program_id, params["schema_version"]):
            body = {**JOB, "program_id": program_id, "params": params}
            program_jobs.append((await post("/v1/jobs", json=body)).json())
    tagged = (
        await post("/v1/jobs", json={**JOB, "tags": ["fake-outcome:Failed:1517:Injected by tag"]})
    ).json()
    await post(
        "/v1/jobs", json={**JOB, "params": {"pubs": [[BELL.replace("h q[0]", "hadamard q[0]")]]}}
    )  # 400
    jobs = [in_session, sampler, executor, failed, too_long, to_cancel, tagged, *program_jobs]

    async def look_at_everything() -> None:
        for job in jobs:
            job_id = job["id"]
            await get(f"/v1/jobs/{job_id}")
            await get(f"/v1/jobs/{job_id}", params={"exclude_params": "true"})
            await get(f"/v1/jobs/{job_id}/results")
            await get(f"/v1/jobs/{job_id}/logs")
            await get(f"/v1/jobs/{job_id}/metrics")
        await get("/v1/jobs")
        await get("/v1/jobs", params={"limit": 2, "offset": 1, "exclude_params": "false"})
        await get("/v1/jobs", params={"pending": "true", "tags": "conformance", "sort": "ASC"})
        await get(f"/v1/sessions/{dedicated['id']}")
        await get(f"/v1/sessions/{batch['id']}")
        await get("/v1/instances/usage")

    await look_at_everything()  # queued
    await call("PUT", f"/v1/jobs/{sampler['id']}/tags", json={"tags": ["conformance", "tagged"]})
    await get("/v1/tags", params={"type": "job", "search": "conf"})
    await post(f"/v1/jobs/{to_cancel['id']}/cancel")
    clock.advance(2)
    await look_at_everything()  # running
    await call("DELETE", f"/v1/jobs/{sampler['id']}")  # 400: still running
    await call("PATCH", f"/v1/sessions/{dedicated['id']}", json={"accepting_jobs": False})
    clock.advance(3)
    await look_at_everything()  # ended
    await post(f"/v1/jobs/{sampler['id']}/cancel")  # 409
    await call("DELETE", f"/v1/jobs/{failed['id']}")
    await get(f"/v1/jobs/{failed['id']}")  # 404
    await call("DELETE", f"/v1/sessions/{dedicated['id']}/close")
    await get(f"/v1/sessions/{dedicated['id']}")

    # Workloads, analytics, the account and the instance configuration.
    await get("/v1/workloads")
    await get("/v1/workloads", params={"mode": "job", "limit": 2})
    await get("/v1/workloads", params={"limit": 1000})  # 400
    await get("/v1/analytics/usage")
    await get("/v1/analytics/usage_grouped", params={"group_by": "backend"})
    await get("/v1/analytics/usage_grouped_by_date", params={"group_by": "user"})
    await get("/v1/analytics/filters")
    await get("/v1/accounts/fake-account")
    await get("/v1/accounts/someone-else")  # 404
    await get("/v1/instances/configuration")
    await call("PUT", "/v1/instances/configuration", json={"instance_limit": 900})
    await call("PUT", "/v1/instances/configuration", json={"instance_limit": -1})  # 400

    # Failures.
    for path in ("/v1/jobs", "/v1/instance", "/v1/instances/usage", "/v1/backends"):
        await get(path, headers=bad_token)
        await get(path, headers=other_region)
    await post("/v1/jobs", json=JOB, headers=bad_token)
    await post("/v1/jobs", json={"program_id": "sampler"})  # 400
    await post("/v1/jobs", json={**JOB, "backend": "no_such"})  # 404
    await post("/v1/sessions", json={"mode": "solo"})  # 400
    await post("/v1/sessions", json={"mode": "batch"}, headers=bad_token)  # 401
    await get("/v1/jobs", params={"tags": "x"}, headers=api.headers(IBM_API_Version=None))  # oldest version
    await get(f"/v1/jobs/{sampler['id']}", headers=api.headers(IBM_API_Version="1999-01-01"))  # 400
    await call("PUT", f"/v1/jobs/{sampler['id']}/tags", json={"tags": "x"})  # 400
    await call("PUT", "/v1/jobs/nosuchjob/tags", json={"tags": []})  # 404
    await post("/v1/jobs/nosuchjob/cancel")  # 404
    await call("DELETE", "/v1/jobs/nosuchjob")  # 404
    await get("/v1/tags", params={"type": "job", "search": "conf"}, headers=bad_token)  # 401
    await get("/v1/sessions/nosuchsession")  # 404
    await call("PATCH", "/v1/sessions/nosuchsession", json={"accepting_jobs": True})  # 404
    await call("PATCH", f"/v1/sessions/{batch['id']}", json={})  # 400
    await call("DELETE", "/v1/sessions/nosuchsession/close")  # 404
    service.faults.fail_next("get_session", 500)
    await get(f"/v1/sessions/{batch['id']}")
    service.faults.fail_next("cancel_job", 500)
    await post(f"/v1/jobs/{sampler['id']}/cancel")
    service.reset_rate_limit()
    for _ in range(6):
        await post("/v1/jobs", json=JOB)  # the sixth is 429


def check(service: FakeService) -> tuple[list[str], Counter[tuple[str, int]]]:
    """Problems with the recorded answers, and how often each (operation, status) came."""
    problems: list[str] = []
    seen: Counter[tuple[str, int]] = Counter()
    for exchange in service.history:
        route, response = exchange.route, exchange.response
        assert route is not None, f"the scenario reached no operation with {exchange.request!r}"
        key = (route.operation, response.status)
        seen[key] += 1
        where = f"{route.method} {route.path} -> {response.status}"
        declared = DOCUMENT.declared(route.document_path, route.method, response.status)
        if declared is None:
            if key not in UNDECLARED:
                problems.append(f"{where}: status not declared by the document")
                continue
            layout = "GenericErrorDto" if route.style == "generic" else "ErrorContainer"
            media_type: str | None = "application/json"
            schema: dict[str, Any] | None = DOCUMENT.component(layout)
        else:
            media_type, schema = declared.media_type, declared.schema
        content_type = response.header("Content-Type")
        if media_type is None:
            if response.body:
                problems.append(f"{where}: a body where the document declares none")
            continue
        if content_type is None or not content_type.startswith(media_type):
            problems.append(f"{where}: Content-Type {content_type!r}, declared {media_type}")
            continue
        body: Any = response.json() if media_type == "application/json" else response.body.decode()
        problems += [f"{where}: {error}" for error in DOCUMENT.errors(schema or {}, body)]
    return problems, seen


async def test_every_answer_matches_the_document(api: Api, service: FakeService, clock: ManualClock) -> None:
    await exercise(api, service, clock)
    problems, seen = check(service)
    assert not problems, "\n".join(problems)
    served = {route.operation for route in ROUTES}
    assert {operation for operation, _ in seen} == served
    assert {route.path for route in ROUTES} <= {e.route.path for e in service.history if e.route}
    missing = set(UNDECLARED) - set(seen)
    assert not missing, f"UNDECLARED entries the scenario never produced: {sorted(missing)}"


def test_the_checker_catches_a_wrong_body() -> None:
    service = FakeService(clock=ManualClock(), history_limit=None)
    import httpx

    with httpx.Client(transport=service.transport(), base_url=service.url) as http:
        http.get("/v1/versions")
    exchange = service.history[0]
    declared = DOCUMENT.declared("/v1/versions", "GET", 200)
    assert declared is not None and declared.schema is not None
    assert DOCUMENT.errors(declared.schema, exchange.response.json()) == []
    assert DOCUMENT.errors(declared.schema, {"versions": [{"version": "2026-4-1", "status": "live"}]})
    assert DOCUMENT.errors(declared.schema, {"versions": [{"version": "2026-04-01", "status": "gone"}]})
    job_schema = DOCUMENT.component("JobSession")
    assert DOCUMENT.errors(job_schema, {"id": "x", "backend_name": None, "mode": "batch"}) == []
    assert DOCUMENT.errors(
        job_schema, {"id": "x", "backend_name": None, "mode": "batch", "started_at": "yesterday"}
    )
