"""Submission slots shared by every process of one user on one machine.

The service's job-submission limit counts a user's submissions, whichever script sends
them. Two scripts that each pace themselves would still race each other into 429s, so
the slots are also kept in a small file in the user's state directory:

    $XDG_STATE_HOME/iqp/job-slots-<host>_<port>.json     (~/.local/state/iqp/...;
                                                          %LOCALAPPDATA%\\iqp\\state on Windows)

one per API origin. It holds the wall-clock times (epoch seconds) of the latest slots
and nothing else. A process takes a slot under an exclusive lock on the file (held for
a read and a write, never while waiting), so slots are handed out one at a time across
processes. When the file cannot be used (a read-only home, no locking on the platform),
pacing falls back to the process alone and says so once in the debug log.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

_log = logging.getLogger("iqp_wrapper")

STATE_DIR_NAME = "iqp"


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The user's state directory for this package, by the XDG rule (LOCALAPPDATA on Windows)."""
    env = os.environ if environ is None else environ
    if os.name == "nt" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / STATE_DIR_NAME / "state"
    state_home = env.get("XDG_STATE_HOME")
    if state_home and Path(state_home).is_absolute():  # the XDG rule: relative ones are ignored
        return Path(state_home) / STATE_DIR_NAME
    home = env.get("HOME")
    return (Path(home) if home else Path.home()) / ".local" / "state" / STATE_DIR_NAME


def slots_file(api_url: str, environ: Mapping[str, str] | None = None) -> Path:
    """The slots file for the API at ``api_url`` (its host and port name the file)."""
    origin = re.sub(r"^[a-z]+://", "", api_url.lower()).split("/", 1)[0]
    safe = re.sub(r"[^a-z0-9.-]", "_", origin) or "default"
    return state_dir(environ) / f"job-slots-{safe}.json"


class SharedSlots:
    """The latest submission slots of every process using ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._warned = False

    def reserve(self, limit: int, window: float, now: float) -> float | None:
        """Take the next free slot at wall time ``now``; the wait for it in seconds, or
        None if the file could not be used (the caller paces on its own then)."""
        try:
            with self._locked() as handle:
                slots = _read(handle, now, window)
                start = now
                if limit > 0 and len(slots) >= limit:
                    start = max(now, slots[-limit] + window)
                slots.append(start)
                _write(handle, slots[-max(limit, 1) :])
            return start - now
        except OSError as exc:
            if not self._warned:
                self._warned = True
                _log.debug("pacing job submissions in this process only: %s is unusable (%s)", self.path, exc)
            return None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[IO[str]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+", encoding="utf-8") as handle:
            _lock(handle)
            try:
                yield handle
            finally:
                _unlock(handle)


def _read(handle: IO[str], now: float, window: float) -> list[float]:
    handle.seek(0)
    try:
        data = json.loads(handle.read() or "{}")
    except ValueError:
        data = {}  # a torn or foreign file: start afresh rather than fail a submission
    raw = data.get("slots") if isinstance(data, dict) else None
    slots = [
        float(t)
        for t in (raw if isinstance(raw, list) else [])
        if isinstance(t, (int, float)) and not isinstance(t, bool) and math.isfinite(t)
    ]
    # Slots older than the window no longer count; ones far in the future are a clock
    # that jumped back, and would block submissions for no reason.
    return sorted(t for t in slots if now - window < t <= now + 10 * window)


def _write(handle: IO[str], slots: list[float]) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps({"slots": slots}))
    handle.flush()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
