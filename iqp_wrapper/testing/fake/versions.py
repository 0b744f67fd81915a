"""API versions: the list GET /v1/versions publishes, and which one a request gets.

A request's ``IBM-API-Version`` decides the version: no header means the oldest (as IBM
documents), an unknown or sunset one is refused with 400. Every API answer says which
version served it (``IBM-API-Version``) and its status (``IBM-API-Version-Status``: live
or deprecated; the latter header is the fake's own); a deprecated version's answers
also carry ``Sunset`` (RFC 8594) when a sunset date is set.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from iqp_wrapper.testing.fake.clock import http_date, parse_date
from iqp_wrapper.testing.fake.errors import bad_request

VersionStatus = Literal["live", "deprecated"]


@dataclass(frozen=True)
class VersionInfo:
    """One API version date with its status and, if set, its sunset date (YYYY-MM-DD)."""

    version: str
    status: VersionStatus = "live"
    sunset_date: str | None = None

    def __post_init__(self) -> None:
        if parse_date(self.version) is None:
            raise ValueError(f"an API version is a YYYY-MM-DD date, not {self.version!r}")
        if self.sunset_date is not None and parse_date(self.sunset_date) is None:
            raise ValueError(f"a sunset date is a YYYY-MM-DD date, not {self.sunset_date!r}")

    def payload(self) -> dict[str, Any]:
        """The VersionMetadata of this version."""
        body: dict[str, Any] = {"version": self.version, "status": self.status}
        if self.sunset_date is not None:
            body["sunset_date"] = self.sunset_date
        return body


# The versions IBM publishes in 2026 (shared/reference); the sunset dates are the fake's.
DEFAULT_VERSIONS: tuple[VersionInfo, ...] = (
    VersionInfo("2024-01-01", "deprecated", "2027-01-01"),
    VersionInfo("2025-01-01", "deprecated", "2027-02-01"),
    VersionInfo("2025-05-01", "deprecated", "2027-03-01"),
    VersionInfo("2026-02-01", "deprecated", "2027-04-01"),
    VersionInfo("2026-02-15", "deprecated", "2027-05-01"),
    VersionInfo("2026-03-15", "deprecated", "2027-06-01"),
    VersionInfo("2026-04-15", "live"),
)

VERSION_HEADER = "IBM-API-Version"
STATUS_HEADER = "IBM-API-Version-Status"


class VersionTable:
    """The published versions; changeable while the fake runs (thread-safe)."""

    def __init__(self, versions: Iterable[VersionInfo]) -> None:
        self._lock = threading.Lock()
        self._versions: tuple[VersionInfo, ...] = ()
        self.replace(versions)

    def replace(self, versions: Iterable[VersionInfo]) -> None:
        """Publish ``versions`` instead (at least one)."""
        ordered = tuple(sorted(versions, key=lambda info: info.version))
        if not ordered:
            raise ValueError("the fake needs at least one API version")
        with self._lock:
            self._versions = ordered

    def deprecate(self, version: str, sunset_date: str | None = None) -> None:
        """Mark ``version`` deprecated (adding it if it is not published)."""
        self._set(VersionInfo(version, "deprecated", sunset_date))

    def make_live(self, version: str) -> None:
        """Mark ``version`` live (adding it if it is not published)."""
        self._set(VersionInfo(version, "live"))

    def _set(self, info: VersionInfo) -> None:
        with self._lock:
            others = [known for known in self._versions if known.version != info.version]
        self.replace([*others, info])

    @property
    def versions(self) -> tuple[VersionInfo, ...]:
        """The published versions, oldest first."""
        with self._lock:
            return self._versions

    def payload(self) -> dict[str, Any]:
        """The VersionResponse body."""
        return {"versions": [info.payload() for info in self.versions]}

    def resolve(self, requested: str | None, now: float) -> VersionInfo:
        """The version a request asking for ``requested`` gets, or ApiError (400)."""
        versions = self.versions
        if requested is None:
            return versions[0]
        for info in versions:
            if info.version == requested.strip():
                if info.sunset_date is not None and (parse_date(info.sunset_date) or 0.0) <= now:
                    raise bad_request(
                        f"API version {info.version} was sunset on {info.sunset_date}; send a live "
                        "version in IBM-API-Version (see GET /v1/versions).",
                        "api_version_sunset",
                    )
                return info
        raise bad_request(
            f"Unsupported API version {requested!r} in IBM-API-Version; GET /v1/versions lists "
            "the supported ones.",
            "api_version_unsupported",
        )


def version_headers(info: VersionInfo) -> tuple[tuple[str, str], ...]:
    """The headers that tell a client which version served it, and how alive it is."""
    headers: tuple[tuple[str, str], ...] = ((VERSION_HEADER, info.version), (STATUS_HEADER, info.status))
    if info.status == "deprecated" and info.sunset_date is not None:
        headers += (("Sunset", http_date(parse_date(info.sunset_date) or 0.0)),)
    return headers
