"""Resends after a 401: one always; more only while each token dies on the way."""

from __future__ import annotations

import httpx
import pytest

from iqp_wrapper import AuthenticationError, IAMAuth, Network
from iqp_wrapper.transport.retry import NO_RETRIES

API = "https://quantum.cloud.ibm.com/api"
IAM = "https://iam.cloud.ibm.com"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def run(clock: Clock, api_answers: list[tuple[int, float]]) -> tuple[int | Exception, int, int]:
    """Each API request is answered with (status, seconds the clock moves first)."""
    api_calls = iam_calls = 0
    answers = iter(api_answers)

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal api_calls, iam_calls
        if request.url.host == "iam.cloud.ibm.com":
            iam_calls += 1
            return httpx.Response(
                200,
                json={"access_token": f"test-token-{iam_calls}", "expires_in": 101, "token_type": "Bearer"},
            )
        api_calls += 1
        status, moved = next(answers)
        clock.now += moved
        return httpx.Response(status, json={"errors": [{"code": "1001", "message": "no"}]})

    transport = httpx.MockTransport(handler)
    network = Network(fixed_transport=transport)
    auth = IAMAuth(
        "test-key-not-real", api_url=API, iam_url=IAM, clock=clock, retries=NO_RETRIES, network=network
    )
    with httpx.Client(transport=transport, auth=auth) as client:
        try:
            outcome: int | Exception = client.get(f"{API}/v1/jobs").status_code
        except AuthenticationError as exc:
            outcome = exc
    return outcome, api_calls, iam_calls


def test_tokens_that_expire_in_transit_are_replaced_again() -> None:
    # Each token lives 100 s on our clock; each of the first two requests takes 150 s.
    outcome, api_calls, iam_calls = run(Clock(), [(401, 150.0), (401, 150.0), (200, 0.0)])
    assert outcome == 200
    assert (api_calls, iam_calls) == (3, 3)


def test_a_401_to_a_token_still_good_is_a_refusal() -> None:
    outcome, api_calls, iam_calls = run(Clock(), [(401, 0.0), (401, 0.0), (200, 0.0)])
    assert isinstance(outcome, AuthenticationError)
    assert (api_calls, iam_calls) == (2, 2)


def test_resends_are_bounded() -> None:
    outcome, api_calls, _ = run(Clock(), [(401, 150.0)] * 12)
    assert isinstance(outcome, AuthenticationError)
    assert api_calls == 9  # the request and eight resends


@pytest.mark.parametrize("first_delay", [0.0, 150.0])
def test_the_first_401_is_always_resent(first_delay: float) -> None:
    outcome, api_calls, _ = run(Clock(), [(401, first_delay), (200, 0.0)])
    assert outcome == 200
    assert api_calls == 2
