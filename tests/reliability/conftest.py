"""The reliability suite: the real client against the fake over HTTP on 127.0.0.1, with faults.

Every test here, sync and async alike, is checked for the same things:
- the call succeeds, or fails with the documented typed error;
- within a bounded time (``within``); client timeouts are kept small;
- no job is submitted twice: the fake never holds more new jobs than the test asked to
  create (checked after every test; the tests that create one check the exact count);
- no secret (the API key, any token IAM issued) appears in any log record, captured at
  DEBUG from every logger, the fake's server thread included (checked after every test).

Time on the fake is a ManualClock; nothing sleeps on wall time except where HTTP timing
is what is tested (read timeouts, Retry-After), and then for fractions of a second.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import cast

import httpx
import pytest

from iqp_api.api.jobs import create_job, get_job
from iqp_api.models import JobResponseV3, JobRunParams
from iqp_wrapper import IQPClient, RetryPolicy, unwrap
from iqp_wrapper.testing.connect import connect_fake
from iqp_wrapper.testing.fake import IAM_TOKEN, FakeServer, FakeService, ManualClock
from iqp_wrapper.transport.async_backend import AsyncBackend

# Distinctive, so that a leak anywhere is found by a plain substring search.
API_KEY = "reliability-apikey-7f3c9d2e51b04a68"
# Retries as the default policy decides them, with waits short enough for a test suite.
FAST_RETRIES = RetryPolicy(
    max_attempts=4, max_elapsed=5.0, backoff=0.01, max_backoff=0.05, max_retry_after=1.0
)
TIMEOUT = 0.5  # API read timeout, seconds: each attempt's
CALL_DEADLINE = 2.5  # the whole call's, retries included: the Timeout's longest part
CLIENT_TIMEOUT = httpx.Timeout(CALL_DEADLINE, read=TIMEOUT)


class Api:
    """One client, called the sync or the async way; every call is a coroutine."""

    def __init__(self, client: IQPClient, mode: str) -> None:
        self.client = client
        self.mode = mode
        self.submits = 0  # create_job calls made: the most jobs this test may cause

    async def get_job(self, job_id: str) -> JobResponseV3:
        if self.mode == "sync":
            return unwrap(get_job.sync_detailed(job_id, client=self.client))
        return unwrap(await get_job.asyncio_detailed(job_id, client=self.client))

    async def create_job(self) -> str:
        self.submits += 1
        body = JobRunParams(program_id="sampler", backend="fake_heron", tags=["reliability"])
        if self.mode == "sync":
            return unwrap(create_job.sync_detailed(client=self.client, body=body)).id
        return unwrap(await create_job.asyncio_detailed(client=self.client, body=body)).id

    async def close(self) -> None:
        if self.mode == "sync":
            self.client.get_httpx_client().close()
        else:
            await self.client.get_async_httpx_client().aclose()


Connect = Callable[..., Api]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def service(clock: ManualClock) -> FakeService:
    return FakeService(api_keys=[API_KEY], clock=clock, seed=5, rate_limit=None)


@pytest.fixture
def server(service: FakeService) -> Iterator[FakeServer]:
    with service.serve() as running:
        yield running


@pytest.fixture
def job_id(service: FakeService) -> str:
    """A job made in process, with a token issued directly (no IAM call is counted)."""
    headers = service.headers(service.issue_token(API_KEY))
    with httpx.Client(transport=service.transport(), base_url=service.url, headers=headers) as http:
        created = http.post("/v1/jobs", json={"program_id": "sampler", "backend": "fake_heron"})
    created.raise_for_status()
    return str(created.json()["id"])


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["httpx", "aiohttp"])
def async_backend(request: pytest.FixtureRequest) -> AsyncBackend:
    """What sends the async calls over HTTP; sync calls always go through httpx."""
    return cast(AsyncBackend, request.param)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Sync calls do not use the async backend: run them once, not once per backend."""
    twice = [item for item in items if _sync_with_aiohttp(item)]
    if twice:
        config.hook.pytest_deselected(items=twice)
        items[:] = [item for item in items if item not in twice]


def _sync_with_aiohttp(item: pytest.Item) -> bool:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return bool(params.get("mode") == "sync" and params.get("async_backend") == "aiohttp")


