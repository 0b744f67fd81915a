"""The fake's own request and response types, independent of httpx and of http.server.

The in-process transports and the HTTP server both translate to and from these, so the
service logic is written once and sees the same thing whichever way it is reached.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True, repr=False)
class Request:
    """One request as the fake sees it. Header names are lower-case.

    The repr shows the method and path only: headers and body carry tokens and keys.
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (any case), or None."""
        return self.headers.get(name.lower())

    def param(self, name: str) -> str | None:
        """The first value of query parameter ``name``, or None."""
        for key, value in self.query:
            if key == name:
                return value
        return None

    def params(self, name: str) -> list[str]:
        """Every value of query parameter ``name``, in order."""
        return [value for key, value in self.query if key == name]

    def json(self) -> Any:
        """The body parsed as JSON; raises ValueError if it is not JSON."""
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        """The body parsed as an HTML form (first value of each field)."""
        fields: dict[str, str] = {}
        for key, value in parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True):
            fields.setdefault(key, value)
        return fields

    def __repr__(self) -> str:
        return f"Request({self.method} {self.path})"


@dataclass(frozen=True, repr=False)
class Response:
    """What the fake answers, and how.

    ``drop`` closes the connection without answering; ``delay`` holds the answer back
    that many seconds (over HTTP for real; in process it becomes a read timeout when it
    exceeds the client's, and is otherwise skipped: see transport.py). The repr leaves
    the body out: IAM's carries a token.
    """

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    drop: bool = False
    delay: float = 0.0

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (any case), or None."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def with_headers(self, *extra: tuple[str, str]) -> Response:
        """A copy with ``extra`` headers added, replacing any of the same name."""
        names = {key.lower() for key, _ in extra}
        kept = tuple((key, value) for key, value in self.headers if key.lower() not in names)
        return Response(self.status, kept + extra, self.body, self.drop, self.delay)

    def json(self) -> Any:
        """The body parsed as JSON (for tests and the history)."""
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self) -> str:
        extra = " dropped" if self.drop else f" after {self.delay:g}s" if self.delay else ""
        return f"Response({self.status}, {len(self.body)} bytes{extra})"


def json_response(status: int, payload: Any, *headers: tuple[str, str]) -> Response:
    """A JSON answer; compact, key order kept."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Response(status, (("Content-Type", JSON), *headers), body)


def text_response(status: int, text: str) -> Response:
    """A plain-text answer (job logs)."""
    return Response(status, (("Content-Type", TEXT),), text.encode("utf-8"))


def empty_response(status: int = 204) -> Response:
    """An answer without a body."""
    return Response(status)
