"""iter_jobs and aiter_jobs: every job that matches the list filters, page after page.

GET /v1/jobs pages with ``limit`` and ``offset``. Offsets shift when jobs are created or
deleted meanwhile: a new job pushes the older ones one place down (newest first), so the
same job can come back at the top of the next page; it is yielded once. A job deleted
meanwhile can pull one that was not seen yet into a page already read; offset paging has
no way to notice that.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from iqp_api.api.jobs import list_jobs
from iqp_api.client import AuthenticatedClient
from iqp_api.models.job_response_v3 import JobResponseV3
from iqp_api.models.jobs_response import JobsResponse
from iqp_api.types import UNSET, Unset
from iqp_wrapper.errors import ConfigError, ConfigSource
from iqp_wrapper.responses import unwrap

MAX_PAGE_SIZE = 200
"""The largest page GET /v1/jobs serves."""

Sort = Literal["ASC", "DESC"]


def iter_jobs(
    client: AuthenticatedClient,
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
) -> Iterator[JobResponseV3]:
    """Every job matching the filters (newest first unless ``sort="ASC"``), fetched one
    page at a time as the iteration needs them.

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
    pager = _Pager(
        _query(
            pending, program, backend, created_after, created_before, sort, tags, session_id, exclude_params
        ),
        limit=limit,
        page_size=page_size,
    )
    while (request := pager.next_request()) is not None:
        page = unwrap(list_jobs.sync_detailed(client=client, **request))
        yield from pager.take(page)


async def aiter_jobs(
    client: AuthenticatedClient,
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
) -> AsyncIterator[JobResponseV3]:
    """``iter_jobs`` for async code: ``async for job in aiter_jobs(client, ...)``."""
    pager = _Pager(
        _query(
            pending, program, backend, created_after, created_before, sort, tags, session_id, exclude_params
        ),
        limit=limit,
        page_size=page_size,
    )
    while (request := pager.next_request()) is not None:
        page = unwrap(await list_jobs.asyncio_detailed(client=client, **request))
        for job in pager.take(page):
            yield job


def _query(
    pending: bool | None,
    program: str | None,
    backend: str | None,
    created_after: datetime.datetime | None,
    created_before: datetime.datetime | None,
    sort: Sort | None,
    tags: Sequence[str] | None,
    session_id: str | None,
    exclude_params: bool,
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
        "exclude_params": exclude_params,
    }


def _given(value: Any) -> Any:
    return UNSET if value is None else value


@dataclass
class _Pager:
    """The paging state shared by the sync and async iterators: which page to ask for
    next, and which jobs of a page to hand out."""

    query: dict[str, Any]
    limit: int | None
    page_size: int
    offset: int = 0
    handed_out: int = 0
    done: bool = False
    seen: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if isinstance(self.page_size, bool) or not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ConfigError(
                f"page_size should be from 1 to {MAX_PAGE_SIZE}, not {self.page_size!r}.",
                setting="page_size",
                source=ConfigSource.ARGUMENT,
                problem="out_of_range",
            )
        if self.limit is not None and (isinstance(self.limit, bool) or self.limit < 0):
            raise ConfigError(
                f"limit should be None or a number of jobs (0 or more), not {self.limit!r}.",
                setting="limit",
                source=ConfigSource.ARGUMENT,
                problem="out_of_range",
            )

    def next_request(self) -> dict[str, Any] | None:
        """The keyword arguments of the next list_jobs call, or None when done."""
        remaining = None if self.limit is None else self.limit - self.handed_out
        if self.done or remaining == 0:
            return None
        size = self.page_size if remaining is None else min(self.page_size, remaining)
        return {**self.query, "limit": size, "offset": self.offset}

    def take(self, page: JobsResponse) -> list[JobResponseV3]:
        """The jobs of ``page`` not handed out before, and the next offset."""
        jobs = page.jobs
        asked = self.page_size if self.limit is None else min(self.page_size, self.limit - self.handed_out)
        # The API may serve fewer per page than asked (its own limit is in page.limit):
        # only a page shorter than that is the last one.
        served = min(asked, page.limit) if page.limit > 0 else asked
        self.offset += len(jobs)
        total = page.count if not isinstance(page.count, Unset) else None
        if not jobs or len(jobs) < served or (total is not None and self.offset >= total):
            self.done = True
        fresh: list[JobResponseV3] = []
        for job in jobs:
            if job.id in self.seen:
                continue
            if self.limit is not None and self.handed_out >= self.limit:
                break
            self.seen.add(job.id)
            fresh.append(job)
            self.handed_out += 1
        return fresh
