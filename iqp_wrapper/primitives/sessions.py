"""Sessions and batches as context managers.

    with open_session(client, "ibm_fez", max_time=600) as session:
        submit_sampler(client, "ibm_fez", pubs, session=session.id)

Leaving the block (normally or by an exception) tells the service the session accepts
no more jobs (``PATCH`` with ``accepting_jobs: false``): jobs already submitted still
run. Nothing queued is cancelled unless you call ``cancel()``, which closes the session
at once and cancels its jobs that have not started.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from iqp_api.models.create_session_request_cloud import CreateSessionRequestCloud
from iqp_api.models.job_session import JobSession
from iqp_api.models.update_session_request import UpdateSessionRequest
from iqp_api.resources.sessions import AsyncSessions, Sessions
from iqp_wrapper._flow import Flow, awaiting, blocking, namespace_call
from iqp_wrapper.errors import ConfigError, ConfigSource
from iqp_wrapper.jobs.submit import SubmittedJob
from iqp_wrapper.primitives.pacing import Pacer, SubmitProgress
from iqp_wrapper.primitives.pubs import EstimatorPubLike, SamplerPubLike, is_count
from iqp_wrapper.primitives.submit import EstimatorOptions, SamplerOptions, estimator_job, sampler_job

if TYPE_CHECKING:
    from iqp_wrapper.client import AnyIQPClient


class Session:
    """A session (``mode="dedicated"``) or batch (``mode="batch"``) on one backend.

    Use it as a context manager (``with`` or ``async with``); ``id`` is what jobs pass as
    ``session=``, and ``run_sampler``/``run_estimator`` submit into it directly.
    """

    def __init__(
        self,
        client: AnyIQPClient,
        backend: str,
        *,
        mode: str = "dedicated",
        max_time: int | None = None,
    ) -> None:
        if mode not in ("dedicated", "batch"):
            raise ConfigError(
                f"mode is 'dedicated' or 'batch', not {mode!r}",
                setting="mode",
                source=ConfigSource.ARGUMENT,
                problem="malformed",
            )
        if max_time is not None and not is_count(max_time):
            raise ConfigError(
                f"max_time is a whole number of seconds above 0, not {max_time!r}",
                setting="max_time",
                source=ConfigSource.ARGUMENT,
                problem="malformed",
            )
        self.client = client
        self.backend = backend
        self.mode = mode
        self.max_time = max_time
        self._id: str | None = None

    @property
    def id(self) -> str:
        """The session's ID (once opened)."""
        if self._id is None:
            raise ConfigError(
                "the session is not open yet: use it in a with block",
                setting="session",
                source=ConfigSource.ARGUMENT,
                problem="not_open",
            )
        return self._id

    def __repr__(self) -> str:
        return f"Session(id={self._id!r}, backend={self.backend!r}, mode={self.mode!r})"

    # -- lifecycle -------------------------------------------------------------------

    def _request(self) -> CreateSessionRequestCloud:
        body: dict[str, object] = {"mode": self.mode, "backend": self.backend}
        if self.max_time is not None:
            body["max_ttl"] = self.max_time
        return CreateSessionRequestCloud.from_dict(body)

    # Each of these is one flow (iqp_wrapper._flow), run blocking or awaited.

    def _opening(self) -> Flow[Session]:
        """Open the session (``with`` does): the service creates it and gives its ID."""
        self._id = (yield _SESSIONS_CREATE(self.client, body=self._request())).id
        return self

    def _stopping(self) -> Flow[None]:
        """Let submitted jobs run but take no new ones (the service's ``accepting_jobs=false``)."""
        yield _SESSIONS_UPDATE(self.client, self.id, body=_NOT_ACCEPTING)

    def _cancelling(self) -> Flow[None]:
        """Close the session now: its jobs that have not started are cancelled."""
        yield _SESSIONS_CLOSE(self.client, self.id)

    def _reading(self) -> Flow[JobSession]:
        """The session as the service reports it now (state, accepting_jobs, times...)."""
        details: JobSession = yield _SESSIONS_GET(self.client, self.id)
        return details

    open = blocking(_opening, "open")
    async_open = awaiting(_opening, "async_open", "``open`` for async code (``async with`` does).")
    stop_accepting_jobs = blocking(_stopping, "stop_accepting_jobs")
    async_stop_accepting_jobs = awaiting(
        _stopping, "async_stop_accepting_jobs", "``stop_accepting_jobs`` for async code."
    )
    cancel = blocking(_cancelling, "cancel")
    async_cancel = awaiting(_cancelling, "async_cancel", "``cancel`` for async code.")
    details = blocking(_reading, "details")
    async_details = awaiting(_reading, "async_details", "``details`` for async code.")

    def __enter__(self) -> Session:
        return self.open()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop_accepting_jobs()

    async def __aenter__(self) -> Session:
        return await self.async_open()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.async_stop_accepting_jobs()

    # -- jobs ------------------------------------------------------------------------

    def _sampler_job(
        self,
        pubs: Sequence[SamplerPubLike],
        *,
        shots: int | None = None,
        options: SamplerOptions | None = None,
        tags: Sequence[str] | None = None,
        progress: SubmitProgress | None = None,
        pacer: Pacer | None = None,
    ) -> Flow[SubmittedJob]:
        """Submit a Sampler job into this session."""
        return (
            yield from sampler_job(
                self.client,
                self.backend,
                pubs,
                shots=shots,
                options=options,
                session=self.id,
                tags=tags,
                progress=progress,
                pacer=pacer,
            )
        )

    def _estimator_job(
        self,
        pubs: Sequence[EstimatorPubLike],
        *,
        precision: float | None = None,
        options: EstimatorOptions | None = None,
        tags: Sequence[str] | None = None,
        progress: SubmitProgress | None = None,
        pacer: Pacer | None = None,
    ) -> Flow[SubmittedJob]:
        """Submit an Estimator job into this session."""
        return (
            yield from estimator_job(
                self.client,
                self.backend,
                pubs,
                precision=precision,
                options=options,
                session=self.id,
                tags=tags,
                progress=progress,
                pacer=pacer,
            )
        )

    run_sampler = blocking(_sampler_job, "run_sampler")
    async_run_sampler = awaiting(_sampler_job, "async_run_sampler", "``run_sampler`` for async code.")
    run_estimator = blocking(_estimator_job, "run_estimator")
    async_run_estimator = awaiting(_estimator_job, "async_run_estimator", "``run_estimator`` for async code.")


_NOT_ACCEPTING = UpdateSessionRequest.from_dict({"accepting_jobs": False})
_SESSIONS_CREATE = namespace_call(lambda c: Sessions(c).create, lambda c: AsyncSessions(c).create)
_SESSIONS_UPDATE = namespace_call(lambda c: Sessions(c).update, lambda c: AsyncSessions(c).update)
_SESSIONS_CLOSE = namespace_call(lambda c: Sessions(c).close, lambda c: AsyncSessions(c).close)
_SESSIONS_GET = namespace_call(lambda c: Sessions(c).get, lambda c: AsyncSessions(c).get)


def open_session(client: AnyIQPClient, backend: str, *, max_time: int | None = None) -> Session:
    """A dedicated session on ``backend``, to use as ``with open_session(...) as s:``
    (or ``async with``); ``max_time`` is its longest life in seconds."""
    return Session(client, backend, mode="dedicated", max_time=max_time)


def open_batch(client: AnyIQPClient, backend: str, *, max_time: int | None = None) -> Session:
    """A batch on ``backend``, used like ``open_session``."""
    return Session(client, backend, mode="batch", max_time=max_time)
