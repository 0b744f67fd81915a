"""IBM's REST guides as a witness: what they print parses, decodes and runs on the fake.

The files under rest/ are transcriptions of the guides (SOURCES.json names the page of
each and what we filled in for the guides' placeholders). Each job body lands in its typed
variant and writes back exactly; the Sampler/Estimator results decode; the fake takes every
guide body and answers in the service's shape: one result per PUB, the circuit's own
registers, the PUB's shape and shots. (The counts themselves are the fake's.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iqp_api.api.jobs import create_job
from iqp_api.api.sessions import create_session
from iqp_api.models import (
    CreateSessionRequestCloud,
    JobCreateResponse,
    JobRunParams,
    JobRunParamsEstimator,
    JobRunParamsSampler,
    JobState,
)
from iqp_wrapper.client import AsyncIQPClient, IQPClient
from iqp_wrapper.primitives import (
    EstimatorResult,
    PubError,
    SamplerResult,
    async_estimator_result,
    async_sampler_result,
    estimator_body,
    estimator_result,
    sampler_result,
)
from iqp_wrapper.responses import unwrap
from iqp_wrapper.testing.fake import DEFAULT_BACKENDS, FakeBackend, ManualClock

from .corpus import ROOT, files, load

REST = ROOT / "rest"
SOURCES: dict[str, dict[str, Any]] = json.loads((REST / "SOURCES.json").read_text())
GUIDE_JOBS = files("rest/requests", "post_jobs_guide_*.json")
GUIDE_SESSIONS = files("rest/requests", "post_sessions_*.json")
GUIDE_PAGES = "https://quantum.cloud.ibm.com/docs/guides/"

# The backend the guides' recorded outputs name, added to the fake's own.
pytestmark = pytest.mark.iqp_fake(
    rate_limit=None, backends=(*DEFAULT_BACKENDS, FakeBackend("ibm_pittsburgh", num_qubits=156))
)


def _name(path: Path) -> str:
    return path.name


def test_every_rest_file_names_the_guide_page_it_came_from() -> None:
    on_disk = {str(p.relative_to(REST)) for p in REST.rglob("*.json") if p.name != "SOURCES.json"}
    assert set(SOURCES) == on_disk
    for name, source in SOURCES.items():
        assert source["url"].startswith(GUIDE_PAGES), name
        assert source["title"] and source["section"], name
        assert isinstance(source["filled_in_by_us"], list), name


def test_the_guides_send_version_as_text_and_it_stays_text() -> None:
    texts = [p for p in GUIDE_JOBS if load(f"rest/requests/{p.name}")["params"].get("version") == "2"]
    assert len(texts) >= 4  # the Primitives guide writes "version": "2" in every body
    for path in texts:
        body = json.loads(path.read_text())
        params = JobRunParams.from_dict(body).params
        assert isinstance(params, (JobRunParamsSampler, JobRunParamsEstimator))
        assert params.version == "2" and isinstance(params.version, str)  # typed Literal["2"]
        written = params.to_dict()["version"]
        assert written == "2" and isinstance(written, str)


def test_version_as_a_number_stays_a_number() -> None:
    body = load("rest/requests/post_jobs_sampler_qasm3.json")
    written = JobRunParams.from_dict(body).to_dict()["params"]["version"]
    assert written == 2 and isinstance(written, int)


@pytest.mark.parametrize("path", GUIDE_SESSIONS, ids=_name)
def test_guide_session_bodies_round_trip(path: Path) -> None:
    body = json.loads(path.read_text())
    assert CreateSessionRequestCloud.from_dict(body).to_dict() == body


def test_the_guides_printed_answers_parse() -> None:
    created = load("rest/responses/post_jobs_guide.json")
    assert JobCreateResponse.from_dict(created).to_dict() == created
    state = load("rest/responses/job_state_guide.json")
    assert JobState.from_dict(state).to_dict() == state
    # POST /v1/sessions: the guide prints only the id (the document's JobSession has more).
    assert load("rest/responses/post_sessions_guide.json") == {"id": "crw9s7cdbt40008jxesg"}


def test_guide_sampler_results_decode() -> None:
    result = SamplerResult.from_json(load("rest/results/guide_sampler.json"))
    assert not result.encoded and len(result) == 1
    assert result[0].data.meas.get_counts() == {"11": 19, "10": 1}
    swept = SamplerResult.from_json(load("rest/results/guide_sampler_parameters.json"))
    assert swept[0].data.meas.get_counts() == {"01": 12, "10": 8}
    register_c = SamplerResult.from_json(load("rest/results/guide_sampler_register_c.json"))
    assert list(register_c[0].data) == ["c"] and register_c[0].data.c.num_shots == 20
    assert register_c[0].data.c.get_counts() == {"11": 5, "00": 7, "10": 5, "01": 3}


def test_guide_estimator_results_decode() -> None:
    result = EstimatorResult.from_json(load("rest/results/guide_estimator.json"))
    data, metadata = result[0].data, result[0].metadata
    assert (data.evs, data.stds, data.ensemble_standard_error) == (
        -0.9374102500618965,
        0.030982815700848845,
        0.03686001673650654,
    )
    assert data.shape == () and result.metadata == {}
    assert metadata.shots == 4096 and metadata.target_precision == 0.015625
    older = EstimatorResult.from_json(load("rest/results/guide_estimator_older_output.json"))
    assert older[0].data.item("evs") == 0.7428980350102542 and older[0].metadata.shots == 10016


# -- through the fake ---------------------------------------------------------------------


def _expected(body: dict[str, Any]) -> list[tuple[tuple[int, ...], int | None]]:
    """Per PUB: the result shape the service gives, and the shots when the PUB sets them."""
    out: list[tuple[tuple[int, ...], int | None]] = []
    for pub in body["params"]["pubs"]:
        if body["program_id"] == "sampler":
            values = pub[1] if len(pub) > 1 else None
            shape = _shape(values)[:-1] if isinstance(values, list) else ()
            out.append((shape, pub[2] if len(pub) > 2 else None))
        else:
            obs = _shape(pub[1]) if isinstance(pub[1], list) else ()
            values = pub[2] if len(pub) > 2 else None
            params = _shape(values)[:-1] if isinstance(values, list) else ()
            out.append((_broadcast(obs, params), None))
    return out


def _shape(value: Any) -> tuple[int, ...]:
    return (len(value), *_shape(value[0])) if isinstance(value, list) else ()


def _broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    width = max(len(a), len(b))
    a, b = (1,) * (width - len(a)) + a, (1,) * (width - len(b)) + b
    return tuple(max(x, y) for x, y in zip(a, b, strict=True))


def _registers(qasm: str) -> list[str]:
    """The classical registers a guide circuit declares (``bit[n] name;`` / ``creg name[n];``)."""
    names = []
    for line in qasm.splitlines():
        words = line.strip().rstrip(";").split()
        if len(words) == 2 and words[0].startswith("bit["):
            names.append(words[1])
        elif len(words) == 2 and words[0] == "creg":
            names.append(words[1].split("[")[0])
    return names


def _in_a_fake_session(client: IQPClient, body: dict[str, Any]) -> dict[str, Any]:
    """The guide's session id names a session of IBM's; ours stands in for it."""
    if "session_id" not in body:
        return body
    session = unwrap(
        create_session.sync_detailed(
            client=client,
            body=CreateSessionRequestCloud.from_dict({"backend": body["backend"], "mode": "dedicated"}),
        )
    )
    return {**body, "session_id": session.id}


def _check_sampler(result: SamplerResult, body: dict[str, Any]) -> None:
    assert len(result) == len(body["params"]["pubs"])
    for pub, got, (shape, shots) in zip(body["params"]["pubs"], result, _expected(body), strict=True):
        assert list(got.data) == _registers(pub[0])
        for register in got.data.values():
            assert register.shape == shape and register.num_bits == 2
            if shots is not None:
                assert register.num_shots == shots


def _check_estimator(result: EstimatorResult, body: dict[str, Any]) -> None:
    assert len(result) == len(body["params"]["pubs"])
    for got, (shape, _) in zip(result, _expected(body), strict=True):
        assert got.data.shape == shape


@pytest.mark.parametrize("path", GUIDE_JOBS, ids=_name)
def test_the_fake_takes_each_guide_body_and_answers_in_the_service_s_shape(
    path: Path, iqp_client: IQPClient, iqp_clock: ManualClock
) -> None:
    body = _in_a_fake_session(iqp_client, json.loads(path.read_text()))
    created = unwrap(create_job.sync_detailed(client=iqp_client, body=JobRunParams.from_dict(body)))
    assert created.backend == body["backend"]
    iqp_clock.advance(60)
    if body["program_id"] == "sampler":
        _check_sampler(sampler_result(iqp_client, created.id), body)
    else:
        _check_estimator(estimator_result(iqp_client, created.id), body)


@pytest.mark.parametrize(
    "name",
    ["post_jobs_guide_sampler_parameters.json", "post_jobs_guide_estimator_in_session_parameter_sets.json"],
)
async def test_async_reads_the_guide_jobs_the_same(
    name: str, iqp_client: IQPClient, iqp_async_client: AsyncIQPClient, iqp_clock: ManualClock
) -> None:
    body = _in_a_fake_session(iqp_client, load(f"rest/requests/{name}"))
    created = unwrap(
        await create_job.asyncio_detailed(client=iqp_async_client, body=JobRunParams.from_dict(body))
    )
    iqp_clock.advance(60)
    if body["program_id"] == "sampler":
        _check_sampler(await async_sampler_result(iqp_async_client, created.id), body)
    else:
        _check_estimator(await async_estimator_result(iqp_async_client, created.id), body)


@pytest.mark.parametrize("path", GUIDE_SESSIONS, ids=_name)
def test_the_fake_opens_the_guide_s_sessions(path: Path, iqp_client: IQPClient) -> None:
    body = json.loads(path.read_text())
    session = unwrap(
        create_session.sync_detailed(client=iqp_client, body=CreateSessionRequestCloud.from_dict(body))
    )
    assert session.backend_name == body["backend"] and session.mode.value == body["mode"]


def test_the_guide_s_sampler_shaped_estimator_pub_is_caught_before_sending() -> None:
    """The Estimator page sends ``[circuit, parameter_values, shots]``: the parameter values
    land where the observables go. The body parses (the document does not type PUBs), but the
    client refuses to build it, naming the observables."""
    body = load("rest/requests/guide_errors/post_jobs_estimator_sampler_shaped_pub.json")
    assert JobRunParams.from_dict(body).to_dict() == body
    with pytest.raises(PubError, match=r"^PUB 0: 'theta' is not a Pauli string") as caught:
        estimator_body(body["backend"], body["params"]["pubs"])
    assert caught.value.field == "observables"
