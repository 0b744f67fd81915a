"""IAM failing: 5xx, no answer in time, an answer that is not JSON; alone and under load."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest

from iqp_api.api.jobs import get_job
from iqp_wrapper import IAMConnectionError, IAMError, IAMTimeoutError
from iqp_wrapper.testing.fake import IAM_TOKEN, FakeServer, FakeService, ManualClock

from .conftest import Connect, assert_clean, exception_texts, make_client, within

pytestmark = pytest.mark.reliability


@pytest.mark.parametrize("status", [500, 503])
async def test_one_iam_5xx_is_retried_within_the_call(
    service: FakeService, connect: Connect, job_id: str, status: int
) -> None:
    api = connect()
    service.faults.fail_next(IAM_TOKEN, status)
    with within(2.0):
        assert (await api.get_job(job_id)).id == job_id
    assert service.iam_calls == 2


@pytest.mark.parametrize("status", [500, 503])
async def test_iam_5xx_past_the_retries_fails_typed_then_the_next_call_recovers(
    service: FakeService, connect: Connect, job_id: str, status: int
) -> None:
    api = connect()
    service.faults.fail_next(IAM_TOKEN, *[status] * 4)  # every attempt FAST_RETRIES allows
    with within(2.0), pytest.raises(IAMError) as caught:
        await api.get_job(job_id)
    assert caught.value.status_code == status
    assert not isinstance(caught.value, (IAMTimeoutError, IAMConnectionError))
    assert_clean(service, *exception_texts(caught.value))
    assert service.iam_calls == 4
    assert (await api.get_job(job_id)).id == job_id
    assert service.iam_calls == 5


async def test_iam_5xx_before_a_submission_submits_nothing(service: FakeService, connect: Connect) -> None:
    api, before = connect(), service.calls("create_job")
    service.faults.fail_next(IAM_TOKEN, *[502] * 4)
    with within(2.0), pytest.raises(IAMError):
        await api.create_job()
    assert service.calls("create_job") == before  # the request never left
    await api.create_job()
    assert service.calls("create_job") == before + 1


async def test_iam_5xx_at_refresh_keeps_the_still_valid_token(
    service: FakeService, connect: Connect, job_id: str, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    api = connect(clock=clock)  # the client's monotonic clock moves with the fake's
    await api.get_job(job_id)
    clock.advance(0.8 * 3600 + 1)  # refresh due, token valid for 12 more minutes
    service.faults.fail_next(IAM_TOKEN, *[503] * 4)  # the exchange fails, retries and all
    with within(2.0):
        assert (await api.get_job(job_id)).id == job_id
    assert service.iam_calls == 5
    assert any(r.levelno == logging.WARNING and r.name == "iqp_wrapper.auth.flow" for r in caplog.records)
    clock.advance(400)  # past the retry time the failure set; still before expiry
    await api.get_job(job_id)
    assert service.iam_calls == 6


async def test_iam_timeout_fails_typed_within_the_iam_timeout(
    service: FakeService, connect: Connect, job_id: str
) -> None:
    api = connect(iam_timeout=0.3)
    service.faults.slow_next(IAM_TOKEN, 5.0)
    with within(1.5), pytest.raises(IAMTimeoutError) as caught:
        await api.get_job(job_id)
    assert_clean(service, *exception_texts(caught.value))
    assert (await api.get_job(job_id)).id == job_id
    assert service.iam_calls == 2


async def test_iam_malformed_answer_fails_typed(service: FakeService, connect: Connect, job_id: str) -> None:
    api = connect()
    service.faults.garble_next(IAM_TOKEN)
    with within(2.0), pytest.raises(IAMError) as caught:
        await api.get_job(job_id)
    assert caught.value.status_code == 200
    assert "access_token" in str(caught.value)
    assert_clean(service, *exception_texts(caught.value))
    assert (await api.get_job(job_id)).id == job_id
    assert service.iam_calls == 2


def test_iam_timeout_under_load_is_one_exchange_and_fails_every_waiter_at_once(
    service: FakeService, server: FakeServer, job_id: str
) -> None:
    """16 threads need a token; IAM hangs: one exchange, and all 16 get the timeout together."""
    client = make_client(service, server, iam_timeout=0.3)
    service.faults.slow_next(IAM_TOKEN, 5.0)
    errors: list[BaseException] = []
    start = threading.Barrier(16)

    def call() -> None:
        start.wait()
        try:
            get_job.sync_detailed(job_id, client=client)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(16)]
    with within(2.0), client:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(errors) == 16
    assert all(isinstance(error, IAMTimeoutError) for error in errors), errors
    assert service.iam_calls == 1


@pytest.mark.parametrize("mode", ["async"])
async def test_iam_5xx_under_async_load_is_one_exchange(
    service: FakeService, connect: Connect, job_id: str
) -> None:
    api = connect()
    service.faults.fail_next(IAM_TOKEN, *[503] * 4)
    with within(2.0):
        results = await asyncio.gather(*(api.get_job(job_id) for _ in range(16)), return_exceptions=True)
    assert all(isinstance(result, IAMError) for result in results), results
    assert service.iam_calls == 4  # one exchange, its four attempts, shared by all 16
    assert (await api.get_job(job_id)).id == job_id
