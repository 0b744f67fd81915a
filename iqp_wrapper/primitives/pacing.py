"""Client-side pacing of job submissions to the service's rate limit.

The service accepts a handful of job submissions per minute per user (5 at the time of
writing) and answers 429 beyond that. Rather than fail, submissions wait for a free slot:
each takes the earliest moment at which fewer than ``limit`` submissions fall in the
last ``window`` seconds. Slots are reserved under a lock and waited for outside it, so
threads and asyncio tasks queue fairly and nobody holds a lock while sleeping.

The pacer is also the one owner of a 429 answer to a job submission (the generic retry
in ``iqp_wrapper.transport.retry`` leaves ``POST /v1/jobs`` alone): ``retry_after_wait`` decides
how long to wait, bounded by the client's ``max_retry_after`` and by its call deadline,
and refuses a Retry-After beyond them with RateLimitError rather than sleep it. A
negative one is clamped up to ``MIN_RETRY_WAIT``, one that cannot be read (garbage, NaN)
becomes the pacing gap (``window / limit``) within those bounds.

The pacer made by ``pacer_for`` also shares its slots with the other processes of the
user on this machine, through a small file in the user's state directory (see
``shared_slots``), so two scripts do not race each other into 429s.

Every wait is logged at INFO on the ``iqp_wrapper`` logger and told to the caller's
progress callback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import threading
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

import httpx

from iqp_wrapper.errors import RateLimitError
from iqp_wrapper.primitives.shared_slots import SharedSlots, slots_file
from iqp_wrapper.transport import _deadline

_log = logging.getLogger("iqp_wrapper")

JOB_SUBMISSIONS_PER_WINDOW = 5
JOB_SUBMISSION_WINDOW = 60.0
# The shortest wait after a 429: a Retry-After of 0 or less asks for none, and resending at
# once would only meet the same limit again.
MIN_RETRY_WAIT = 1.0
# The default bounds, when the client does not say (RetryPolicy's and connect()'s defaults).
DEFAULT_MAX_RETRY_AFTER = 60.0


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
    With ``shared`` the slots are also those of the other processes using that file,
    counted on ``wall_clock`` (the one clock processes share).
    """

    def __init__(
        self,
        limit: int | None = None,
        window: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        async_sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        shared: SharedSlots | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        # Read at construction, not definition, so the module defaults can be changed.
        self.limit = JOB_SUBMISSIONS_PER_WINDOW if limit is None else limit
        self.window = JOB_SUBMISSION_WINDOW if window is None else window
        self.clock = clock
        self.sleep = sleep
        self.async_sleep = async_sleep
        self.shared = shared
        self.wall_clock = wall_clock
        self._slots: deque[float] = deque(maxlen=max(self.limit, 1))
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take the next free slot; return how many seconds to wait for it."""
        with self._lock:
            if self.shared is not None:
                wait = self.shared.reserve(self.limit, self.window, self.wall_clock())
                if wait is not None:
                    return wait
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
            base_url = getattr(client, "_base_url", None)
            shared = SharedSlots(slots_file(base_url)) if isinstance(base_url, str) else None
            pacer = _PACERS[key] = Pacer(shared=shared)
            # A client that cannot be weakly referenced keeps its pacer for the process.
            with contextlib.suppress(TypeError):
                weakref.finalize(client, _PACERS.pop, key, None)
        return pacer


@dataclass(frozen=True)
class WaitBounds:
    """The longest wait a submission may make after a 429.

    Attributes:
        max_retry_after: the client's ``RetryPolicy.max_retry_after``.
        deadline: the client's call deadline in seconds (``connect(timeout=...)``), if any.
    """

    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER
    deadline: float | None = None

    @property
    def longest(self) -> float:
        return self.max_retry_after if self.deadline is None else min(self.max_retry_after, self.deadline)


def bounds_of(client: object) -> WaitBounds:
    """The bounds ``client`` was built with (its retry policy and its timeout)."""
    args = getattr(client, "_httpx_args", None)
    transport = args.get("transport") if isinstance(args, dict) else None
    policy = getattr(transport, "policy", None)
    max_retry_after = getattr(policy, "max_retry_after", DEFAULT_MAX_RETRY_AFTER)
    timeout = getattr(client, "_timeout", None)
    deadline = _deadline.budget(timeout) if isinstance(timeout, httpx.Timeout) else None
    return WaitBounds(float(max_retry_after), deadline)


def retry_after_wait(error: RateLimitError, bounds: WaitBounds, pacer: Pacer, program_id: str) -> float:
    """How long to wait after ``error`` (a 429 to a job submission) before sending again.

    Raises:
        RateLimitError: the service asked for longer than ``bounds`` allow (or for an
            infinite wait); the job was not created, and nothing was slept.
    """
    asked = error.retry_after
    longest = bounds.longest
    if asked is None:
        # No usable Retry-After (absent, garbage, NaN): the pacing gap, within the bounds.
        return min(longest, max(MIN_RETRY_WAIT, pacer.window / max(pacer.limit, 1)))
    if asked > longest:
        shown = f"{asked:.0f}s" if math.isfinite(asked) else "forever"
        raise RateLimitError(
            f"The service refused the {program_id} job (HTTP 429) and asked to wait {shown} "
            f"before submitting again, longer than this client waits ({longest:g}s: "
            "RetryPolicy.max_retry_after and the call's timeout). No job was created; submit "
            "it later, or allow longer waits with connect(retries=RetryPolicy(max_retry_after=...)).",
            status_code=429,
            errors=error.errors,
            trace=error.trace,
            retry_after=asked if math.isfinite(asked) else None,
        ) from None
    return min(longest, max(MIN_RETRY_WAIT, asked))


def report_wait(wait: SubmitWait, progress: SubmitProgress | None) -> None:
    """Log a wait and tell the progress callback about it."""
    if wait.seconds <= 0:
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
