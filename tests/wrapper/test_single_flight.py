"""Many threads and tasks needing a token at once make one IAM call, and share its fate.

Each test holds the one IAM exchange open until every other caller is parked waiting for
it (counted by wrapping Flight.wait / Flight.wait_async), then lets it finish. Waiting is
on events and conditions, never on sleeps.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from iqp_wrapper import IAMAuth, IAMConnectionError, IAMError, IAMTimeoutError
from iqp_wrapper.auth._singleflight import Flight
from iqp_wrapper.transport.retry import NO_RETRIES

from .fakes import API_KEY, API_URL, IAM_TOKEN_URL, APIStub, iam_body, token

JOBS_URL = f"{API_URL}/v1/jobs"
N = 50
PATIENCE = 10.0  # seconds any test waits for an event before failing, instead of hanging
# A large IAM timeout: if waiters were released by their own timeouts rather than by the
# failure, the tests below would take minutes and trip their time bounds.
IAM_TIMEOUT = 120.0


class ParkedCounter:
    """Counts callers that start waiting on a flight, sync or async."""

    def __init__(self) -> None:
        self.count = 0
        self._condition = threading.Condition()

    def note(self) -> None:
        with self._condition:
            self.count += 1
            self._condition.notify_all()

    def wait_for(self, n: int) -> bool:
        with self._condition:
            return self._condition.wait_for(lambda: self.count >= n, PATIENCE)


@pytest.fixture
def parked(monkeypatch: pytest.MonkeyPatch) -> ParkedCounter:
    counter = ParkedCounter()
    sync_wait = Flight.wait
    async_wait = Flight.wait_async

    def counting_wait(self: Flight[Any], timeout: float | None) -> bool:
        counter.note()
        return sync_wait(self, timeout)

    async def counting_wait_async(self: Flight[Any], timeout: float | None) -> bool:
        counter.note()
        return await async_wait(self, timeout)

    monkeypatch.setattr(Flight, "wait", counting_wait)
    monkeypatch.setattr(Flight, "wait_async", counting_wait_async)
    return counter


def new_auth() -> IAMAuth:
    # One attempt per exchange, so "one IAM call" below means one exchange; the exchange's
    # own retries are tested in tests/reliability/test_iam_retries.py.
    return IAMAuth(API_KEY, api_url=API_URL, timeout=IAM_TIMEOUT, retries=NO_RETRIES)


def run_threads(target: Callable[[], Any], n: int) -> tuple[list[Any], list[threading.Thread]]:
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            results[i] = target()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    return results, threads


def join_all(threads: list[threading.Thread], within: float) -> None:
    deadline = time.monotonic() + within
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), f"threads still waiting after {within}s"


# -- threads ----------------------------------------------------------------------------


def test_fifty_threads_make_one_iam_call(httpx_mock: Any, parked: ParkedCounter) -> None:
    release = threading.Event()
    iam_calls: list[int] = []

    def iam(request: httpx.Request) -> httpx.Response:
        iam_calls.append(1)
        assert release.wait(PATIENCE)
        return httpx.Response(200, json=iam_body(len(iam_calls)))

    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)
    api = APIStub(200)
    httpx_mock.add_callback(api, url=JOBS_URL, is_reusable=True)

    with httpx.Client(auth=new_auth()) as client:
        results, threads = run_threads(lambda: client.get(JOBS_URL).status_code, N)
        assert parked.wait_for(N - 1), f"only {parked.count} threads parked"
        release.set()
        join_all(threads, PATIENCE)

    assert results == [200] * N
    assert len(iam_calls) == 1
    assert api.authorizations == [f"Bearer {token(1)}"] * N


@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (httpx.Response(400, json={"errorCode": "BXNIM0415E", "errorMessage": "not found"}), IAMError),
        (httpx.ReadTimeout("IAM read timed out"), IAMTimeoutError),
        (httpx.ConnectError("connection refused"), IAMConnectionError),
    ],
)
def test_a_failed_iam_call_releases_all_fifty_threads_at_once(
    httpx_mock: Any, parked: ParkedCounter, failure: httpx.Response | Exception, kind: type[IAMError]
) -> None:
    release = threading.Event()
    iam_calls: list[int] = []

    def iam(request: httpx.Request) -> httpx.Response:
        iam_calls.append(1)
        assert release.wait(PATIENCE)
        if isinstance(failure, Exception):
            raise failure
        return failure

    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)

    with httpx.Client(auth=new_auth()) as client:
        results, threads = run_threads(lambda: client.get(JOBS_URL), N)
        assert parked.wait_for(N - 1)
        released_at = time.monotonic()
        release.set()
        join_all(threads, PATIENCE)
        took = time.monotonic() - released_at

    assert len(iam_calls) == 1  # nobody retried on their own
    assert all(type(result) is kind for result in results), results
    if kind is IAMError:
        assert {result.error_code for result in results} == {"BXNIM0415E"}
    # Released by the failure, not by their own waits (which would take IAM_TIMEOUT).
    assert took < IAM_TIMEOUT / 10
    # Each waiter got its own copy, so tracebacks do not pile up on one object.
    assert len({id(result) for result in results}) == N


def test_an_unexpected_leader_error_is_shared_not_repeated(httpx_mock: Any, parked: ParkedCounter) -> None:
    release = threading.Event()
    iam_calls: list[int] = []

    def iam(request: httpx.Request) -> httpx.Response:
        iam_calls.append(1)
        assert release.wait(PATIENCE)
        raise RuntimeError("a bug somewhere below the exchange")

    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)
    with httpx.Client(auth=new_auth()) as client:
        results, threads = run_threads(lambda: client.get(JOBS_URL), 10)
        assert parked.wait_for(9)
        release.set()
        join_all(threads, PATIENCE)
    assert len(iam_calls) == 1
    assert all(isinstance(result, RuntimeError) for result in results), results


def test_a_waiter_gives_up_after_the_longest_exchange(monkeypatch: pytest.MonkeyPatch) -> None:
    # A leader that never finishes (a hung DNS lookup, say) does not hold waiters forever.
    auth = IAMAuth(API_KEY, api_url=API_URL, timeout=httpx.Timeout(1.0, connect=2.0, pool=3.0))
    limits: list[float | None] = []

    def no_wait(self: Flight[Any], timeout: float | None) -> bool:
        limits.append(timeout)
        return False

    monkeypatch.setattr(Flight, "wait", no_wait)
    auth._flight = Flight()  # someone else's exchange, in progress
    with httpx.Client(auth=auth) as client, pytest.raises(IAMTimeoutError, match="another request"):
        client.get(JOBS_URL)
    # The exchange's whole budget (its timeout's longest part, retries included), which
    # here ends before the call's own 5 s deadline (httpx's default timeout).
    assert limits == [3.0]


def test_after_a_failure_the_next_caller_tries_again(httpx_mock: Any) -> None:
    httpx_mock.add_response(url=IAM_TOKEN_URL, status_code=500)
    httpx_mock.add_response(url=IAM_TOKEN_URL, json=iam_body(1))
    httpx_mock.add_response(url=JOBS_URL)
    with httpx.Client(auth=new_auth()) as client:
        with pytest.raises(IAMError):
            client.get(JOBS_URL)
        assert client.get(JOBS_URL).status_code == 200


# -- tasks ------------------------------------------------------------------------------


async def test_fifty_tasks_make_one_iam_call(httpx_mock: Any, parked: ParkedCounter) -> None:
    release = asyncio.Event()
    iam_calls: list[int] = []

    async def iam(request: httpx.Request) -> httpx.Response:
        iam_calls.append(1)
        await release.wait()
        return httpx.Response(200, json=iam_body(len(iam_calls)))

    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)
    api = APIStub(200)
    httpx_mock.add_callback(api, url=JOBS_URL, is_reusable=True)

    async with httpx.AsyncClient(auth=new_auth()) as client:
        tasks = [asyncio.create_task(client.get(JOBS_URL)) for _ in range(N)]
        await until(lambda: parked.count >= N - 1)
        release.set()
        responses = await asyncio.wait_for(asyncio.gather(*tasks), PATIENCE)

    assert [r.status_code for r in responses] == [200] * N
    assert len(iam_calls) == 1
    assert api.authorizations == [f"Bearer {token(1)}"] * N


@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (httpx.Response(400, json={"errorCode": "BXNIM0415E", "errorMessage": "not found"}), IAMError),
        (httpx.ReadTimeout("IAM read timed out"), IAMTimeoutError),
    ],
)
async def test_a_failed_iam_call_releases_all_fifty_tasks_at_once(
    httpx_mock: Any, parked: ParkedCounter, failure: httpx.Response | Exception, kind: type[IAMError]
) -> None:
    release = asyncio.Event()
    iam_calls: list[int] = []

    async def iam(request: httpx.Request) -> httpx.Response:
        iam_calls.append(1)
        await release.wait()
        if isinstance(failure, Exception):
            raise failure
        return failure

    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)

    async with httpx.AsyncClient(auth=new_auth()) as client:
        tasks = [asyncio.create_task(client.get(JOBS_URL)) for _ in range(N)]
        await until(lambda: parked.count >= N - 1)
        release.set()
        # Bounded far below the waiters' own limit: they are woken, not timed out.
        results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), IAM_TIMEOUT / 10)

    assert len(iam_calls) == 1
    assert all(type(result) is kind for result in results), results


async def test_a_cancelled_leader_hands_over_to_a_waiter(httpx_mock: Any, parked: ParkedCounter) -> None:
    never = asyncio.Event()
    iam_calls: list[int] = []

    async def iam(request: httpx.Request) -> httpx.Response:
        iam_calls.append(1)
        if len(iam_calls) == 1:
            await never.wait()  # the first exchange hangs until its task is cancelled
        return httpx.Response(200, json=iam_body(len(iam_calls)))

    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)
    api = APIStub(200)
    httpx_mock.add_callback(api, url=JOBS_URL, is_reusable=True)

    async with httpx.AsyncClient(auth=new_auth()) as client:
        leader = asyncio.create_task(client.get(JOBS_URL))
        await until(lambda: len(iam_calls) == 1)
        waiter = asyncio.create_task(client.get(JOBS_URL))
        await until(lambda: parked.count == 1)
        leader.cancel()
        response = await asyncio.wait_for(waiter, PATIENCE)

    assert response.status_code == 200
    assert leader.cancelled()
    assert len(iam_calls) == 2
    assert api.authorizations == [f"Bearer {token(2)}"]


# -- threads and tasks together -------------------------------------------------------


async def test_tasks_wait_for_a_thread_that_leads(httpx_mock: Any, parked: ParkedCounter) -> None:
    entered = threading.Event()
    release = threading.Event()
    iam_calls: list[int] = []

    def iam(request: httpx.Request) -> httpx.Response:  # called on the thread: it may block
        iam_calls.append(1)
        entered.set()
        assert release.wait(PATIENCE)
        return httpx.Response(200, json=iam_body(1))

    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)
    api = APIStub(200)
    httpx_mock.add_callback(api, url=JOBS_URL, is_reusable=True)
    auth = new_auth()

    with httpx.Client(auth=auth) as sync_client:
        results, threads = run_threads(lambda: sync_client.get(JOBS_URL).status_code, 1)
        assert await asyncio.to_thread(entered.wait, PATIENCE)
        async with httpx.AsyncClient(auth=auth) as client:
            tasks = [asyncio.create_task(client.get(JOBS_URL)) for _ in range(10)]
            await until(lambda: parked.count >= 10)
            release.set()
            responses = await asyncio.wait_for(asyncio.gather(*tasks), PATIENCE)
        join_all(threads, PATIENCE)

    assert results == [200]
    assert [r.status_code for r in responses] == [200] * 10
    assert len(iam_calls) == 1


async def until(condition: Callable[[], bool]) -> None:
    """Yield to the event loop until ``condition`` holds (no sleeping: each step is one
    pass of the loop), failing after PATIENCE seconds."""

    async def spin() -> None:
        while not condition():
            await asyncio.sleep(0)

    await asyncio.wait_for(spin(), PATIENCE)
