"""iter_jobs and async_iter_jobs: ``client.jobs.iter`` with the argument checks and defaults of
this module's first version (None for "no filter", 200 jobs a page).

The paging itself is generated (``iqp_api.pagination``), as it is for every paged list
operation: GET /v1/jobs pages with ``limit`` and ``offset``. Offsets shift when jobs are
created or deleted meanwhile: a new job pushes the older ones one place down (newest
first), so the same job can come back at the top of the next page; it is yielded once. A
job deleted meanwhile can pull one that was not seen yet into a page already read; offset
paging has no way to notice that.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from iqp_api.models.job_response_v3 import JobResponseV3
from iqp_api.resources.jobs import AsyncJobs, Jobs
from iqp_api.types import UNSET
from iqp_wrapper._deprecation import deprecated_name
from iqp_wrapper._flow import then
from iqp_wrapper.errors import ConfigError, ConfigSource

if TYPE_CHECKING:
    from iqp_wrapper.client import AnyIQPClient

MAX_PAGE_SIZE = 200
"""The largest page GET /v1/jobs serves."""

Sort = Literal["ASC", "DESC"]


def _jobs_query(
    client: AnyIQPClient,
    *,
    limit: int | None = None,
    page_size: int = MAX_PAGE_SIZE,
    pending: bool | None = None,
    program: str | None = None,
    backend: str | None = None,
    created_after: datetime.datetime | None = None,
    created_before: datetime.datetime | None = None,
    sort: Sort | None = None,
    tags: Sequence[str] | None = None,
    session_id: str | None = None,
    exclude_params: bool = True,
) -> _JobsQuery:
    """Every job matching the filters (newest first unless ``sort="ASC"``), fetched one
    page at a time as the iteration needs them: ``client.jobs.iter(...)``, checked first.
    (Either client works: this calls the sync namespace methods, ``async_iter_jobs`` the async ones.)

    Args:
        client: a client from ``connect()``.
        limit: stop after this many jobs (None: all of them).
        page_size: jobs per request, 1 to 200.
        pending: True for queued and running jobs only, False for ended ones only.
        program: only jobs of this program (``sampler``, ``estimator``...).
        backend: only jobs on this backend.
        created_after, created_before: only jobs created in this window (timezone-aware).
        sort: ``"ASC"`` for oldest first; the API's default is newest first.
        tags: only jobs carrying every one of these tags.
        session_id: only jobs of this session or batch.
        exclude_params: leave each job's input parameters out (smaller pages).

    Raises:
        ConfigError: for a page_size or limit out of range, before any request.
        APIError: (a subclass of) for an error answer from the API.
    """
    query = _query(pending, program, backend, created_after, created_before, sort, tags, session_id)
    _check_sizes(limit, page_size)
    return _JobsQuery(
        client, {**query, "exclude_params": exclude_params, "page_size": page_size, "limit": limit}
    )


@dataclass(frozen=True)
class _JobsQuery:
    """A checked query: the client, and the keyword arguments of ``client.jobs.iter``."""

    client: AnyIQPClient
    arguments: dict[str, Any]


def _pages(query: _JobsQuery) -> Iterator[JobResponseV3]:
    return iter(Jobs(query.client).iter(**query.arguments))


def _async_pages(query: _JobsQuery) -> AsyncIterator[JobResponseV3]:
    return AsyncJobs(query.client).iter(**query.arguments).__aiter__()


# The checks are written once; the two twins differ only in the namespace they page with.
iter_jobs = then(_jobs_query, _pages, "iter_jobs")
async_iter_jobs = then(
    _jobs_query,
    _async_pages,
    "async_iter_jobs",
    "``iter_jobs`` for async code: ``async for job in async_iter_jobs(client, ...)``.",
)


def aiter_jobs(client: AnyIQPClient, **filters: Any) -> AsyncIterator[JobResponseV3]:
    """Deprecated spelling of ``async_iter_jobs`` (async twins are ``async_`` names)."""
    deprecated_name("aiter_jobs", "async_iter_jobs")
    return async_iter_jobs(client, **filters)


def _query(
    pending: bool | None,
    program: str | None,
    backend: str | None,
    created_after: datetime.datetime | None,
    created_before: datetime.datetime | None,
    sort: Sort | None,
    tags: Sequence[str] | None,
    session_id: str | None,
) -> dict[str, Any]:
    """The list_jobs keyword arguments for the filters; None means "no filter"."""
    for name, moment in (("created_after", created_after), ("created_before", created_before)):
        if moment is not None and moment.tzinfo is None:
            raise ConfigError(
                f"{name} should be timezone-aware (for example with tzinfo=timezone.utc).",
                setting=name,
                source=ConfigSource.ARGUMENT,
                problem="naive_datetime",
            )
    if sort is not None and sort not in ("ASC", "DESC"):
        raise ConfigError(
            f"sort should be 'ASC' or 'DESC', not {sort!r}.",
            setting="sort",
            source=ConfigSource.ARGUMENT,
            problem="not_allowed",
        )
    return {
        "pending": _given(pending),
        "program": _given(program),
        "backend": _given(backend),
        "created_after": _given(created_after),
        "created_before": _given(created_before),
        "sort": _given(sort),
        "tags": UNSET if tags is None else list(tags),
        "session_id": _given(session_id),
    }


def _check_sizes(limit: int | None, page_size: int) -> None:
    if isinstance(page_size, bool) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ConfigError(
            f"page_size should be from 1 to {MAX_PAGE_SIZE}, not {page_size!r}.",
            setting="page_size",
            source=ConfigSource.ARGUMENT,
            problem="out_of_range",
        )
    if limit is not None and (isinstance(limit, bool) or limit < 0):
        raise ConfigError(
            f"limit should be None or a number of jobs (0 or more), not {limit!r}.",
            setting="limit",
            source=ConfigSource.ARGUMENT,
            problem="out_of_range",
        )


def _given(value: Any) -> Any:
    return UNSET if value is None else value
