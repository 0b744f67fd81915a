"""The exit codes of ``iqp``, one meaning each, as ``iqp --help`` lists them."""

from __future__ import annotations

OK = 0
"""Done; for ``doctor``, every check passed."""
API_ERROR = 1
"""IAM or the API refused the request, or could not be reached."""
USAGE = 2
"""A wrong command line or configuration (missing key or CRN, bad URL...); nothing was sent."""
PROBLEMS = 3
"""``doctor`` found at least one problem (a FAIL or WARN line)."""
JOB_FAILED = 4
"""The job waited for ended Failed or Cancelled."""
TIMEOUT = 5
"""The wait ended before the job did (the job goes on)."""
INTERRUPTED = 130
"""Stopped with Ctrl-C."""

DESCRIPTIONS = (
    (OK, "success (doctor: every check passed)"),
    (API_ERROR, "IAM or the API refused the request, or could not be reached"),
    (USAGE, "wrong command line or configuration; nothing was sent"),
    (PROBLEMS, "doctor found problems (FAIL or WARN)"),
    (JOB_FAILED, "the job ended Failed or Cancelled"),
    (TIMEOUT, "the wait timed out (the job goes on)"),
    (INTERRUPTED, "interrupted (Ctrl-C)"),
)
