"""The fake instance's world: its jobs and sessions, and where each stands at a given time.

Nothing here changes with time by itself: a job's status is computed from its creation
time, its plan and any cancellation, at the ``now`` the caller passes. Not locked: the
app serialises every request (app.py).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from iqp_wrapper.testing.fake.catalog import FakeBackend, Plan
from iqp_wrapper.testing.fake.result_forms import ResultBodyForm
from iqp_wrapper.testing.fake.schedule import JobPlan, JobSpec, Schedule

Status = Literal["Queued", "Running", "Completed", "Failed", "Cancelled"]
FINAL: frozenset[str] = frozenset({"Completed", "Failed", "Cancelled"})
SessionState = Literal["open", "active", "inactive", "closed"]
Mode = Literal["batch", "dedicated"]

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass
class Job:
    """One job and everything needed to describe it at any time."""

    id: str
    program_id: str
    backend: str
    created: float
    plan: JobPlan
    user_id: str
    params: dict[str, Any] | None = None
    tags: list[str] = field(default_factory=list)
    session_id: str | None = None
    private: bool = False
    runtime: str | None = None
    cost: int = 600
    calibration_id: str = ""
    caller: str | None = None
    cancelled_at: float | None = None
    results_taken: bool = False

    @property
    def starts(self) -> float:
        """When the plan has it start running."""
        return self.created + self.plan.queued_seconds

    @property
    def ends(self) -> float:
        """When the plan has it finish."""
        return self.starts + self.plan.running_seconds

    def status(self, now: float) -> Status:
        """The job's status at ``now``."""
        if self.cancelled_at is not None and now >= self.cancelled_at:
            return "Cancelled"
        if now < self.starts:
            return "Queued"
        if now < self.ends:
            return "Running"
        return self.plan.outcome

    def is_final(self, now: float) -> bool:
        """True once the job has ended, one way or another."""
        return self.status(now) in FINAL

    def ran_too_long(self, now: float) -> bool:
        """True if the service, not a user, cancelled it (its plan's outcome)."""
        return self.cancelled_at is None and self.status(now) == "Cancelled"

    def started_at(self, now: float) -> float | None:
        """When it started running, if it has by ``now``."""
        if now < self.starts or (self.cancelled_at is not None and self.cancelled_at <= self.starts):
            return None
        return self.starts

    def finished_at(self, now: float) -> float | None:
        """When it ended, if it has by ``now``."""
        if self.cancelled_at is not None and now >= self.cancelled_at:
            return self.cancelled_at
        return self.ends if now >= self.ends else None

    def charged(self, now: float) -> float:
        """Quantum seconds charged for it so far (final once it has ended)."""
        status = self.status(now)
        if status == "Completed":
            return self.plan.charged_seconds
        if status == "Cancelled":
            started = self.started_at(now)
            finished = self.finished_at(now)
            return 0.0 if started is None or finished is None else finished - started
        return 0.0


@dataclass
class Session:
    """A session or batch."""

    id: str
    mode: Mode
    backend: str | None
    max_ttl: int
    interactive_ttl: int | None
    user_id: str
    started: float
    accepting: bool = True
    closed_at: float | None = None

    def closed_time(self, now: float) -> float | None:
        """When it closed (by request or by reaching max_ttl), if it has by ``now``."""
        expiry = self.started + self.max_ttl
        if self.closed_at is not None and self.closed_at <= expiry:
            return self.closed_at if now >= self.closed_at else None
        return expiry if now >= expiry else None


class World:
    """Jobs, sessions and backends of the one fake instance."""

    def __init__(
        self,
        *,
        backends: Iterable[FakeBackend],
        plan: Plan,
        schedule: Schedule,
        rng: random.Random,
    ) -> None:
        self.backends: dict[str, FakeBackend] = {backend.name: backend for backend in backends}
        if not self.backends:
            raise ValueError("the fake needs at least one backend")
        self.plan = plan
        self.schedule = schedule
        self.rng = rng
        self.jobs: dict[str, Job] = {}
        self.sessions: dict[str, Session] = {}
        self.result_body_form: ResultBodyForm = "json"  # see result_forms.py

    def new_id(self) -> str:
        """A fresh job or session ID (20 lower-case letters and digits)."""
        return "".join(self.rng.choice(_ID_ALPHABET) for _ in range(20))

    def trace(self) -> str:
        """A fresh request identifier (a UUID) for error bodies."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add_job(
        self,
        now: float,
        spec: JobSpec,
        *,
        user_id: str,
        params: dict[str, Any] | None,
        private: bool,
        runtime: str | None,
        cost: int,
        calibration_id: str,
        caller: str | None,
    ) -> Job:
        """Create a job at ``now``; its plan comes from the schedule."""
        job = Job(
            id=self.new_id(),
            program_id=spec.program_id,
            backend=spec.backend,
            created=now,
            plan=self.schedule.plan_for(spec),
            user_id=user_id,
            params=params,
            tags=list(spec.tags),
            session_id=spec.session_id,
            private=private,
            runtime=runtime,
            cost=cost,
            calibration_id=calibration_id,
            caller=caller,
        )
        self.jobs[job.id] = job
        return job

    def add_session(
        self,
        now: float,
        *,
        mode: Mode,
        backend: str | None,
        max_ttl: int,
        interactive_ttl: int | None,
        user_id: str,
    ) -> Session:
        """Create a session at ``now``."""
        session = Session(
            id=self.new_id(),
            mode=mode,
            backend=backend,
            max_ttl=max_ttl,
            interactive_ttl=interactive_ttl,
            user_id=user_id,
            started=now,
        )
        self.sessions[session.id] = session
        return session

    def session_jobs(self, session_id: str) -> list[Job]:
        """The jobs of a session, oldest first."""
        return [job for job in self.jobs.values() if job.session_id == session_id]

    def queue_length(self, backend: FakeBackend, now: float) -> int:
        """Jobs waiting on ``backend``: its base queue plus the fake's queued jobs."""
        queued = sum(
            1 for job in self.jobs.values() if job.backend == backend.name and job.status(now) == "Queued"
        )
        return backend.queue_length + queued

    def consumed(self, now: float) -> float:
        """Quantum seconds the instance has used: the plan's base plus every job's charge."""
        return self.plan.consumed_seconds + sum(job.charged(now) for job in self.jobs.values())

    def limit_reached(self, now: float) -> bool:
        """True once usage has reached the plan's limit."""
        limit = self.plan.limit_seconds
        return limit is not None and self.consumed(now) >= limit
