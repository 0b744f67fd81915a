"""Scripted failures: what the next requests of an operation should suffer.

Each operation (see routes.OPERATIONS, plus ``"*"`` for any) has a queue of faults; a
request takes the head of its operation's queue, else the head of ``"*"``'s. A fault is
one of: an HTTP status instead of the real answer, a 200 whose body is not valid JSON, a
connection closed without an answer, or a delay before the real answer.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

from iqp_wrapper.testing.fake.routes import ANY_OPERATION, OPERATIONS


@dataclass(frozen=True)
class Fault:
    """One scripted failure; build it with the class methods."""

    status: int | None = None
    retry_after: float | None = None
    malformed: bool = False
    drop: bool = False
    delay: float = 0.0

    @classmethod
    def http(cls, status: int, *, retry_after: float | None = None) -> Fault:
        """Answer ``status`` (with an error body, and Retry-After if given)."""
        if not 400 <= status <= 599:
            raise ValueError(f"an injected status must be an error (4xx or 5xx), not {status}")
        return cls(status=status, retry_after=retry_after)

    @classmethod
    def garbled(cls) -> Fault:
        """Answer 200 with a body that does not parse as JSON."""
        return cls(malformed=True)

    @classmethod
    def disconnect(cls) -> Fault:
        """Close the connection without answering."""
        return cls(drop=True)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Answer normally, but only after ``seconds``."""
        if seconds <= 0:
            raise ValueError("a slow fault needs a positive delay")
        return cls(delay=seconds)


class Faults:
    """Per-operation queues of faults; safe to use from any thread."""

    def __init__(self) -> None:
        self._queues: dict[str, deque[Fault]] = {}
        self._lock = threading.Lock()

    def inject(self, operation: str, *faults: Fault) -> None:
        """Queue ``faults`` for the next requests of ``operation``, in order."""
        _check(operation)
        with self._lock:
            self._queues.setdefault(operation, deque()).extend(faults)

    def fail_next(self, operation: str, *statuses: int, retry_after: float | None = None) -> None:
        """The next ``len(statuses)`` requests of ``operation`` get these statuses."""
        self.inject(operation, *(Fault.http(status, retry_after=retry_after) for status in statuses))

    def garble_next(self, operation: str, times: int = 1) -> None:
        """The next ``times`` requests get a 200 with a body that is not JSON."""
        self.inject(operation, *(Fault.garbled() for _ in range(times)))

    def drop_next(self, operation: str, times: int = 1) -> None:
        """The next ``times`` requests get their connection closed unanswered."""
        self.inject(operation, *(Fault.disconnect() for _ in range(times)))

    def slow_next(self, operation: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` requests are answered only after ``seconds``."""
        self.inject(operation, *(Fault.slow(seconds) for _ in range(times)))

    def take(self, operation: str) -> Fault | None:
        """Remove and return the fault for a request of ``operation``, if one is queued."""
        with self._lock:
            for name in (operation, ANY_OPERATION):
                queue = self._queues.get(name)
                if queue:
                    return queue.popleft()
        return None

    def pending(self, operation: str | None = None) -> int:
        """How many faults are still queued (for ``operation``, or in all)."""
        with self._lock:
            if operation is not None:
                return len(self._queues.get(operation, ()))
            return sum(len(queue) for queue in self._queues.values())

    def clear(self) -> None:
        """Forget every queued fault."""
        with self._lock:
            self._queues.clear()


def _check(operation: str) -> None:
    if operation != ANY_OPERATION and operation not in OPERATIONS:
        known = ", ".join(sorted(OPERATIONS))
        raise ValueError(f"unknown operation {operation!r}; use '*' or one of: {known}")
