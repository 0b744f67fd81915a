"""The progress display of a wait: one redrawn line on a terminal, a line per change otherwise."""

from __future__ import annotations

from iqp_wrapper.jobs import WaitProgress

from .output import seconds
from .world import World


class ProgressLine:
    """A progress callback for ``wait_for_job`` that writes to the runtime's stdout."""

    def __init__(self, world: World, *, indent: str = "  ") -> None:
        self._world = world
        self._indent = indent
        self._last_status: str | None = None
        self._drawn = 0

    def __call__(self, progress: WaitProgress) -> None:
        status, elapsed = progress.status, seconds(progress.elapsed)
        if self._world.is_terminal:
            line = f"{self._indent}{status:<10} {elapsed:>9}   poll {progress.polls}"
            if progress.next_poll is not None:
                line += f", next in {seconds(progress.next_poll)}"
            self._world.out("\r" + line.ljust(self._drawn), end="")
            self._drawn = len(line)
            if progress.next_poll is None:
                self._world.out()
        elif status != self._last_status or progress.next_poll is None:
            self._world.out(f"{self._indent}{status:<10} at {elapsed}")
        self._last_status = status
