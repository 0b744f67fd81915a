"""Client-side pacing of job submissions to the service's rate limit.

The service accepts a handful of job submissions per minute per user (5 at the time of
writing) and answers 429 beyond that. Rather than fail, submissions wait for a free slot:
each takes the earliest moment at which fewer than ``limit`` submissions fall in the
last ``window`` seconds. Slots are reserved under a lock and waited for outside it, so
threads and asyncio tasks queue fairly and nobody holds a lock while sleeping.

Any wait of a second or more is logged at INFO on the ``iqp_wrapper`` logger and told
to the caller's progress callback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

_log = logging.getLogger("iqp_wrapper")

JOB_SUBMISSIONS_PER_WINDOW = 5
JOB_SUBMISSION_WINDOW = 60.0
REPORT_WAITS_FROM = 1.0


@dataclass(frozen=True)
class SubmitWait:
    """A wait before submitting a job.

    Attributes:
        reason: ``"paced"`` (client-side pacing to the rate limit) or ``"retry_after"``
            (the service answered 429 and asked for this wait).
        seconds: how long the wait is.
        program_id: the program of the job about to be sent.
    """

    reason: Literal["paced", "retry_after"]
    seconds: float
    program_id: str


SubmitProgress = Callable[[SubmitWait], object]


class Pacer:
    """Spaces job submissions so that at most ``limit`` fall in any ``window`` seconds.

    ``clock``, ``sleep`` and ``async_sleep`` are injectable so tests wait without waiting.
    """

    def __init__(
        self,
        limit: int | None = None,
        window: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        async_sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        # Read at construction, not definition, so the module defaults can be changed.
        self.limit = JOB_SUBMISSIONS_PER_WINDOW if limit is None else limit
        self.window = JOB_SUBMISSION_WINDOW if window is None else window
        self.clock = clock
        self.sleep = sleep
        self.async_sleep = async_sleep
        self._slots: deque[float] = deque(maxlen=max(self.limit, 1))
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take the next free slot; return how many seconds to wait for it."""
        with self._lock:
            now = self.clock()
            start = now
            if self.limit > 0 and len(self._slots) >= self.limit:
                start = max(now, self._slots[0] + self.window)
            self._slots.append(start)
            return start - now


# Keyed by id(): the generated client is an unhashable attrs class. The entry is dropped
# when the client is garbage collected, so a new client at the same address starts fresh.
_PACERS: dict[int, Pacer] = {}
_PACERS_LOCK = threading.Lock()


def pacer_for(client: object) -> Pacer:
    """The pacer shared by every submission made through ``client``."""
    key = id(client)
    with _PACERS_LOCK:
        pacer = _PACERS.get(key)
        if pacer is None:
            pacer = _PACERS[key] = Pacer()
            # A client that cannot be weakly referenced keeps its pacer for the process.
            with contextlib.suppress(TypeError):
                weakref.finalize(client, _PACERS.pop, key, None)
        return pacer


def report_wait(wait: SubmitWait, progress: SubmitProgress | None) -> None:
    """Log a wait of a second or more and tell the progress callback about it."""
    if wait.seconds < REPORT_WAITS_FROM:
        return
    if wait.reason == "paced":
        _log.info(
            "Waiting %.1fs before submitting a %s job: at most %d job submissions per %.0fs are allowed",
            wait.seconds,
            wait.program_id,
            JOB_SUBMISSIONS_PER_WINDOW,
            JOB_SUBMISSION_WINDOW,
        )
    else:
        _log.info(
            "The service asked to wait %.1fs (Retry-After) before submitting the %s job again",
            wait.seconds,
            wait.program_id,
        )
    if progress is not None:
        progress(wait)
