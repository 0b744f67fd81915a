"""The fake IBM Cloud IAM: API keys in, JWT-shaped bearer tokens out, and their checking.

``POST /identity/token`` with the form fields ``grant_type`` and ``apikey`` answers like
IAM: ``access_token``, ``refresh_token`` ("not_supported"), ``token_type`` "Bearer",
``expires_in`` and ``expiration``. An unknown key gets 400 with ``errorCode``
BXNIM0415E; the fake's other refusals use codes of its own (FAKEIAM...).

Tokens are header.payload.signature in base64url, the payload with ``iat``, ``exp`` and
a random ``jti``, so clients that decode them work. The API accepts a token only if this
issuer made it, it has not expired on the fake's clock, and it was not revoked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from iqp_wrapper.testing.fake.clock import Clock, iso_millis
from iqp_wrapper.testing.fake.wire import Request, Response, json_response

GRANT_TYPE = "urn:ibm:params:oauth:grant-type:apikey"
UNKNOWN_KEY = "BXNIM0415E"
MISSING_KEY = "FAKEIAM0001E"
BAD_GRANT = "FAKEIAM0002E"
BAD_METHOD = "FAKEIAM0003E"
INJECTED = "FAKEIAM0500E"


@dataclass(frozen=True)
class _Grant:
    user: str
    expires: float


class TokenIssuer:
    """Issues and verifies tokens; counts every call. Thread-safe."""

    def __init__(
        self,
        *,
        keys: Iterable[str],
        lifetime: float,
        clock: Clock,
        rng: random.Random,
        issuer: str = "https://iam.fake.invalid/identity",
    ) -> None:
        if lifetime <= 0:
            raise ValueError("a token lifetime must be positive")
        self.lifetime = lifetime
        self._clock = clock
        self._rng = rng
        self._issuer = issuer
        self._secret = rng.randbytes(32)
        self._keys: dict[str, str] = {}
        self._grants: dict[str, _Grant] = {}
        self._lock = threading.Lock()
        self.calls = 0
        self.issued = 0
        for key in keys:
            self.add_key(key)

    def add_key(self, key: str) -> None:
        """Accept ``key`` from now on (each key is its own user)."""
        with self._lock:
            self._keys.setdefault(key, f"fake-user-{len(self._keys) + 1}")

    def remove_key(self, key: str) -> None:
        """Stop accepting ``key``; its tokens stay valid, as IAM's do, until revoked."""
        with self._lock:
            self._keys.pop(key, None)

    def revoke_all(self) -> None:
        """Invalidate every token issued so far (the API answers them 401)."""
        with self._lock:
            self._grants.clear()

    def count_call(self) -> None:
        """Record one request to the token endpoint, whatever becomes of it."""
        with self._lock:
            self.calls += 1

    def verify(self, authorization: str | None) -> str | None:
        """The user a ``Bearer`` Authorization header authenticates, or None."""
        if authorization is None:
            return None
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        with self._lock:
            grant = self._grants.get(token.strip())
        if grant is None or grant.expires <= self._clock():
            return None
        return grant.user

    def exchange(self, request: Request, trace: str) -> Response:
        """Answer one token request (already counted)."""
        if request.method != "POST":
            return iam_error(405, BAD_METHOD, "The token endpoint accepts POST only.", trace, self._clock())
        form = request.form()
        if form.get("grant_type") != GRANT_TYPE:
            message = f"Unsupported grant_type; this endpoint issues tokens for grant_type={GRANT_TYPE}."
            return iam_error(400, BAD_GRANT, message, trace, self._clock())
        key = form.get("apikey", "")
        if not key:
            return iam_error(400, MISSING_KEY, "The apikey form field is missing.", trace, self._clock())
        issued = self.grant(key)
        if issued is None:
            message = "No API key matches the one provided: check for typos, or create a new key."
            return iam_error(400, UNKNOWN_KEY, message, trace, self._clock())
        return json_response(200, issued)

    def grant(self, key: str) -> dict[str, Any] | None:
        """The token answer for ``key`` (and the token made valid), or None if unknown."""
        with self._lock:
            user = self._keys.get(key)
        return None if user is None else self._issue(user)

    def _issue(self, user: str) -> dict[str, Any]:
        now = self._clock()
        issued_at = int(now)
        expires = issued_at + int(self.lifetime)
        token = self._token(user, issued_at, expires)
        with self._lock:
            # Forget long-expired grants so a long benchmark does not grow without bound.
            for old in [key for key, grant in self._grants.items() if grant.expires <= now]:
                del self._grants[old]
            self._grants[token] = _Grant(user, float(expires))
            self.issued += 1
        return {
            "access_token": token,
            "refresh_token": "not_supported",
            "token_type": "Bearer",
            "expires_in": int(self.lifetime),
            "expiration": expires,
            "scope": "ibm openid",
        }

    def _token(self, user: str, issued_at: int, expires: int) -> str:
        header = {"kid": "fake-signing-key", "alg": "HS256", "typ": "JWT"}
        with self._lock:
            jti = f"{self._rng.getrandbits(128):032x}"
        payload = {
            "iam_id": f"iam-{user}",
            "id": f"iam-{user}",
            "realmid": "iam",
            "jti": jti,
            "identifier": user,
            "sub": user,
            "sub_type": "User",
            "account": {"valid": True, "bss": "fake-account"},
            "iat": issued_at,
            "exp": expires,
            "iss": self._issuer,
            "grant_type": GRANT_TYPE,
            "scope": "ibm openid",
            "client_id": "default",
        }
        signing_input = f"{_b64(_compact(header))}.{_b64(_compact(payload))}"
        signature = hmac.new(self._secret, signing_input.encode("ascii"), hashlib.sha256).digest()
        return f"{signing_input}.{_b64(signature)}"


def iam_error(status: int, code: str, message: str, trace: str, now: float) -> Response:
    """An IAM-style error: ``errorCode``, ``errorMessage`` and a ``context``."""
    stamp = iso_millis(now)
    body = {
        "errorCode": code,
        "errorMessage": message,
        "context": {
            "requestId": trace,
            "requestType": "incoming.Identity_Token",
            "startTime": stamp,
            "endTime": stamp,
            "elapsedTime": "0",
            "instanceId": "fake-iam-0",
            "host": "iam.fake.invalid",
        },
    }
    return json_response(status, body)


def decode_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT-shaped token, unverified (for tests and tools)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a JWT: expected three dot-separated parts")
    padded = parts[1] + "=" * (-len(parts[1]) % 4)
    claims = json.loads(base64.urlsafe_b64decode(padded))
    if not isinstance(claims, dict):
        raise ValueError("the JWT payload is not an object")
    return claims


def _compact(claims: dict[str, Any]) -> bytes:
    return json.dumps(claims, separators=(",", ":")).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
