"""How each job will progress: seconds queued, seconds running, and how it ends.

A job's status is never stored; it is read off its plan against the clock, so moving a
ManualClock forward moves every job along, deterministically.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Outcome = Literal["Completed", "Failed", "Cancelled"]
"""How a job ends if nobody cancels it. ``Cancelled`` is the service stopping it:
status ``Cancelled - Ran too long``."""


@dataclass(frozen=True)
class JobPlan:
    """The life of one job.

    Attributes:
        queued_seconds: time spent Queued after creation.
        running_seconds: time spent Running after that.
        outcome: the final state.
        usage_seconds: quantum seconds charged when it completes (default: running time).
        reason: the state reason of a Failed or service-Cancelled job.
        reason_code: its code (1000 to 9999).
    """

    queued_seconds: float = 2.0
    running_seconds: float = 3.0
    outcome: Outcome = "Completed"
    usage_seconds: float | None = None
    reason: str = ""
    reason_code: int | None = None

    def __post_init__(self) -> None:
        if self.queued_seconds < 0 or self.running_seconds < 0:
            raise ValueError("a job plan cannot have negative durations")
        if self.reason_code is not None and not 1000 <= self.reason_code <= 9999:
            raise ValueError("a reason code has four digits")

    @property
    def charged_seconds(self) -> float:
        """Quantum seconds charged for a completed run."""
        return self.running_seconds if self.usage_seconds is None else self.usage_seconds


@dataclass(frozen=True)
class JobSpec:
    """What a planner may look at to choose a plan."""

    program_id: str
    backend: str
    session_id: str | None
    tags: tuple[str, ...]


Planner = Callable[[JobSpec], JobPlan]


class Schedule:
    """Chooses each new job's plan: a queued plan first, else the planner, else the default."""

    def __init__(self, default: JobPlan | None = None, *, planner: Planner | None = None) -> None:
        self.default = default or JobPlan()
        self.planner = planner
        self._next: deque[JobPlan] = deque()
        self._lock = threading.Lock()

    def queue(self, *plans: JobPlan) -> None:
        """Use ``plans`` for the next jobs created, in order."""
        with self._lock:
            self._next.extend(plans)

    def plan_for(self, spec: JobSpec) -> JobPlan:
        """The plan of the job about to be created."""
        with self._lock:
            if self._next:
                return self._next.popleft()
        if self.planner is not None:
            return self.planner(spec)
        return self.default
