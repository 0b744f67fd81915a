"""iter_jobs and async_iter_jobs: every page, the list filters, limits, and jobs added meanwhile."""

from __future__ import annotations

import datetime

import pytest

from iqp_wrapper import ConfigError, IQPClient, async_iter_jobs, iter_jobs
from iqp_wrapper.testing.fake import FakeService, ManualClock

from .submitting import submit

pytestmark = pytest.mark.iqp_fake(rate_limit=None)


def _submit_many(client: IQPClient, clock: ManualClock, count: int, **fields: object) -> list[str]:
    ids = []
    for _ in range(count):
        ids.append(submit(client, **fields))
        clock.advance(1)  # distinct creation times, so the order is well defined
    return ids


def test_every_page_is_read_newest_first(
    iqp_client: IQPClient, iqp_clock: ManualClock, iqp_fake: FakeService
) -> None:
    ids = _submit_many(iqp_client, iqp_clock, 7)
    found = [job.id for job in iter_jobs(iqp_client, page_size=3)]
    assert found == ids[::-1]
    assert iqp_fake.calls("list_jobs") == 3  # 3 + 3 + 1: the short page is the last


def test_a_full_last_page_ends_on_the_count(
    iqp_client: IQPClient, iqp_clock: ManualClock, iqp_fake: FakeService
) -> None:
    _submit_many(iqp_client, iqp_clock, 6)
    assert len(list(iter_jobs(iqp_client, page_size=3))) == 6
    assert iqp_fake.calls("list_jobs") == 2  # no third request for an empty page


def test_pages_are_fetched_only_as_needed(
    iqp_client: IQPClient, iqp_clock: ManualClock, iqp_fake: FakeService
) -> None:
    _submit_many(iqp_client, iqp_clock, 5)
    jobs = iter_jobs(iqp_client, page_size=2)
    next(jobs)
    next(jobs)
    assert iqp_fake.calls("list_jobs") == 1
    next(jobs)
    assert iqp_fake.calls("list_jobs") == 2


def test_limit_stops_early_and_asks_for_no_more_than_needed(
    iqp_client: IQPClient, iqp_clock: ManualClock, iqp_fake: FakeService
) -> None:
    ids = _submit_many(iqp_client, iqp_clock, 5)
    assert [job.id for job in iter_jobs(iqp_client, limit=3, page_size=2)] == ids[::-1][:3]
    limits = [
        dict(exchange.request.query)["limit"]
        for exchange in iqp_fake.history
        if exchange.operation == "list_jobs"
    ]
    assert limits == ["2", "1"]
    assert list(iter_jobs(iqp_client, limit=0)) == []


def test_oldest_first(iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    ids = _submit_many(iqp_client, iqp_clock, 4)
    assert [job.id for job in iter_jobs(iqp_client, sort="ASC", page_size=3)] == ids


def test_filters_reach_the_api(iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    # The API's window is open at both ends: start just before the first job.
    start = datetime.datetime.fromtimestamp(iqp_clock() - 1, tz=datetime.timezone.utc)
    sampler = _submit_many(iqp_client, iqp_clock, 2, tags=["alpha", "beta"])
    estimator = _submit_many(iqp_client, iqp_clock, 2, program_id="estimator", backend="fake_eagle")
    middle = datetime.datetime.fromtimestamp(iqp_clock(), tz=datetime.timezone.utc)
    iqp_clock.advance(10)  # every job so far has ended (2 s queued + 3 s running)
    late = _submit_many(iqp_client, iqp_clock, 1, tags=["alpha"])

    def ids(**filters: object) -> set[str]:
        return {job.id for job in iter_jobs(iqp_client, page_size=2, **filters)}  # type: ignore[arg-type]

    assert ids(program="estimator") == set(estimator)
    assert ids(backend="fake_eagle") == set(estimator)
    assert ids(tags=["alpha"]) == set(sampler + late)
    assert ids(tags=["alpha", "beta"]) == set(sampler)
    assert ids(pending=True) == set(late)
    assert ids(pending=False) == set(sampler + estimator)
    assert ids(created_after=middle) == set(late)
    assert ids(created_before=middle) == set(sampler + estimator)
    assert ids(created_after=start, created_before=middle, program="sampler") == set(sampler)


def test_session_filter(iqp_client: IQPClient) -> None:
    from iqp_api.api.sessions import create_session
    from iqp_api.models import CreateSessionRequestCloud
    from iqp_wrapper import unwrap

    body = CreateSessionRequestCloud.from_dict({"mode": "batch", "backend": "fake_heron"})
    session = unwrap(create_session.sync_detailed(client=iqp_client, body=body))
    inside = submit(iqp_client, session_id=session.id)
    submit(iqp_client)
    assert [job.id for job in iter_jobs(iqp_client, session_id=session.id)] == [inside]


def test_a_job_created_between_pages_is_not_yielded_twice(
    iqp_client: IQPClient, iqp_clock: ManualClock
) -> None:
    ids = _submit_many(iqp_client, iqp_clock, 4)
    jobs = iter_jobs(iqp_client, page_size=2)
    seen = [next(jobs).id, next(jobs).id]
    newcomer = submit(iqp_client)  # pushes every older job one place down the list
    seen += [job.id for job in jobs]
    assert newcomer not in seen
    assert seen == ids[::-1]


def test_an_empty_list(iqp_client: IQPClient) -> None:
    assert list(iter_jobs(iqp_client)) == []


def test_params_are_left_out_unless_asked_for(iqp_client: IQPClient) -> None:
    submit(iqp_client, params={"pubs": [["OPENQASM 3.0;"]]})
    (lean,) = iter_jobs(iqp_client)
    (full,) = iter_jobs(iqp_client, exclude_params=False)
    assert lean.params is not full.params
    assert full.to_dict()["params"] == {"pubs": [["OPENQASM 3.0;"]]}
    assert "params" not in lean.to_dict()


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": 201}, "page_size"),
        ({"limit": -1}, "limit"),
        ({"sort": "UP"}, "sort"),
        ({"created_after": datetime.datetime(2026, 1, 1)}, "timezone-aware"),
    ],
)
def test_bad_arguments_fail_before_any_request(
    iqp_client: IQPClient, iqp_fake: FakeService, options: dict[str, object], words: str
) -> None:
    with pytest.raises(ConfigError, match=words):
        list(iter_jobs(iqp_client, **options))  # type: ignore[arg-type]
    assert iqp_fake.calls("list_jobs") == 0


async def test_aiter_jobs_reads_every_page(
    iqp_async_client: IQPClient, iqp_clock: ManualClock, iqp_fake: FakeService
) -> None:
    ids = _submit_many(iqp_async_client, iqp_clock, 5, program_id="estimator")
    _submit_many(iqp_async_client, iqp_clock, 1)
    found = [job.id async for job in async_iter_jobs(iqp_async_client, page_size=2, program="estimator")]
    assert found == ids[::-1]
    assert iqp_fake.calls("list_jobs") == 3
    limited = [job.id async for job in async_iter_jobs(iqp_async_client, limit=1)]
    assert len(limited) == 1
