"""A job result reads the same in each body form the service may send (issue 18, item 6).

The fake sends the result as a JSON object (application/json), as JSON text (text/plain) or
as a JSON string holding the JSON; job_results and the primitives' result fetch, sync and
async, read each into what the JSON-object form gives.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpx import HTTPXMock

from iqp_api.models import (
    ExecutorV02QuantumProgramResultModel,
    ExecutorV10QuantumProgramResultModel,
    ExecutorV20QuantumProgramResultModel,
    NoiseLearnerV3V03NoiseLearnerV3ResultsModel,
)
from iqp_wrapper import IQPClient, UnexpectedResponseError, async_job_results, job_results, result_data
from iqp_wrapper.primitives.fetch import async_sampler_result, sampler_result
from iqp_wrapper.testing.fake import FakeService, ManualClock
from iqp_wrapper.testing.fake.result_forms import RESULT_BODY_FORMS, ResultBodyForm

from .submitting import asubmit, submit

BELL = "OPENQASM 3.0;\nbit[2] meas;\nmeas = measure $[0:1];\n"
SAMPLER = {"pubs": [[BELL, [], 50]]}
CONTENT_TYPES = {"json": "application/json", "text": "text/plain", "json-string": "application/json"}


def _raw_body(fake: FakeService) -> tuple[str, object]:
    """The content type and the parsed body of the fake's last answer to GET .../results."""
    exchange = next(e for e in reversed(fake.history) if e.request.path.endswith("/results"))
    return exchange.response.header("Content-Type") or "", exchange.response.json()


@pytest.mark.parametrize("form", RESULT_BODY_FORMS)
def test_the_fake_sends_each_form(
    form: ResultBodyForm, iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock
) -> None:
    job_id = submit(iqp_client, params=SAMPLER)
    iqp_clock.advance(5)
    iqp_fake.world.result_body_form = form

    job_results(iqp_client, job_id)

    content_type, body = _raw_body(iqp_fake)
    assert content_type.startswith(CONTENT_TYPES[form])
    if form == "json-string":
        assert isinstance(body, str) and isinstance(json.loads(body), dict)
    else:
        assert isinstance(body, dict)


@pytest.mark.parametrize("form", RESULT_BODY_FORMS)
def test_job_results_reads_every_form(
    form: ResultBodyForm, iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock
) -> None:
    sampler = submit(iqp_client, params=SAMPLER)
    executor = submit(iqp_client, program_id="executor")
    iqp_clock.advance(5)
    expected = job_results(iqp_client, sampler), result_data(job_results(iqp_client, executor))
    iqp_fake.world.result_body_form = form

    data = job_results(iqp_client, sampler)
    model = job_results(iqp_client, executor)

    assert isinstance(data, dict) and data == expected[0]
    assert len(data["results"][0]["data"]["meas"]["samples"]) == 50
    assert isinstance(model, ExecutorV02QuantumProgramResultModel)  # typed as from a JSON object
    assert result_data(model) == expected[1]


@pytest.mark.parametrize("form", RESULT_BODY_FORMS)
async def test_async_job_results_reads_every_form(
    form: ResultBodyForm, iqp_async_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock
) -> None:
    sampler = await asubmit(iqp_async_client, params=SAMPLER)
    executor = await asubmit(iqp_async_client, program_id="executor")
    iqp_clock.advance(5)
    expected = await async_job_results(iqp_async_client, sampler)
    iqp_fake.world.result_body_form = form

    assert await async_job_results(iqp_async_client, sampler) == expected
    model = await async_job_results(iqp_async_client, executor)
    assert isinstance(model, ExecutorV02QuantumProgramResultModel)


@pytest.mark.parametrize("form", RESULT_BODY_FORMS)
def test_sampler_result_reads_every_form(
    form: ResultBodyForm, iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock
) -> None:
    job_id = submit(iqp_client, params=SAMPLER)
    iqp_clock.advance(5)
    iqp_fake.world.result_body_form = form

    result = sampler_result(iqp_client, job_id)

    assert sum(result[0].data["meas"].get_counts().values()) == 50


@pytest.mark.parametrize("form", RESULT_BODY_FORMS)
async def test_async_sampler_result_reads_every_form(
    form: ResultBodyForm, iqp_async_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock
) -> None:
    job_id = await asubmit(iqp_async_client, params=SAMPLER)
    iqp_clock.advance(5)
    iqp_fake.world.result_body_form = form

    result = await async_sampler_result(iqp_async_client, job_id)

    assert sum(result[0].data["meas"].get_counts().values()) == 50


def test_the_form_is_a_fake_service_option(iqp_clock: ManualClock) -> None:
    assert FakeService(clock=iqp_clock, result_body_form="text").world.result_body_form == "text"


URL = "https://api.example.test/v1/jobs/j1/results"


@pytest.mark.parametrize("held", ["not json", '"twice"', "3"])
def test_a_string_holding_no_json_object_is_an_unexpected_response(held: str, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, json=held)
    client = IQPClient(base_url="https://api.example.test", token="t")

    with pytest.raises(UnexpectedResponseError, match="does not hold a JSON object or array") as caught:
        job_results(client, "j1")

    assert json.loads(caught.value.content) == held


PROGRAM_RESULTS = Path(__file__).resolve().parents[1] / "realworld" / "programs" / "results"


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("executor_v1.0_result.json", ExecutorV10QuantumProgramResultModel),
        ("executor_v2.0_result.json", ExecutorV20QuantumProgramResultModel),
        ("noise_learner_v3_v0.3_result.json", NoiseLearnerV3V03NoiseLearnerV3ResultsModel),
    ],
)
async def test_a_string_holding_a_program_result_is_typed_by_its_version(
    name: str, model: type, httpx_mock: HTTPXMock
) -> None:
    text = (PROGRAM_RESULTS / name).read_text()
    httpx_mock.add_response(url=URL, json=text, is_reusable=True)
    client = IQPClient(base_url="https://api.example.test", token="t")

    assert type(job_results(client, "j1")) is model
    assert type(await async_job_results(client, "j1")) is model
