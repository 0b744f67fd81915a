"""Union-typed payloads come back as the variant they were written for, and round-trip.

The fixtures in tests/fixtures/payloads are realistic bodies written by hand from
openapi/qiskit-runtime-api.yaml, one file per variant, plus a copy of each carrying fields the
client does not know (on the top level and nested). Unions without a discriminator are parsed by
best fit (``iqp_api.types.best_fit``): every object variant is tried and the one that leaves the
fewest fields and enum values unrecognised wins. These tests pin which variant each payload
comes back as and that ``to_dict`` gives back exactly the JSON that was parsed.

Request bodies have no generated parser (the client only sends them), so their unions are
resolved here the way the generated response parsers do it (``pick_variant``).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytest_httpx import HTTPXMock

from iqp_api import AuthenticatedClient
from iqp_api.api.jobs import create_job, get_job, get_job_results
from iqp_api.api.sessions import create_session
from iqp_api.models import (
    CreateSessionRequestChannelPartner,
    CreateSessionRequestCloud,
    ExecutorV01ChunkSpan,
    ExecutorV01CircuitItemModel,
    ExecutorV01ParamsModel,
    ExecutorV01QuantumProgramResultItemModel,
    ExecutorV01QuantumProgramResultModel,
    ExecutorV01SamplexItemModel,
    ExecutorV02ChunkSpan,
    ExecutorV02CircuitItemModel,
    ExecutorV02DataTreeType2,
    ExecutorV02ItemMetadataModel,
    ExecutorV02ParamsModel,
    ExecutorV02QuantumProgramResultItemModel,
    ExecutorV02QuantumProgramResultModel,
    ExecutorV02SamplexItemModel,
    JobResponseV3,
    JobRunParams,
    JobRunParamsChannelPartner,
    JobRunParamsEstimator,
    JobRunParamsEstimatorOptionsResilienceZne,
    JobRunParamsEstimatorOptionsTwirling,
    JobRunParamsNoiseLearner,
    JobRunParamsSampler,
    JobRunParamsSamplerOptionsTwirling,
    JobState,
    JobStateStatus,
    JobStatus,
    NoiseLearnerV3V01LinbdbladResultMetadataModel,
    NoiseLearnerV3V01NoiseLearnerV3ResultsModel,
    NoiseLearnerV3V01ParamsModel,
    NoiseLearnerV3V01PostSelectionOptionsModel,
    NoiseLearnerV3V01TREXResultMetadataModel,
    NoiseLearnerV3V02LinbdbladResultMetadataModel,
    NoiseLearnerV3V02NoiseLearnerV3ResultsModel,
    NoiseLearnerV3V02ParamsModel,
    NoiseLearnerV3V02PostSelectionOptionsModel,
    NoiseLearnerV3V02TREXResultMetadataModel,
    PauliLindbladMapModel,
    QpyModelV13ToV16,
    QpyModelV13ToV17,
    RemoteStorage,
    RemoteStorageResults,
    TensorModel,
)
from iqp_api.types import Unresolved, Unset, best_fit, decide

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads"
BASE_URL = "https://api.example.test"
TOKEN = "test-token"
JOB_ID = "d1abc2def3ghi4jkl5mn"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# The generated union parsers catch exactly these when a variant rejects a payload.
REJECTED = (TypeError, ValueError, AttributeError, KeyError)

# Variants of the unions, in the order the document declares them.
PARAMS_VARIANTS: tuple[type[Any], ...] = (
    JobRunParamsSampler,
    JobRunParamsEstimator,
    JobRunParamsNoiseLearner,
    ExecutorV01ParamsModel,
    ExecutorV02ParamsModel,
    NoiseLearnerV3V01ParamsModel,
    NoiseLearnerV3V02ParamsModel,
)
CREATE_JOB_VARIANTS: tuple[type[Any], ...] = (JobRunParams, JobRunParamsChannelPartner)
SESSION_VARIANTS: tuple[type[Any], ...] = (
    CreateSessionRequestCloud,
    CreateSessionRequestChannelPartner,
)

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Case:
    """One fixture and what it must parse as.

    ``variant`` is the class expected at ``variant_at`` (a path from the parsed object);
    ``nested`` pins the classes of inner unions and models; ``extras`` names keys that must be
    kept in the ``additional_properties`` of the model at the given path.
    """

    fixture: str
    variant: type[Any]
    variant_at: Path_ = ()
    nested: tuple[tuple[Path_, type[Any]], ...] = ()
    extras: tuple[tuple[Path_, str], ...] = ()


def ids(case: Case) -> str:
    return case.fixture.removesuffix(".json")


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def at(value: Any, path: Path_) -> Any:
    """Follow attribute names, list indices and map keys (models keep map entries by key)."""
    for part in path:
        if isinstance(part, int):
            value = value[part]
        elif hasattr(value, part):
            value = getattr(value, part)
        else:
            value = value[part]
    return value


def check_parsed(case: Case, parsed: Any) -> None:
    """(b): the parsed object, and the unions inside it, are the expected classes."""
    chosen = at(parsed, case.variant_at)
    assert type(chosen) is case.variant, (
        f"{case.fixture}: {'.'.join(map(str, case.variant_at)) or 'payload'} parsed as "
        f"{type(chosen).__name__}, expected {case.variant.__name__}"
    )
    for path, cls in case.nested:
        inner = at(parsed, path)
        assert isinstance(inner, cls), (
            f"{case.fixture}: {'.'.join(map(str, path))} parsed as {type(inner).__name__}, "
            f"expected {cls.__name__}"
        )
    for path, key in case.extras:
        model = at(parsed, path)
        assert key in model.additional_properties, (
            f"{case.fixture}: unknown field {key!r} not kept at {'.'.join(map(str, path))}"
        )


def pick_variant(payload: dict[str, Any], variants: Sequence[type[Any]]) -> Any:
    """Resolve a request-body union the way the generated response parsers do."""
    candidates = []
    for variant in variants:
        with contextlib.suppress(*REJECTED):
            candidates.append(variant.from_dict(payload))
    assert candidates, "no variant accepted the payload"
    return best_fit(candidates)


def client() -> AuthenticatedClient:
    return AuthenticatedClient(base_url=BASE_URL, token=TOKEN)


# ------------------------------------------------------------------------ POST /v1/jobs bodies

_EXECUTOR_V01_NESTED: tuple[tuple[Path_, type[Any]], ...] = (
    (("params", "quantum_program", "items", 0), ExecutorV01CircuitItemModel),
    (("params", "quantum_program", "items", 1), ExecutorV01SamplexItemModel),
    (("params", "quantum_program", "items", 0, "circuit"), QpyModelV13ToV16),
    (
        ("params", "quantum_program", "items", 1, "samplex_arguments", "parameter_values"),
        TensorModel,
    ),
    (
        (
            "params",
            "quantum_program",
            "items",
            1,
            "samplex_arguments",
            "pauli_lindblad_maps.layer_0",
        ),
        PauliLindbladMapModel,
    ),
)
_EXECUTOR_V02_NESTED: tuple[tuple[Path_, type[Any]], ...] = (
    (("params", "quantum_program", "items", 0), ExecutorV02CircuitItemModel),
    (("params", "quantum_program", "items", 1), ExecutorV02SamplexItemModel),
    (("params", "quantum_program", "items", 0, "circuit"), QpyModelV13ToV17),
    (
        ("params", "quantum_program", "items", 1, "samplex_arguments", "parameter_values"),
        TensorModel,
    ),
    (
        (
            "params",
            "quantum_program",
            "items",
            1,
            "samplex_arguments",
            "pauli_lindblad_maps.layer_0",
        ),
        PauliLindbladMapModel,
    ),
    (("params", "quantum_program", "passthrough_data"), ExecutorV02DataTreeType2),
)
_SAMPLER_NESTED: tuple[tuple[Path_, type[Any]], ...] = (
    (("params", "options", "twirling"), JobRunParamsSamplerOptionsTwirling),
)
_ESTIMATOR_NESTED: tuple[tuple[Path_, type[Any]], ...] = (
    (("params", "options", "resilience", "zne"), JobRunParamsEstimatorOptionsResilienceZne),
    (("params", "options", "twirling"), JobRunParamsEstimatorOptionsTwirling),
)
_NL3_V01_NESTED: tuple[tuple[Path_, type[Any]], ...] = (
    (("params", "instructions"), QpyModelV13ToV16),
    (("params", "options", "post_selection"), NoiseLearnerV3V01PostSelectionOptionsModel),
)
_NL3_V02_NESTED: tuple[tuple[Path_, type[Any]], ...] = (
    (("params", "instructions"), QpyModelV13ToV17),
    (("params", "options", "post_selection"), NoiseLearnerV3V02PostSelectionOptionsModel),
)


def _job_cases(
    stem: str,
    variant: type[Any],
    nested: tuple[tuple[Path_, type[Any]], ...],
    nested_extra: Path_,
    extra_key: str,
) -> list[Case]:
    return [
        Case(f"{stem}.json", variant, ("params",), nested),
        Case(
            f"{stem}_extra_fields.json",
            variant,
            ("params",),
            nested,
            extras=(((), "priority"), (("params",), "client_build"), (nested_extra, extra_key)),
        ),
    ]


CREATE_JOB_CASES = [
    *_job_cases(
        "create_job_sampler",
        JobRunParamsSampler,
        _SAMPLER_NESTED,
        ("params", "options", "twirling"),
        "pauli_group",
    ),
    *_job_cases(
        "create_job_estimator",
        JobRunParamsEstimator,
        _ESTIMATOR_NESTED,
        ("params", "options", "resilience", "zne"),
        "fold_strategy",
    ),
    *_job_cases(
        "create_job_noise_learner",
        JobRunParamsNoiseLearner,
        (),
        ("params", "options"),
        "max_execution_time",
    ),
    *_job_cases(
        "create_job_executor_v0_1",
        ExecutorV01ParamsModel,
        _EXECUTOR_V01_NESTED,
        ("params", "options"),
        "meas_return",
    ),
    *_job_cases(
        "create_job_executor_v0_2",
        ExecutorV02ParamsModel,
        _EXECUTOR_V02_NESTED,
        ("params", "options"),
        "readout_timing",
    ),
    *_job_cases(
        "create_job_noise_learner_v3_v0_1",
        NoiseLearnerV3V01ParamsModel,
        _NL3_V01_NESTED,
        ("params", "options", "post_selection"),
        "threshold",
    ),
    *_job_cases(
        "create_job_noise_learner_v3_v0_2",
        NoiseLearnerV3V02ParamsModel,
        _NL3_V02_NESTED,
        ("params", "options"),
        "max_execution_time",
    ),
]

CHANNEL_PARTNER_CASES = [
    Case(
        "create_job_channel_partner.json",
        JobRunParamsChannelPartner,
        nested=((("remote_storage",), RemoteStorage),),
    ),
    Case(
        "create_job_channel_partner_extra_fields.json",
        JobRunParamsChannelPartner,
        nested=((("remote_storage",), RemoteStorage),),
        extras=(
            ((), "partner_reference"),
            (("remote_storage", "results"), "endpoint"),
        ),
    ),
]


@pytest.mark.parametrize("case", CREATE_JOB_CASES, ids=ids)
def test_job_params_variant_and_round_trip(case: Case) -> None:
    body = load(case.fixture)

    job = JobRunParams.from_dict(body)

    assert job.to_dict() == body
    assert case.variant.from_dict(body["params"]).to_dict() == body["params"]
    check_parsed(case, job)


@pytest.mark.parametrize("case", CHANNEL_PARTNER_CASES, ids=ids)
def test_channel_partner_job_round_trip(case: Case) -> None:
    body = load(case.fixture)

    job = JobRunParamsChannelPartner.from_dict(body)

    check_parsed(case, job)
    assert isinstance(job.remote_storage.results, RemoteStorageResults)
    assert job.to_dict() == body


@pytest.mark.parametrize("case", CREATE_JOB_CASES + CHANNEL_PARTNER_CASES, ids=ids)
def test_create_job_body_union_picks_expected_variant(case: Case) -> None:
    body = load(case.fixture)
    expected = JobRunParamsChannelPartner if "channel_partner" in case.fixture else JobRunParams

    chosen = pick_variant(body, CREATE_JOB_VARIANTS)

    assert chosen.to_dict() == body
    assert type(chosen) is expected, (
        f"{case.fixture}: body parsed as {type(chosen).__name__}, expected {expected.__name__}"
    )


@pytest.mark.parametrize("case", CREATE_JOB_CASES + CHANNEL_PARTNER_CASES, ids=ids)
def test_create_job_sends_body_unchanged(case: Case, httpx_mock: HTTPXMock) -> None:
    body = load(case.fixture)
    model_cls = JobRunParamsChannelPartner if "channel_partner" in case.fixture else JobRunParams
    httpx_mock.add_response(
        method="POST",
        url=f"{BASE_URL}/v1/jobs",
        match_headers=AUTH,
        match_json=body,
        json={"id": JOB_ID, "backend": body["backend"]},
    )

    with client() as c:
        response = create_job.sync_detailed(client=c, body=model_cls.from_dict(body))

    assert response.status_code == 200
    assert response.parsed is not None
    assert response.parsed.to_dict() == {"id": JOB_ID, "backend": body["backend"]}


# ------------------------------------------------------------------- POST /v1/sessions bodies

SESSION_CASES = [
    Case("create_session_cloud.json", CreateSessionRequestCloud),
    Case(
        "create_session_cloud_extra_fields.json",
        CreateSessionRequestCloud,
        extras=(((), "instance_tier"), ((), "labels")),
    ),
    Case("create_session_channel_partner.json", CreateSessionRequestChannelPartner),
    Case(
        "create_session_channel_partner_extra_fields.json",
        CreateSessionRequestChannelPartner,
        extras=(((), "billing_reference"), ((), "schedule")),
    ),
]


@pytest.mark.parametrize("case", SESSION_CASES, ids=ids)
def test_session_request_variant_and_round_trip(case: Case) -> None:
    body = load(case.fixture)

    request = case.variant.from_dict(body)
    chosen = pick_variant(body, SESSION_VARIANTS)

    check_parsed(case, request)
    check_parsed(case, chosen)
    assert request.to_dict() == body
    assert chosen.to_dict() == body


@pytest.mark.parametrize("case", SESSION_CASES, ids=ids)
def test_create_session_sends_body_unchanged(case: Case, httpx_mock: HTTPXMock) -> None:
    body = load(case.fixture)
    session = {
        "id": "d1s9c6pq5fmc73a9bt1g",
        "backend_name": body.get("backend") or body.get("backend_name"),
        "mode": body["mode"],
        "started_at": "2026-03-02T10:15:30.123456Z",
        "max_ttl": body["max_ttl"],
    }
    httpx_mock.add_response(
        method="POST",
        url=f"{BASE_URL}/v1/sessions",
        match_headers=AUTH,
        match_json=body,
        json=session,
    )

    with client() as c:
        response = create_session.sync_detailed(client=c, body=case.variant.from_dict(body))

    assert response.status_code == 200
    assert response.parsed is not None
    assert response.parsed.to_dict() == session


# --------------------------------------------------------------- GET /v1/jobs/{id}/results

_NL3_V01_RESULT_NESTED: tuple[tuple[Path_, type[Any]], ...] = (
    (("data", 0, "metadata"), NoiseLearnerV3V01TREXResultMetadataModel),
    (("data", 1, "metadata"), NoiseLearnerV3V01LinbdbladResultMetadataModel),
)
_NL3_V02_RESULT_NESTED: tuple[tuple[Path_, type[Any]], ...] = (
    (("data", 0, "metadata"), NoiseLearnerV3V02TREXResultMetadataModel),
    (("data", 1, "metadata"), NoiseLearnerV3V02LinbdbladResultMetadataModel),
)
_EXECUTOR_V01_RESULT_NESTED: tuple[tuple[Path_, type[Any]], ...] = (
    (("data", 0), ExecutorV01QuantumProgramResultItemModel),
    (("data", 1, "results", "meas"), TensorModel),
    (("metadata", "chunk_timing", 0), ExecutorV01ChunkSpan),
)
_EXECUTOR_V02_RESULT_NESTED: tuple[tuple[Path_, type[Any]], ...] = (
    (("data", 0), ExecutorV02QuantumProgramResultItemModel),
    (("data", 0, "metadata"), ExecutorV02ItemMetadataModel),
    (("data", 1, "results", "meas"), TensorModel),
    (("metadata", "chunk_timing", 0), ExecutorV02ChunkSpan),
    (("passthrough_data",), ExecutorV02DataTreeType2),
)


def _result_cases(
    stem: str, variant: type[Any], nested: tuple[tuple[Path_, type[Any]], ...], extra_at: Path_
) -> list[Case]:
    return [
        Case(f"{stem}.json", variant, nested=nested),
        Case(
            f"{stem}_extra_fields.json",
            variant,
            nested=nested,
            extras=(((), "job_id"), (("data", 0), "quality"), (extra_at, "kept_shots"))
            if "noise_learner" in stem
            else (((), "job_id"), (("data", 0), "quality"), (extra_at, "worker")),
        ),
    ]


RESULT_CASES = [
    *_result_cases(
        "job_results_executor_v0_1",
        ExecutorV01QuantumProgramResultModel,
        _EXECUTOR_V01_RESULT_NESTED,
        ("metadata",),
    ),
    *_result_cases(
        "job_results_executor_v0_2",
        ExecutorV02QuantumProgramResultModel,
        _EXECUTOR_V02_RESULT_NESTED,
        ("metadata",),
    ),
    *_result_cases(
        "job_results_noise_learner_v3_v0_1",
        NoiseLearnerV3V01NoiseLearnerV3ResultsModel,
        _NL3_V01_RESULT_NESTED,
        ("data", 1, "metadata", "post_selection"),
    ),
    *_result_cases(
        "job_results_noise_learner_v3_v0_2",
        NoiseLearnerV3V02NoiseLearnerV3ResultsModel,
        _NL3_V02_RESULT_NESTED,
        ("data", 1, "metadata", "post_selection"),
    ),
    # Sampler and Estimator results (a JSON object, see openapi/corrections.yaml) come from the
    # real-world corpus: tests/realworld/test_corpus_parses.py.
]


def _mock_results(httpx_mock: HTTPXMock, payload: Any) -> None:
    httpx_mock.add_response(
        method="GET",
        url=f"{BASE_URL}/v1/jobs/{JOB_ID}/results",
        match_headers=AUTH,
        json=payload,
    )


def _check_result(case: Case, payload: Any, parsed: Any) -> None:
    # Round trip first: a payload parsed as the wrong variant still keeps every field.
    if isinstance(parsed, str):
        assert parsed == payload
    else:
        assert parsed.to_dict() == payload
        assert case.variant.from_dict(payload).to_dict() == payload
    check_parsed(case, parsed)
    if case.variant in (ExecutorV01QuantumProgramResultModel, ExecutorV02QuantumProgramResultModel):
        span = parsed.metadata.chunk_timing[0]
        assert span.start == datetime.datetime(2026, 3, 2, 10, 15, 30, 123456, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize("case", RESULT_CASES, ids=ids)
def test_job_results_variant_and_round_trip_sync(case: Case, httpx_mock: HTTPXMock) -> None:
    payload = load(case.fixture)
    _mock_results(httpx_mock, payload)

    with client() as c:
        response = get_job_results.sync_detailed(JOB_ID, client=c)

    assert response.status_code == 200
    _check_result(case, payload, response.parsed)


@pytest.mark.parametrize("case", RESULT_CASES, ids=ids)
async def test_job_results_variant_and_round_trip_async(case: Case, httpx_mock: HTTPXMock) -> None:
    payload = load(case.fixture)
    _mock_results(httpx_mock, payload)

    async with client() as c:
        response = await get_job_results.asyncio_detailed(JOB_ID, client=c)

    assert response.status_code == 200
    _check_result(case, payload, response.parsed)


# --------------------------------------------------------------------------- GET /v1/jobs/{id}

_JOB_URL = re.compile(rf"{re.escape(BASE_URL)}/v1/jobs/{JOB_ID}(\?.*)?$")


def test_job_response_unknown_status_parses_and_round_trips(httpx_mock: HTTPXMock) -> None:
    payload = load("job_response_status_paused.json")
    httpx_mock.add_response(method="GET", url=_JOB_URL, match_headers=AUTH, json=payload)

    with client() as c:
        response = get_job.sync_detailed(JOB_ID, client=c)

    job = response.parsed
    assert isinstance(job, JobResponseV3)
    assert isinstance(job.status, JobStatus)
    assert not job.status.is_known
    assert job.status.value == "Paused"
    assert job.status == "Paused"
    assert isinstance(job.state, JobState)
    assert isinstance(job.state.status, JobStateStatus)
    assert not job.state.status.is_known
    assert job.state.status.value == "Paused"
    assert job.created == datetime.datetime(2026, 3, 2, 10, 15, 30, 123456, tzinfo=datetime.timezone.utc)
    assert job.additional_properties == {}
    assert job.to_dict() == payload
    assert JobResponseV3.from_dict(payload).to_dict() == payload


def test_job_response_known_status_is_known() -> None:
    payload = load("job_response_extra_fields.json")

    job = JobResponseV3.from_dict(payload)

    assert job.status is JobStatus.COMPLETED
    assert job.status.is_known
    assert job.state.status is JobStateStatus.COMPLETED


def test_job_response_unknown_top_level_fields_kept(httpx_mock: HTTPXMock) -> None:
    payload = load("job_response_extra_fields.json")
    httpx_mock.add_response(method="GET", url=_JOB_URL, match_headers=AUTH, json=payload)

    with client() as c:
        response = get_job.sync_detailed(JOB_ID, client=c)

    job = response.parsed
    assert isinstance(job, JobResponseV3)
    assert job.additional_properties == {
        "queue_info": payload["queue_info"],
        "qiskit_version": payload["qiskit_version"],
    }
    assert job["qiskit_version"] == "2.2.1"
    assert job.to_dict() == payload
    assert JobResponseV3.from_dict(payload).to_dict() == payload


# -------------------------------------------------------------- the checks above can fail


def test_estimator_params_are_not_parsed_as_sampler() -> None:
    body = load("create_job_estimator.json")

    job = JobRunParams.from_dict(body)

    assert not isinstance(job.params, JobRunParamsSampler)
    # The Sampler variant alone does accept the payload, so only best fit keeps them apart:
    # everything estimator-specific then ends up unrecognised.
    as_sampler = JobRunParamsSampler.from_dict(body["params"])
    assert {"resilience_level"} <= set(as_sampler.additional_properties)
    assert not isinstance(as_sampler.options, Unset)
    assert "resilience" in as_sampler.options.additional_properties


def _estimator_without_its_own_fields() -> dict[str, Any]:
    body: dict[str, Any] = load("create_job_estimator.json")
    params = body["params"]
    del params["resilience_level"]
    for key in ("resilience", "default_precision", "seed_estimator"):
        del params["options"][key]
    return body


def test_program_id_decides_when_the_fields_tie() -> None:
    body = _estimator_without_its_own_fields()

    job = JobRunParams.from_dict(body)

    # Nothing in params tells Sampler and Estimator apart; program_id does (overlay).
    assert type(job.params) is JobRunParamsEstimator
    assert job.to_dict() == body


def test_a_tie_with_nothing_to_decide_is_kept_unresolved() -> None:
    params = _estimator_without_its_own_fields()["params"]
    # program_id is required on a job, so ask the decision itself, with no rule to apply.
    candidates = [JobRunParamsSampler.from_dict(params), JobRunParamsEstimator.from_dict(params)]

    decided = decide(candidates, params)

    assert isinstance(decided, Unresolved)
    assert decided.data == params and decided.to_dict() == params
    assert set(decided.candidates) == {"JobRunParamsSampler", "JobRunParamsEstimator"}
    assert decided.reason == "several variants fit equally"
    # best_fit, which the generator's plain unions still use, would have guessed.
    assert type(best_fit(candidates)) is JobRunParamsSampler


def test_an_unknown_program_keeps_its_params_unresolved() -> None:
    body = load("create_job_sampler.json")
    body["program_id"] = "circuit-runner"

    job = JobRunParams.from_dict(body)

    assert isinstance(job.params, Unresolved) and "names no known variant" in job.params.reason
    assert job.to_dict() == body


def test_params_the_program_s_variant_rejects_are_not_given_another_variant() -> None:
    body = load("create_job_sampler.json")
    body["program_id"] = "executor"  # a Sampler body under the executor program

    job = JobRunParams.from_dict(body)

    assert isinstance(job.params, Unresolved)
    assert job.params.reason == (
        "not a valid ExecutorV01ParamsModel or ExecutorV02ParamsModel or ExecutorV10ParamsModel"
        " or ExecutorV11ParamsModel or ExecutorV20ParamsModel payload"
    )
    assert job.to_dict() == body


def test_a_versioned_variant_with_an_unknown_version_is_unresolved() -> None:
    body = load("create_job_executor_v0_1.json")
    body["params"]["schema_version"] = "v9.9"

    job = JobRunParams.from_dict(body)

    assert isinstance(job.params, Unresolved) and job.params.reason == "no variant's tags match"
    assert job.to_dict() == body


def test_check_parsed_rejects_the_wrong_variant() -> None:
    body = load("create_job_estimator.json")
    wrong = Case("create_job_estimator.json", JobRunParamsSampler, ("params",))

    with pytest.raises(AssertionError, match="parsed as JobRunParamsEstimator"):
        check_parsed(wrong, JobRunParams.from_dict(body))


def test_check_parsed_rejects_a_lost_extra_field() -> None:
    body = load("create_job_sampler.json")
    wrong = Case("create_job_sampler.json", JobRunParamsSampler, ("params",), extras=(((), "priority"),))

    with pytest.raises(AssertionError, match="unknown field 'priority' not kept"):
        check_parsed(wrong, JobRunParams.from_dict(body))


def test_schema_version_separates_executor_versions() -> None:
    body = load("create_job_executor_v0_1.json")
    body["params"]["schema_version"] = "v0.2"

    job = JobRunParams.from_dict(body)

    assert type(job.params) is ExecutorV02ParamsModel
    assert job.to_dict() == body


def test_executor_v2_0_circuits_land_in_the_qpy_or_the_openqasm_class() -> None:
    from iqp_api.models import (
        CompressedQpyDataModelQuantumCircuit,
        ExecutorV20ParamsModel,
        OpenQasm3DataModelQuantumCircuit,
    )

    corpus = Path(__file__).resolve().parents[1] / "realworld" / "qiskit" / "requests"
    body = json.loads((corpus / "post_jobs_executor_sampler_job.json").read_text())
    qpy = JobRunParams.from_dict(body)
    body["params"]["quantum_program"]["circuits"] = {
        "data": ["OPENQASM 3.0;\nbit[1] c;\nc[0] = measure $0;\n"]
    }
    qasm = JobRunParams.from_dict(body)

    assert isinstance(qpy.params, ExecutorV20ParamsModel) and isinstance(qasm.params, ExecutorV20ParamsModel)
    assert isinstance(qpy.params.quantum_program.circuits, CompressedQpyDataModelQuantumCircuit)
    assert isinstance(qasm.params.quantum_program.circuits, OpenQasm3DataModelQuantumCircuit)
    assert qasm.to_dict() == body
