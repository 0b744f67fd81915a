"""The sliding-window limit on job submissions (IBM documents 5 per minute per user)."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` accepted per ``window`` seconds, per user."""

    requests: int = 5
    window: float = 60.0

    def __post_init__(self) -> None:
        if self.requests < 1 or self.window <= 0:
            raise ValueError("a rate limit needs at least one request per positive window")


class RateLimiter:
    """Counts what each user was granted in the last window. Not locked: the app is."""

    def __init__(self, limit: RateLimit | None) -> None:
        self.limit = limit
        self._granted: dict[str, deque[float]] = {}

    def acquire(self, user: str, now: float) -> float | None:
        """Grant one request to ``user`` and return None, or return how many seconds to
        wait (at least 1, whole seconds, as Retry-After says it)."""
        if self.limit is None:
            return None
        granted = self._granted.setdefault(user, deque())
        while granted and granted[0] <= now - self.limit.window:
            granted.popleft()
        if len(granted) < self.limit.requests:
            granted.append(now)
            return None
        return max(1.0, float(math.ceil(granted[0] + self.limit.window - now)))

    def reset(self) -> None:
        """Forget every grant."""
        self._granted.clear()
