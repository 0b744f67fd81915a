"""How each job will progress: seconds queued, seconds running, and how it ends.

A job's status is never stored; it is read off its plan against the clock, so moving a
ManualClock forward moves every job along, deterministically.

How a job ends is configurable per job: in process with ``Schedule.queue`` or a planner,
and from any client (over HTTP too) with a job tag ``fake-outcome:<Outcome>[:<reason
code>[:<reason>]]``, e.g. ``fake-outcome:Failed:1517:Circuit too deep``.
"""

from __future__ import annotations

import dataclasses
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

OUTCOME_TAG = "fake-outcome:"
"""The prefix of the job tag that sets how that job ends."""

_OUTCOMES: tuple[Outcome, ...] = ("Completed", "Failed", "Cancelled")


def tagged_plan(plan: JobPlan, tags: tuple[str, ...]) -> JobPlan:
    """``plan`` with the outcome, reason code and reason a ``fake-outcome:`` tag asks for
    (unchanged without such a tag; a malformed one raises ValueError)."""
    for tag in tags:
        if not tag.startswith(OUTCOME_TAG):
            continue
        outcome, _, rest = tag[len(OUTCOME_TAG) :].partition(":")
        code, _, reason = rest.partition(":")
        if outcome not in _OUTCOMES or (code and not code.isdigit()):
            raise ValueError(
                f"tag {tag!r}: write {OUTCOME_TAG}<Completed|Failed|Cancelled>[:<reason code>[:<reason>]]"
            )
        return dataclasses.replace(
            plan,
            outcome=next(o for o in _OUTCOMES if o == outcome),
            reason_code=int(code) if code else plan.reason_code,
            reason=reason or plan.reason,
        )
    return plan


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
        """The plan of the job about to be created, then its ``fake-outcome:`` tag."""
        with self._lock:
            queued = self._next.popleft() if self._next else None
        if queued is not None:
            plan = queued
        elif self.planner is not None:
            plan = self.planner(spec)
        else:
            plan = self.default
        return tagged_plan(plan, spec.tags)
