"""The doctor's steps that talk to IAM and the API: token, reachability, version,
instance, and the clock compared with theirs.

Each step returns its Check and what later steps need. Nothing here shows a key or a
token: the token is decoded only to read when IAM says it issued it.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from iqp_api.api.versions import get_versions
from iqp_api.errors import UnparseableResponse
from iqp_api.models.version_response import VersionResponse
from iqp_api.types import Unset
from iqp_wrapper._secret import scrub
from iqp_wrapper.auth import iam
from iqp_wrapper.client import build_client
from iqp_wrapper.config.settings import ENV_API_VERSION, Settings
from iqp_wrapper.crn import api_url_for, region_of_api_host
from iqp_wrapper.errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    IAMConnectionError,
    IAMError,
    IAMTimeoutError,
    IQPError,
    NotFoundError,
    PermissionDeniedError,
    UnexpectedResponseError,
)

from .. import connection
from ..output import seconds
from ..world import World
from .local import INSTANCES_PAGE, KEYS_PAGE
from .report import Check, fail, ok, skip, warn

CLOCK_OK = 60.0
"""Seconds of skew that are harmless (the Date header alone is only accurate to a second)."""
CLOCK_BAD = 300.0
"""Seconds of skew beyond which tools that check token times misbehave."""


@dataclass
class Observations:
    """What the steps learnt that later steps use."""

    token_ok: bool = False
    versions: VersionResponse | None = None
    skews: list[tuple[str, float]] = field(default_factory=list)  # (whose clock, server minus local)


def iam_token(settings: Settings, world: World, seen: Observations) -> Check:
    """Step: exchange the key for a token, as the client will."""
    sent = world.wall_clock()
    try:
        issued = iam.exchange(
            settings.api_key, iam_url=settings.iam_url, network=settings.network, timeout=settings.iam_timeout
        )
    except IAMTimeoutError as error:
        return fail("iam", "IAM", str(error), fix=_iam_reach_fix(settings), problem="iam_timeout")
    except IAMConnectionError as error:
        return fail("iam", "IAM", str(error), fix=_iam_reach_fix(settings), problem="iam_unreachable")
    except IAMError as error:
        return _iam_refusal(settings, error)
    received = world.wall_clock()
    token = issued.access_token.reveal()
    world.mask(token)
    issued_at = _claims(token).get("iat")
    if isinstance(issued_at, (int, float)) and not isinstance(issued_at, bool):
        seen.skews.append(("IAM's token issue time", issued_at - (sent + received) / 2))
    seen.token_ok = True
    return ok("iam", "IAM", f"{settings.iam_url} issued a token valid {seconds(issued.expires_in)}")


def _iam_refusal(settings: Settings, error: IAMError) -> Check:
    status = error.status_code
    if (status is not None and 200 <= status < 300) or status is None:
        # Not a refusal: something answered that is not IAM's token service.
        return fail(
            "iam",
            "IAM",
            f"{settings.iam_url} answered, but not with a usable token ({_what(error)})",
            fix=f"{_iam_reach_fix(settings)}; a captive portal or proxy login page answers like this",
            problem="iam_not_iam",
        )
    if status is not None and status >= 500:
        return fail(
            "iam",
            "IAM",
            str(error),
            fix="IAM is failing; try again in a few minutes.",
            problem="iam_unavailable",
        )
    code = f", {error.error_code}" if error.error_code else ""
    said = f": {error.error_message}" if error.error_message else ""
    return fail(
        "iam",
        "IAM",
        f"refused the API key (HTTP {status}{code}){said}",
        fix=f"check that {settings.sources['api_key']} holds the API key itself (not a token or the "
        f"CRN), and that the key was not deleted or disabled ({KEYS_PAGE}); it must belong to the "
        "IBM Cloud account that owns the instance",
        problem="key_rejected",
    )


def _iam_reach_fix(settings: Settings) -> str:
    return (
        f"check the IAM URL ({settings.iam_url}, from {settings.sources['iam_url']}), your network, "
        "and any proxy (HTTPS_PROXY)"
    )


def api_reachable(settings: Settings, world: World, seen: Observations) -> Check:
    """Step: GET /v1/versions, which needs neither token nor CRN."""
    sent, started = world.wall_clock(), world.clock()
    try:
        with connection.client_without_credentials(settings) as client:
            response = get_versions.sync_detailed(client=client)
    except (httpx.TransportError, APIConnectionError) as error:
        return fail(
            "api",
            "API",
            f"cannot reach {settings.base_url} ({_what(error)})",
            fix=f"check the API URL (from {settings.sources['base_url']}), your network, and any proxy "
            "(HTTPS_PROXY)",
            problem="api_unreachable",
        )
    except (UnparseableResponse, UnexpectedResponseError, httpx.DecodingError) as error:
        return _not_the_api(settings, error)
    took = world.clock() - started
    received = world.wall_clock()
    _note_date(response.headers.get("date"), (sent + received) / 2, seen)
    if int(response.status_code) != 200 or not isinstance(response.parsed, VersionResponse):
        return fail(
            "api",
            "API",
            f"{settings.base_url} answered GET /v1/versions with HTTP {int(response.status_code)}",
            fix="check that the API URL is the API root (ending in /api)",
            problem="api_error",
        )
    seen.versions = response.parsed
    return ok("api", "API", f"{settings.base_url} answered in {seconds(took)}")


def _not_the_api(settings: Settings, error: Exception) -> Check:
    return fail(
        "api",
        "API",
        f"{settings.base_url} answered GET /v1/versions, but not as the Qiskit Runtime API does "
        f"({_what(error)}): a login page of a captive portal or proxy, or another web server",
        fix=f"check the API URL (from {settings.sources['base_url']}): it should be the API root, "
        "such as https://quantum.cloud.ibm.com/api; sign in to the network's portal if there is one",
        problem="not_the_api",
    )


def _what(error: BaseException) -> str:
    """The kind of failure and its text, on one line and not too long."""
    if isinstance(error, UnparseableResponse):
        text = f"HTTP {error.status_code}, a body of {len(error.content)} bytes that is not the expected JSON"
    else:
        text = " ".join(str(error).split())
    kind = type(error).__name__
    said = f"{kind}: {text}" if text and not text.startswith(kind) else text or kind
    return scrub(said[:400])


def guarded(id: str, title: str, step: Callable[[], Check]) -> Check:
    """Run ``step``; any failure it did not foresee becomes a failed check, not a traceback."""
    try:
        return step()
    except Exception as error:  # the doctor's promise: a report line for every failure
        return fail(
            id,
            title,
            f"failed unexpectedly ({_what(error)})",
            fix="run `iqp doctor -v` for details, and report it if it persists",
            problem="unexpected_error",
        )


def api_version(settings: Settings, world: World, seen: Observations) -> Check:
    """Step: is the IBM-API-Version this client sends live, according to /v1/versions?"""
    versions = seen.versions
    if versions is None:
        return skip("api_version", "API version", "needs the API's list of versions")
    mine, source = settings.api_version, settings.sources["api_version"]
    listed = {info.version.isoformat(): info for info in versions.versions}
    live = sorted(version for version, info in listed.items() if info.status.value == "live")
    newest = live[-1] if live else None
    move = (
        f"set {ENV_API_VERSION}={newest} (or pass --api-version {newest}) after reading what changed"
        if newest
        else "see GET /v1/versions"
    )
    info = listed.get(mine)
    if info is None:
        offered = ", ".join(sorted(listed)) or "none"
        return fail(
            "api_version",
            "API version",
            f"{mine} (from {source}) is not offered by this API (it offers {offered})",
            fix=move,
            problem="version_unknown",
        )
    if info.status.value == "live":
        return ok("api_version", "API version", f"{mine} is live (from {source})")
    sunset = None if isinstance(info.sunset_date, Unset) else info.sunset_date
    today = datetime.datetime.fromtimestamp(world.wall_clock(), tz=datetime.timezone.utc).date()
    if sunset is not None and sunset <= today:
        return fail(
            "api_version",
            "API version",
            f"{mine} (from {source}) was sunset on {sunset.isoformat()}",
            fix=move,
            problem="version_sunset",
        )
    until = f", sunset on {sunset.isoformat()}" if sunset else ""
    return warn(
        "api_version",
        "API version",
        f"{mine} (from {source}) is {info.status.value}{until}; {newest or 'no version'} is live",
        fix=move,
        problem="version_deprecated",
    )


def instance(settings: Settings, world: World, seen: Observations) -> Check:
    """Step: call the instance with the token, CRN and version, as every command will."""
    if not seen.token_ok:
        return skip("instance", "instance", "needs an IAM token")
    if seen.versions is None:
        return skip("instance", "instance", "needs a reachable API")
    try:
        with build_client(settings, retries=False) as client:
            usage = client.instances.get_usage()
    except NotFoundError as error:
        return _not_found(settings, error)
    except AuthenticationError as error:
        return fail(
            "instance",
            "instance",
            f"the API refused a fresh IAM token ({error})",
            fix="use an API key of the IBM Cloud account that owns the instance",
            problem="token_rejected",
        )
    except PermissionDeniedError as error:
        return fail(
            "instance",
            "instance",
            f"the key may not use this instance ({error})",
            fix="ask the instance's account administrator for access (an IAM policy on the instance)",
            problem="permission_denied",
        )
    except (APIError, IAMError, IQPError, UnparseableResponse, httpx.HTTPError) as error:
        return fail(
            "instance",
            "instance",
            _what(error),
            fix="check the API URL and the CRN; if the API answered with something this client "
            "cannot read, run `iqp doctor -v` and report it",
            problem="instance_error",
        )
    limit = usage.usage_limit_seconds
    of = "" if isinstance(limit, Unset) else f" of {seconds(limit)}"
    return ok(
        "instance",
        "instance",
        f"answers: plan {usage.plan_id}, {seconds(usage.usage_consumed_seconds)}{of} used this period",
    )


def _not_found(settings: Settings, error: NotFoundError) -> Check:
    url_region = region_of_api_host(httpx.URL(settings.base_url).host)
    crn_region = settings.region
    said = next((detail.message for detail in error.errors if detail.message), str(error))
    answered = f'{settings.base_url} answered HTTP 404 "{said}"'
    if url_region is None:
        detail = (
            f"{answered}. The CRN names region {crn_region}; an instance is served only by its "
            "own region's API, and a CRN of another region is answered exactly so"
        )
        fix = (
            f"use the API of region {crn_region} ({api_url_for(crn_region)}: leave --url and IQP_URL "
            f"unset to derive it from the CRN), or the CRN of an instance this API serves ({INSTANCES_PAGE})"
        )
    else:
        detail = f"{answered}: the {url_region} API does not know this instance"
        fix = f"copy the CRN whole from {INSTANCES_PAGE}; a deleted instance is not found either"
    return fail("instance", "instance", detail, fix=fix, problem="instance_not_found")


def clock(world: World, seen: Observations) -> Check:
    """Step: compare the local clock with IAM's and the API's."""
    if not seen.skews:
        return skip("clock", "clock", "needs an answer from IAM or the API")
    whose, skew = max(seen.skews, key=lambda sample: abs(sample[1]))
    others = "; ".join(f"{name}: {_signed(value)}" for name, value in seen.skews)
    if abs(skew) <= CLOCK_OK:
        return ok("clock", "clock", f"in step with the servers (server minus local: {others})")
    direction = "behind" if skew > 0 else "ahead of"
    detail = f"the local clock is {seconds(abs(skew))} {direction} {whose} ({others})"
    fix = (
        "set the system clock right and keep it synchronised (NTP: `timedatectl set-ntp true` on "
        "Linux; set date and time automatically on macOS and Windows). Tools that check token "
        "times refuse valid tokens or send expired ones on a skewed clock"
    )
    if abs(skew) <= CLOCK_BAD:
        return warn("clock", "clock", detail, fix=fix, problem="clock_skew")
    return fail("clock", "clock", detail, fix=fix, problem="clock_skew")


def _note_date(header: str | None, local: float, seen: Observations) -> None:
    if not header:
        return
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return
    if when.tzinfo is not None:
        seen.skews.append(("the API's Date header", when.timestamp() - local))


def _signed(value: float) -> str:
    return f"{'+' if value >= 0 else '-'}{seconds(abs(value))}"


def _claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, unverified; empty if the token is not one."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return {}
    return claims if isinstance(claims, dict) else {}
