"""The doctor's findings: one Check per step, shown as status lines or as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

Status = Literal["ok", "warn", "fail", "skip"]
LABELS: dict[Status, str] = {"ok": "OK", "warn": "WARN", "fail": "FAIL", "skip": "SKIP"}


@dataclass(frozen=True)
class Check:
    """The outcome of one step.

    Attributes:
        id: the step, stable for scripts: api_key, service_crn, api_url, iam, api,
            api_version, instance, clock.
        title: the step for people.
        status: ok, warn (works today, needs attention), fail, or skip (an earlier
            step failed).
        detail: what was found.
        fix: what to do about it (warn and fail only).
        problem: a stable code naming what is wrong, for scripts and tests
            (missing_key, key_rejected, iam_unreachable, bad_crn, wrong_region,
            api_unreachable, version_deprecated, version_sunset, version_unknown,
            instance_not_found, token_rejected, permission_denied, clock_skew...).
    """

    id: str
    title: str
    status: Status
    detail: str
    fix: str | None = None
    problem: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == "ok"


def ok(id: str, title: str, detail: str) -> Check:
    return Check(id, title, "ok", detail)


def warn(id: str, title: str, detail: str, *, fix: str, problem: str) -> Check:
    return Check(id, title, "warn", detail, fix, problem)


def fail(id: str, title: str, detail: str, *, fix: str | None = None, problem: str) -> Check:
    return Check(id, title, "fail", detail, fix, problem)


def skip(id: str, title: str, why: str) -> Check:
    return Check(id, title, "skip", why)


def problems(checks: Sequence[Check]) -> list[Check]:
    """The checks that found something wrong (fail or warn)."""
    return [check for check in checks if check.status in ("fail", "warn")]


def as_json(checks: Sequence[Check]) -> dict[str, Any]:
    found = problems(checks)
    return {
        "ok": not found,
        "problems": [check.problem for check in found],
        "checks": [asdict(check) for check in checks],
    }


def line(check: Check, title_width: int) -> str:
    text = f"  {LABELS[check.status]:<5} {check.title.ljust(title_width)}  {check.detail}"
    if check.fix:
        text += f"\n  {'':<5} {'':<{title_width}}  fix: {check.fix}"
    return text


def summary(checks: Sequence[Check]) -> str:
    found = problems(checks)
    if not found:
        return f"All {len(checks)} checks passed."
    failed = sum(1 for check in found if check.status == "fail")
    warned = len(found) - failed
    parts = [f"{failed} failed"] * bool(failed) + [f"{warned} to look at"] * bool(warned)
    noun = "problem" if len(found) == 1 else "problems"
    return f"{len(found)} {noun} found ({', '.join(parts)})."
