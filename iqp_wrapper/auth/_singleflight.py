"""One piece of work in progress that any number of threads and tasks can wait for.

The same flight may be led by a thread and awaited by tasks on several event loops, or
the other way round: sync waiters block on a ``threading.Event``; async waiters park a
future on their own loop, which the finishing side wakes with ``call_soon_threadsafe``.
Nobody polls, and a failure wakes every waiter at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import threading
from typing import Generic, TypeVar

_T = TypeVar("_T")


class Abandoned(Exception):
    """The leader stopped (cancelled or interrupted) without a result; waiters start over."""


class Flight(Generic[_T]):
    """The pending result of one piece of work, set exactly once."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._parked: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._value: _T | None = None
        self._error: BaseException | None = None

    def resolve(self, value: _T) -> None:
        """Finish with ``value``."""
        self._value = value
        self._finish()

    def fail(self, error: BaseException) -> None:
        """Finish with ``error``; every waiter gets (a copy of) it."""
        self._error = error
        self._finish()

    @property
    def abandoned(self) -> bool:
        """True if the leader gave up without a result or an error to share."""
        return isinstance(self._error, Abandoned)

    def result(self) -> _T:
        """The value, or raise the error. Only valid once the flight has finished."""
        if self._error is not None:
            # A copy per waiter: raising one exception object from many threads at once
            # would interleave their tracebacks on it.
            try:
                error = copy.copy(self._error)
            except Exception:  # an exception type that cannot be rebuilt from its args
                error = self._error
            raise error
        assert self._value is not None, "result() before the flight finished"
        return self._value

    def wait(self, timeout: float | None) -> bool:
        """Block until finished; False if ``timeout`` seconds passed first."""
        return self._done.wait(timeout)

    async def wait_async(self, timeout: float | None) -> bool:
        """Wait without blocking the loop; False if ``timeout`` seconds passed first."""
        loop = asyncio.get_running_loop()
        parked: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if self._done.is_set():
                return True
            self._parked.append((loop, parked))
        try:
            await asyncio.wait_for(parked, timeout)
        except asyncio.TimeoutError:
            return False
        return True

    def _finish(self) -> None:
        with self._lock:
            self._done.set()
            parked, self._parked = self._parked, []
        for loop, future in parked:
            # RuntimeError: that loop has closed, and nobody is left there to wake.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_wake, future)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():  # a waiter that timed out or was cancelled has moved on
        future.set_result(None)
