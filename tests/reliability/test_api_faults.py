"""The API failing: 401 in the middle of a run, 429 bursts, 503s, connection resets, and
answers slower than the read timeout; for reads (retried) and for job submission (never
resent once it may have run)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from iqp_api.api.jobs import get_job
from iqp_wrapper import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    RateLimitError,
    ServerError,
    unwrap,
)
from iqp_wrapper.testing.fake import FakeServer, FakeService

from .conftest import (
    CALL_DEADLINE,
    TIMEOUT,
    Connect,
    answered,
    assert_clean,
    exception_texts,
    jobs,
    make_client,
    within,
)

pytestmark = pytest.mark.reliability


# -- 401: tokens revoked while calls go on ----------------------------------------------


async def test_401_mid_run_refreshes_once_and_every_call_succeeds(
    service: FakeService, connect: Connect, job_id: str
) -> None:
    api = connect()
    with within(3.0):
        for index in range(20):
            if index == 10:
                service.revoke_tokens()
            assert (await api.get_job(job_id)).id == job_id
    assert service.iam_calls == 2
    assert answered(service, "get_job", 401) == 1


def test_401_mid_run_under_16_threads_is_one_refresh(
    service: FakeService, server: FakeServer, job_id: str
) -> None:
    client = make_client(service, server)
    done, failures = threading.Semaphore(0), []
    half = threading.Event()

    def work() -> None:
        for _ in range(10):
            try:
                unwrap(get_job.sync_detailed(job_id, client=client))
            except Exception as exc:
                failures.append(exc)
            done.release()
            half.wait()

    threads = [threading.Thread(target=work) for _ in range(16)]
    with within(5.0), client:
        for thread in threads:
            thread.start()
        for _ in range(16):
            done.acquire()  # every thread has made one call with the first token
        service.revoke_tokens()
        half.set()
        for thread in threads:
            thread.join()
    assert failures == []
    assert service.iam_calls == 2  # 16 threads met the 401; one of them refreshed


@pytest.mark.parametrize("mode", ["async"])
async def test_401_mid_run_under_16_tasks_is_one_refresh(
    service: FakeService, connect: Connect, job_id: str
) -> None:
    api = connect()
    await asyncio.gather(*(api.get_job(job_id) for _ in range(16)))
    service.revoke_tokens()
    with within(3.0):
        results = await asyncio.gather(*(api.get_job(job_id) for _ in range(16)))
    assert {job.id for job in results} == {job_id}
    assert service.iam_calls == 2


async def test_401_on_submission_resends_it_once(service: FakeService, connect: Connect) -> None:
    api, before, created = connect(), jobs(service), service.calls("create_job")
    service.faults.fail_next("create_job", 401)
    with within(2.0):
        await api.create_job()
    assert jobs(service) == before + 1
    assert service.calls("create_job") == created + 2  # the 401 (never ran), then the job
    assert service.iam_calls == 2


async def test_401_twice_fails_typed(service: FakeService, connect: Connect, job_id: str) -> None:
    api = connect()
    service.faults.fail_next("get_job", 401, 401)
    with within(2.0), pytest.raises(AuthenticationError) as caught:
        await api.get_job(job_id)
    assert caught.value.status_code == 401
    assert_clean(service, *exception_texts(caught.value))
    assert service.iam_calls == 2


# -- 429 with Retry-After -----------------------------------------------------------------


async def test_429_burst_is_waited_out_as_retry_after_asks(
    service: FakeService, connect: Connect, job_id: str
) -> None:
    api = connect()
    service.faults.fail_next("get_job", 429, 429, 429, retry_after=0.05)
    with within(2.0):
        started = asyncio.get_running_loop().time()
        assert (await api.get_job(job_id)).id == job_id
        waited = asyncio.get_running_loop().time() - started
    assert waited >= 3 * 0.05  # honoured, not retried at once
    assert answered(service, "get_job", 429) == 3


async def test_429_on_submission_is_the_callers_not_resent(service: FakeService, connect: Connect) -> None:
    # The transport leaves a 429 to POST /v1/jobs to the submission pacer
    # (tests/reliability/test_submission_pacing.py): the plain operation raises it at once.
    api, before = connect(), jobs(service)
    service.faults.fail_next("create_job", 429, retry_after=0.05)
    with within(2.0), pytest.raises(RateLimitError) as caught:
        await api.create_job()
    assert caught.value.retry_after == pytest.approx(0.05)
    assert answered(service, "create_job", 429) == 1
    assert jobs(service) == before  # a rejected submission did not run


async def test_429_burst_longer_than_the_retries_fails_typed(
    service: FakeService, connect: Connect, job_id: str
) -> None:
    api = connect()
    service.faults.fail_next("get_job", *[429] * 6, retry_after=0.05)
    with within(2.0), pytest.raises(RateLimitError) as caught:
        await api.get_job(job_id)
    assert caught.value.retry_after == pytest.approx(0.05)
    assert answered(service, "get_job", 429) == 4  # max_attempts


async def test_429_asking_too_long_a_wait_fails_at_once(
    service: FakeService, connect: Connect, job_id: str
) -> None:
    api = connect()
    service.faults.fail_next("get_job", 429, retry_after=120)
    with within(0.5), pytest.raises(RateLimitError) as caught:
        await api.get_job(job_id)
    assert caught.value.retry_after == 120


# -- 503 --------------------------------------------------------------------------------


async def test_503s_on_a_read_are_retried(service: FakeService, connect: Connect, job_id: str) -> None:
    api = connect()
    service.faults.fail_next("get_job", 503, 503)
    with within(2.0):
        assert (await api.get_job(job_id)).id == job_id
    assert answered(service, "get_job") == 3


async def test_503s_past_the_retries_fail_typed(service: FakeService, connect: Connect, job_id: str) -> None:
    api = connect()
    service.faults.fail_next("get_job", *[503] * 6)
    with within(2.0), pytest.raises(ServerError) as caught:
        await api.get_job(job_id)
    assert caught.value.status_code == 503
    assert answered(service, "get_job") == 4


async def test_503_on_submission_is_not_resent(service: FakeService, connect: Connect) -> None:
    api, before, created = connect(), jobs(service), service.calls("create_job")
    service.faults.fail_next("create_job", 503)
    with within(2.0), pytest.raises(ServerError):
        await api.create_job()
    assert service.calls("create_job") == created + 1
    assert jobs(service) == before


# -- connection resets ------------------------------------------------------------------


async def test_reset_on_a_read_is_retried(service: FakeService, connect: Connect, job_id: str) -> None:
    api = connect()
    await api.get_job(job_id)
    service.faults.drop_next("get_job")
    with within(2.0):
        assert (await api.get_job(job_id)).id == job_id


async def test_reset_after_a_submission_ran_is_not_resent(service: FakeService, connect: Connect) -> None:
    """The job was created, then the connection closed unanswered: resending would make a
    second job, so the caller gets a typed error saying it may exist (and can look it up)."""
    api, before = connect(), jobs(service)
    service.faults.drop_next("create_job")
    with within(2.0), pytest.raises(APIConnectionError) as caught:
        await api.create_job()
    assert caught.value.may_have_reached_server is True
    assert caught.value.method == "POST"
    assert "RemoteProtocolError" in str(caught.value)
    assert jobs(service) == before + 1


async def test_idle_connections_reset_between_calls_are_replaced(
    service: FakeService, server: FakeServer, connect: Connect, job_id: str
) -> None:
    api, before = connect(), jobs(service)
    await api.get_job(job_id)
    await api.create_job()
    assert server.drop_connections() >= 1  # a network blip closes the pooled connection
    with within(2.0):
        assert (await api.get_job(job_id)).id == job_id
        await api.create_job()
    assert jobs(service) == before + 2


# -- answers slower than the read timeout ----------------------------------------------


async def test_slow_read_times_out_and_is_retried(
    service: FakeService, connect: Connect, job_id: str
) -> None:
    api = connect()
    await api.get_job(job_id)
    service.faults.slow_next("get_job", 3.0)
    with within(TIMEOUT + 1.0):
        assert (await api.get_job(job_id)).id == job_id


async def test_slow_reads_past_the_retries_fail_typed(
    service: FakeService, connect: Connect, job_id: str
) -> None:
    api = connect()
    await api.get_job(job_id)
    service.faults.slow_next("get_job", 3.0, times=4)
    with within(CALL_DEADLINE + 0.5), pytest.raises(APITimeoutError) as caught:
        await api.get_job(job_id)
    assert "ReadTimeout" in str(caught.value) or "deadline" in str(caught.value)


async def test_slow_submission_times_out_and_is_not_resent(service: FakeService, connect: Connect) -> None:
    api, before, created = connect(), jobs(service), service.calls("create_job")
    service.faults.slow_next("create_job", 3.0)
    with within(TIMEOUT + 1.0), pytest.raises(APITimeoutError) as caught:
        await api.create_job()
    assert caught.value.may_have_reached_server is True
    assert service.calls("create_job") == created + 1
    assert jobs(service) == before + 1  # it ran; only the answer was late
