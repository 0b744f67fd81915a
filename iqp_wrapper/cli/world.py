"""What a command runs with: its streams, environment, clocks and sleep, all injectable.

``main()`` uses the real ones; tests pass a World of their own, so that a command
reads their environment, writes to their buffers and waits on their manual clock.
"""

from __future__ import annotations

import getpass
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TextIO

from iqp_wrapper._secret import scrub

# Shorter values would mask ordinary words; real keys and tokens are far longer.
_SHORTEST_MASKED = 8


def _forever() -> None:
    """Block until Ctrl-C (KeyboardInterrupt) ends it."""
    threading.Event().wait()


@dataclass
class World:
    """The outside world of one ``iqp`` run.

    Attributes:
        stdout, stderr: where output and diagnostics go.
        environ: the environment variables (IQP_API_TOKEN, IQP_SERVICE_CRN...).
        clock: a monotonic clock in seconds, for waits and timings.
        wall_clock: epoch seconds, for the clock-skew check and fake services.
        sleep: waits the given seconds.
        block: blocks until interrupted (``iqp fake serve``).
        interactive: whether stdout is a terminal (progress redraws one line); None asks
            the stream.
        stdin: where ``iqp login --stdin`` reads the key.
        ask_secret: asks for a secret without echoing it (``iqp login``).
    """

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time
    sleep: Callable[[float], object] = time.sleep
    block: Callable[[], None] = _forever
    interactive: bool | None = None
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    ask_secret: Callable[[str], str] = getpass.getpass
    _secrets: set[str] = field(default_factory=set, init=False, repr=False)

    def mask(self, secret: str) -> None:
        """Never write ``secret``: output is already free of it, and this makes sure."""
        if len(secret) >= _SHORTEST_MASKED:
            self._secrets.add(secret)

    def out(self, text: str = "", *, end: str = "\n") -> None:
        """Write to stdout (a line, unless ``end`` says otherwise)."""
        self.stdout.write(self._masked(text) + end)
        self.stdout.flush()

    def err(self, text: str) -> None:
        """Write a line to stderr."""
        self.stderr.write(self._masked(text) + "\n")
        self.stderr.flush()

    def _masked(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        # And whatever a server echoed: the key and tokens the client holds, Bearer values.
        return scrub(text)

    @property
    def is_terminal(self) -> bool:
        """True when stdout is a terminal a progress line can be redrawn on."""
        if self.interactive is not None:
            return self.interactive
        isatty = getattr(self.stdout, "isatty", None)
        return bool(isatty()) if callable(isatty) else False
