"""After a 401 the request is resent with a new token once; a further 401 is resent only when
the token it carried had expired on our clock by the time the answer came (it died on the
way), up to four requests in all. Sync and async."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from iqp_wrapper import AuthenticationError, IAMAuth
from iqp_wrapper.transport.network import Network
from tests.wrapper.fakes import SyncAndAsync

from .fakes import API_KEY, API_URL, IAM_URL, FakeClock, iam_body

LIFETIME = 100.0
EXPIRED_ON_THE_WAY = "the API answered 401 to a token that expired on the way; resending"


class Scene:
    """IAM issues 100 s tokens; the API answers 401 and moves the clock by ``transit(...)``."""

    def __init__(self, transit: str) -> None:
        self.clock = FakeClock()
        self.transit = transit
        self.iam_at: list[float] = []
        self.api_calls = 0

    def iam(self, request: httpx.Request) -> httpx.Response:
        self.iam_at.append(self.clock.now)
        return httpx.Response(200, json=iam_body(len(self.iam_at), expires_in=LIFETIME))

    def api(self, request: httpx.Request) -> httpx.Response:
        self.api_calls += 1
        issued = self.iam_at[-1]
        if self.transit == "long past expiry":
            self.clock.now = issued + 10 * LIFETIME
        elif self.transit == "at expiry":
            # The token's expiry on our clock: its lifetime less IAM's one-second rounding.
            self.clock.now = issued + LIFETIME - 1.0
        return httpx.Response(401, json={"errors": [{"code": "1201", "message": "Invalid token"}]})

    async def iam_async(self, request: httpx.Request) -> httpx.Response:
        return self.iam(request)

    async def api_async(self, request: httpx.Request) -> httpx.Response:
        return self.api(request)

    def auth(self) -> IAMAuth:
        network = Network(
            fixed_transport=SyncAndAsync(httpx.MockTransport(self.iam), httpx.MockTransport(self.iam_async)),
        )
        return IAMAuth(API_KEY, api_url=API_URL, iam_url=IAM_URL, network=network, clock=self.clock)


@pytest.mark.parametrize(("transit", "requests"), [("instant", 2), ("at expiry", 9), ("long past expiry", 9)])
def test_how_many_times_a_401_is_resent(
    transit: str, requests: int, caplog: pytest.LogCaptureFixture
) -> None:
    scene = Scene(transit)
    http = httpx.Client(transport=httpx.MockTransport(scene.api), auth=scene.auth())
    with caplog.at_level(logging.INFO, logger="iqp_wrapper.auth.flow"), pytest.raises(AuthenticationError):
        http.get(f"{API_URL}/v1/jobs")
    assert scene.api_calls == requests
    assert len(scene.iam_at) == requests  # each resend carries a newly issued token
    assert caplog.messages.count(EXPIRED_ON_THE_WAY) == requests - 2


@pytest.mark.parametrize(("transit", "requests"), [("instant", 2), ("at expiry", 9), ("long past expiry", 9)])
async def test_how_many_times_a_401_is_resent_async(
    transit: str, requests: int, caplog: pytest.LogCaptureFixture
) -> None:
    scene = Scene(transit)
    transport: Any = httpx.MockTransport(scene.api_async)
    async with httpx.AsyncClient(transport=transport, auth=scene.auth()) as http:
        with (
            caplog.at_level(logging.INFO, logger="iqp_wrapper.auth.flow"),
            pytest.raises(AuthenticationError),
        ):
            await http.get(f"{API_URL}/v1/jobs")
    assert scene.api_calls == requests
    assert len(scene.iam_at) == requests
    assert caplog.messages.count(EXPIRED_ON_THE_WAY) == requests - 2
