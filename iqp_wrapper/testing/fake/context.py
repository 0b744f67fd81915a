"""What a handler gets: the request, who made it, for which instance, at what time."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from iqp_wrapper.testing.fake.errors import bad_request, not_found
from iqp_wrapper.testing.fake.state import Job, Session, World
from iqp_wrapper.testing.fake.versions import VersionInfo
from iqp_wrapper.testing.fake.wire import Request, Response


@dataclass(frozen=True)
class Call:
    """One authenticated API call. ``user`` and ``crn`` are empty for public operations."""

    request: Request
    path_params: Mapping[str, str]
    now: float
    user: str
    crn: str
    version: VersionInfo
    world: World

    @property
    def id(self) -> str:
        """The ``{id}`` path parameter."""
        return self.path_params["id"]

    def job(self) -> Job:
        """The job named in the path, or 404."""
        job = self.world.jobs.get(self.id)
        if job is None:
            raise not_found("job_not_found", f"Job {self.id} was not found in this instance.")
        return job

    def session(self) -> Session:
        """The session named in the path, or 404."""
        session = self.world.sessions.get(self.id)
        if session is None:
            raise not_found("session_not_found", f"Session {self.id} was not found in this instance.")
        return session

    def json_object(self) -> dict[str, Any]:
        """The request body as a JSON object, or 400."""
        try:
            body = self.request.json()
        except (ValueError, UnicodeDecodeError):
            raise bad_request("The request body is not valid JSON.", "invalid_json") from None
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object.", "invalid_json")
        return body

    def flag(self, name: str, default: bool) -> bool:
        """A boolean query parameter (``true``/``false``); anything else means ``default``."""
        value = (self.request.param(name) or "").strip().lower()
        return {"true": True, "false": False}.get(value, default)


Handler = Callable[[Call], Response]
