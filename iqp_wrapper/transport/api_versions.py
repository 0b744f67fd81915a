"""Noticing that the API version this client sends is deprecated or past its sunset.

IBM versions the API by date (the ``IBM-API-Version`` header) and retires old versions:
first deprecated, then sunset, after which requests with them are refused. A client that
keeps sending a deprecated version works until the day it stops working, so the client
says so, once, as soon as the service tells it:
- an answer of ``GET /v1/versions`` listing the sent version as deprecated, with a sunset
  date, already past its sunset, or not at all (the warning names the newest live version);
- an answer carrying ``Deprecation`` (RFC 9745), ``Sunset`` (RFC 8594) or
  ``IBM-API-Version-Status: deprecated``.
The warning is an ``APIVersionWarning`` (a ``FutureWarning``, which Python shows by
default: it is for the people running the program, not only its developers) and a
WARNING log record. Requests are never changed: choosing another version is the
caller's decision (``connect(api_version=...)``).
"""

from __future__ import annotations

import datetime
import json
import logging
import threading
import warnings
from collections.abc import Callable
from typing import Any

import httpx

from iqp_wrapper.transport.headers import API_VERSION
from iqp_wrapper.transport.retry import RetryTransport

logger = logging.getLogger(__name__)

STATUS_HEADER = "IBM-API-Version-Status"
_VERSIONS_PATH = "/v1/versions"


class APIVersionWarning(FutureWarning):
    """The IBM-API-Version the client sends is deprecated, sunset, or unknown to the service."""


class VersionWatch:
    """Reads answers for word about the sent API version; warns once per client."""

    def __init__(self, sent: str, *, today: Callable[[], datetime.date] = datetime.date.today) -> None:
        self.sent = sent
        self._today = today
        self._lock = threading.Lock()
        self.warned: str | None = None  # the message, once given

    def observe(self, request: httpx.Request, response: httpx.Response) -> None:
        if self.warned is not None:
            return
        message = None
        if request.url.path.endswith(_VERSIONS_PATH) and response.status_code == 200:
            message = self._from_versions(response.read())
        if message is None:
            message = self._from_headers(response.headers)
        if message is not None:
            self._warn(message)

    def _from_versions(self, body: bytes) -> str | None:
        try:
            listed = json.loads(body).get("versions")
        except (ValueError, AttributeError, RecursionError):
            return None  # not ours to judge here: the caller gets the parse error
        if not isinstance(listed, list):
            return None
        entries = [v for v in listed if isinstance(v, dict) and isinstance(v.get("version"), str)]
        live = sorted(v["version"] for v in entries if v.get("status") == "live")
        newer = f"; the newest live version is {live[-1]}" if live and live[-1] != self.sent else ""
        mine = next((v for v in entries if v["version"] == self.sent), None)
        if mine is None:
            return f"the service does not list the API version this client sends ({self.sent}){newer}"
        sunset = mine.get("sunset_date")
        if isinstance(sunset, str) and sunset[:10] <= self._today().isoformat():
            return f"the API version this client sends ({self.sent}) is past its sunset ({sunset}){newer}"
        if mine.get("status") == "deprecated":
            when = f", sunset {sunset}" if isinstance(sunset, str) else ""
            return f"the API version this client sends ({self.sent}) is deprecated{when}{newer}"
        return None

    def _from_headers(self, headers: httpx.Headers) -> str | None:
        status = headers.get(STATUS_HEADER, "").strip().lower()
        deprecation = headers.get("Deprecation")
        sunset = headers.get("Sunset")
        if status != "deprecated" and deprecation is None and sunset is None:
            return None
        served = headers.get(API_VERSION) or self.sent
        when = f", sunset {sunset}" if sunset else ""
        return (
            f"the service says the API version this client sends ({served}) is deprecated{when}; "
            "GET /v1/versions (or `iqp versions`) lists the live one"
        )

    def _warn(self, message: str) -> None:
        with self._lock:
            if self.warned is not None:
                return
            self.warned = message
        text = f"{message}. Pass connect(api_version=...) or set IQP_API_VERSION to move on."
        logger.warning("%s", text)
        warnings.warn(text, APIVersionWarning, stacklevel=2)


class VersionWatchTransport(RetryTransport):
    """The retry layer, showing each final answer (not the attempts it retried) to a
    ``VersionWatch`` before handing it on."""

    def __init__(self, *args: Any, watch: VersionWatch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.watch = watch

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.watch.observe(request, response)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        self.watch.observe(request, response)
        return response
