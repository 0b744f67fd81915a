"""Scrubbing survives being re-entered on its own thread.

The registry of live secrets is read by every scrubbed log line and written by every new
Secret. Both allocate, so either can start the garbage collector, and a finalizer it runs
(an abandoned httpx stream's, whose clean-up logs through httpcore's scrubbed loggers) can
scrub again on the same thread, mid-read. That once deadlocked a CI run for an hour.

Each case runs in a child process with a time limit: a deadlock there fails the test
instead of freezing the suite (the deadlocked thread would keep the lock for good).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# A finalizer that logs through a scrubbed logger, run by a collection that starts while the
# registry is being read (scrub) or written (a new Secret): the moment the CI run hit.
CHILD = textwrap.dedent(
    """
    import gc, logging, sys, weakref
    from iqp_wrapper import _secret

    _secret.install_log_scrubbing()
    log = logging.getLogger("httpcore.http11")
    log.setLevel(logging.DEBUG)
    seen = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())
    log.addHandler(handler)
    key = _secret.Secret("k" * 40)

    class Abandoned:
        def __init__(self):
            self.cycle = self  # only the cyclic collector frees it
        def __del__(self):
            log.debug("closing: token %s", "k" * 40)

    class Collecting(weakref.WeakValueDictionary):
        def values(self):
            gc.collect()
            return super().values()

        def __setitem__(self, key, value):
            gc.collect()
            super().__setitem__(key, value)

    _secret._live = Collecting(_secret._live)
    WHAT = sys.argv[1]
    Abandoned()
    if WHAT == "read":
        assert _secret.scrub("token " + "k" * 40) == "token ***"
    else:
        _secret.Secret("n" * 40)
    assert seen == ["closing: token ***"], seen
    print("ok")
    """
)


@pytest.mark.parametrize("what", ["read", "register"])
def test_a_finalizer_logging_mid_scrub_does_not_deadlock(what: str) -> None:
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, what], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"scrubbing deadlocked when re-entered mid-{what} (see the module docstring)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