def make_client(
    service: FakeService,
    server: FakeServer,
    *,
    timeout: float | httpx.Timeout = CLIENT_TIMEOUT,
    iam_timeout: float | httpx.Timeout | None = None,
    retries: RetryPolicy | bool = FAST_RETRIES,
    clock: Callable[[], float] = time.monotonic,
    async_backend: AsyncBackend = "httpx",
) -> IQPClient:
    """The client ``connect()`` builds, for the fake over HTTP."""
    return connect_fake(
        service,
        server=server,
        api_key=API_KEY,
        timeout=timeout,
        iam_timeout=iam_timeout,
        retries=retries,
        clock=clock,
        async_backend=async_backend,
    )


@pytest.fixture
async def connect(
    service: FakeService, server: FakeServer, mode: str, async_backend: AsyncBackend, jobs_before: int
) -> AsyncIterator[Connect]:
    """``connect(**make_client options)`` gives an Api in this test's mode; all are closed
    afterwards, and none may have caused more jobs than it asked for."""
    made: list[Api] = []

    def connect(**options: object) -> Api:
        options.setdefault("async_backend", async_backend)
        api = Api(make_client(service, server, **options), mode)  # type: ignore[arg-type]
        made.append(api)
        return api

    yield connect
    for api in made:
        await api.close()
    assert jobs(service) - jobs_before <= sum(api.submits for api in made), "a job was submitted twice"


@pytest.fixture
def jobs_before(service: FakeService, job_id: str) -> int:
    return jobs(service)


def jobs(service: FakeService) -> int:
    """How many jobs the fake holds."""
    with service.app.lock:
        return len(service.world.jobs)


def answered(service: FakeService, operation: str, status: int | None = None) -> int:
    """How many requests of ``operation`` reached the fake (with ``status``, if given)."""
    return sum(
        1
        for exchange in service.history
        if exchange.operation == operation and (status is None or exchange.response.status == status)
    )


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail if the block takes longer than ``seconds`` of wall time."""
    started = time.monotonic()
    yield
    took = time.monotonic() - started
    assert took < seconds, f"took {took:.2f}s, more than the {seconds}s bound"


def secrets_of(service: FakeService) -> set[str]:
    """The API key and every token the fake's IAM issued during the test."""
    found = {API_KEY}
    for exchange in service.history:
        if exchange.operation == IAM_TOKEN and exchange.response.status == 200:
            with contextlib.suppress(ValueError, KeyError, TypeError):  # a garbled answer
                found.add(str(exchange.response.json()["access_token"]))
    return found


def assert_clean(service: FakeService, *texts: str) -> None:
    """No secret of ``service`` in any of ``texts``."""
    secrets = secrets_of(service)
    for text in texts:
        for secret in secrets:
            if secret in text:
                shown = text.replace(secret, "<SECRET>")[:300]  # the failure must not print it either
                pytest.fail(f"a secret leaked into: {shown!r}")


@pytest.fixture(autouse=True)
def no_collection_when_deep(request: pytest.FixtureRequest) -> Iterator[None]:
    """For a test marked ``deep_recursion``: the garbage collected before it, and no
    collection during it. A collection that starts while the client's JSON parser is at the
    recursion limit runs whatever finalizers are due (a leaked socket's ResourceWarning)
    with no stack left: each fails as an unraisable exception, which pytest then reports
    against the test, whatever the client did."""
    if request.node.get_closest_marker("deep_recursion") is None:
        yield
        return
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@pytest.fixture(autouse=True)
def no_secret_logged(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Capture every log record at DEBUG; after the test, none may carry a secret."""
    service: FakeService | None = None
    if "service" in request.fixturenames:
        service = request.getfixturevalue("service")  # set up first, so torn down after this
    caplog.set_level(logging.DEBUG)
    yield
    if service is None:
        return
    records = caplog.get_records("setup") + caplog.get_records("call")
    assert records, "nothing was logged: the capture is not working"
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    texts = []
    for record in records:
        texts += [formatter.format(record), repr(record.args), record.exc_text or ""]
    assert_clean(service, *texts)


def exception_texts(error: BaseException) -> list[str]:
    """The str and repr of an error and of every error in its cause/context chain."""
    texts: list[str] = []
    seen: BaseException | None = error
    while seen is not None and len(texts) < 20:
        texts += [str(seen), repr(seen)]
        seen = seen.__cause__ or seen.__context__
    return texts
