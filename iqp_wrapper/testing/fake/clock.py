"""Time for the fake: an injectable wall clock, a manual one for tests, and formatting.

Everything the fake does with time (token expiry, job schedules, rate-limit windows,
the Date header) reads one ``Clock``: a callable returning epoch seconds. Tests pass a
``ManualClock`` and move it forward instead of sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import formatdate

Clock = Callable[[], float]
"""Returns the current time in seconds since the epoch, like ``time.time``."""

# 2026-05-01T12:00:00Z: a fixed, readable start for manual clocks.
DEFAULT_START = 1_777_636_800.0


class ManualClock:
    """A clock that moves only when told to; safe to read from the server's threads."""

    def __init__(self, start: float = DEFAULT_START) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move forward by ``seconds`` (not backwards) and return the new time."""
        if seconds < 0:
            raise ValueError("a ManualClock only moves forward")
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, when: float) -> None:
        """Jump to ``when`` (epoch seconds), in either direction."""
        with self._lock:
            self._now = float(when)

    def __repr__(self) -> str:
        return f"ManualClock({iso_millis(self())})"


def iso_millis(when: float) -> str:
    """``2026-05-01T12:00:00.000Z``: the API's timestamp form (24 characters)."""
    moment = datetime.fromtimestamp(when, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_seconds(when: float) -> str:
    """``2026-05-01T12:00:00Z``: whole seconds (20 characters)."""
    moment = datetime.fromtimestamp(int(when), tz=timezone.utc)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def iso_date(when: float) -> str:
    """``2026-05-01``."""
    return datetime.fromtimestamp(when, tz=timezone.utc).date().isoformat()


def http_date(when: float) -> str:
    """The Date header form: ``Fri, 01 May 2026 12:00:00 GMT``."""
    return formatdate(when, usegmt=True)


def parse_instant(text: str) -> float | None:
    """Epoch seconds of an ISO 8601 date-time (``Z`` or an offset; naive means UTC)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def parse_date(text: str) -> float | None:
    """Epoch seconds of midnight UTC on a ``YYYY-MM-DD`` date."""
    try:
        moment = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return moment.timestamp()
