"""IAMAuth: token exchange, caching and refresh, 401 handling, and where headers go."""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from iqp_wrapper import (
    AuthenticationError,
    ConfigError,
    IAMAuth,
    IAMConnectionError,
    IAMError,
    IAMTimeoutError,
)
from iqp_wrapper.transport.retry import NO_RETRIES

from .fakes import (
    API_KEY,
    API_URL,
    IAM_TOKEN_URL,
    IAM_URL,
    OTHER_HOST_URL,
    APIStub,
    FakeClock,
    IAMStub,
    iam_body,
    token,
)

JOBS_URL = f"{API_URL}/v1/jobs"
API_HEADERS = {"Service-CRN": "crn-placeholder", "IBM-API-Version": "2026-04-15"}


def api_stub(httpx_mock: Any, *statuses: int) -> APIStub:
    stub = APIStub(*statuses)
    httpx_mock.add_callback(stub, url=httpx.URL(JOBS_URL), is_reusable=True)
    return stub


def bearer(n: int) -> str:
    return f"Bearer {token(n)}"


# -- the exchange itself ----------------------------------------------------------------


def test_token_request_is_a_form_post_with_only_its_own_headers(
    httpx_mock: Any, iam_stub: IAMStub, clock: FakeClock
) -> None:
    auth = IAMAuth(API_KEY, api_url=API_URL, timeout=httpx.Timeout(7.0, connect=3.0), clock=clock)
    api_stub(httpx_mock, 200)
    with httpx.Client(auth=auth, headers=API_HEADERS, timeout=99.0) as client:
        client.get(JOBS_URL)

    (iam_request,) = iam_stub.requests
    assert iam_request.method == "POST"
    assert str(iam_request.url) == IAM_TOKEN_URL
    assert iam_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert iam_request.headers["accept"] == "application/json"
    assert parse_qs(iam_request.content.decode()) == {
        "grant_type": ["urn:ibm:params:oauth:grant-type:apikey"],
        "apikey": [API_KEY],
    }
    for name in ("authorization", "service-crn", "ibm-api-version"):
        assert name not in iam_request.headers
    assert iam_request.headers["user-agent"].startswith("iqp-wrapper/")
    # Its own timeout, not the API client's 99 s.
    # (shrunk to what is left of the exchange's 7 s deadline when the request is sent)
    assert iam_request.extensions["timeout"] == pytest.approx(
        {"connect": 3.0, "read": 7.0, "write": 7.0, "pool": 7.0}, abs=0.5
    )


def test_api_requests_carry_the_bearer_token(httpx_mock: Any, iam_stub: IAMStub, auth: IAMAuth) -> None:
    api = api_stub(httpx_mock, 200)
    with httpx.Client(auth=auth) as client:
        assert client.get(JOBS_URL).status_code == 200
    assert api.authorizations == [bearer(1)]


async def test_async_api_requests_carry_the_bearer_token(
    httpx_mock: Any, iam_stub: IAMStub, auth: IAMAuth
) -> None:
    api = api_stub(httpx_mock, 200)
    async with httpx.AsyncClient(auth=auth) as client:
        assert (await client.get(JOBS_URL)).status_code == 200
    assert api.authorizations == [bearer(1)]


@pytest.mark.parametrize(
    ("status", "body", "kind", "code"),
    [
        (
            400,
            {"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."},
            IAMError,
            "BXNIM0415E",
        ),
        (503, {"errorCode": "BXNIM0001E", "errorMessage": "unavailable"}, IAMError, "BXNIM0001E"),
        (400, "not json", IAMError, None),
    ],
)
def test_iam_refusal_raises_iam_error_with_status_and_code(
    httpx_mock: Any, auth: IAMAuth, status: int, body: Any, kind: type[IAMError], code: str | None
) -> None:
    if isinstance(body, dict):
        body = {**body, "context": {"requestId": "test-request-id"}}
        httpx_mock.add_response(url=IAM_TOKEN_URL, status_code=status, json=body)
    else:
        httpx_mock.add_response(url=IAM_TOKEN_URL, status_code=status, text=body)
    with httpx.Client(auth=auth) as client, pytest.raises(kind) as caught:
        client.get(JOBS_URL)  # no API response registered: it must never be sent
    assert type(caught.value) is kind
    assert caught.value.status_code == status
    assert caught.value.error_code == code
    assert API_KEY not in str(caught.value)
    if code == "BXNIM0415E":
        assert caught.value.error_message == "Provided API key could not be found."
        assert caught.value.request_id == "test-request-id"
        assert "not found" in str(caught.value) and "BXNIM0415E" in str(caught.value)
    assert not [r for r in httpx_mock.get_requests() if r.url.host != "iam.cloud.ibm.com"]


def test_iam_message_echoing_the_key_is_redacted(httpx_mock: Any, auth: IAMAuth) -> None:
    httpx_mock.add_response(
        url=IAM_TOKEN_URL, status_code=400, json={"errorCode": "X", "errorMessage": f"bad key {API_KEY}"}
    )
    with httpx.Client(auth=auth) as client, pytest.raises(IAMError) as caught:
        client.get(JOBS_URL)
    assert API_KEY not in str(caught.value)
    assert caught.value.error_message == "bad key ***"


@pytest.mark.parametrize(
    ("exception", "kind"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), IAMConnectionError),
        (httpx.ConnectTimeout("timed out"), IAMTimeoutError),
        (httpx.ReadTimeout("timed out"), IAMTimeoutError),
        (httpx.ProxyError("proxy said no"), IAMConnectionError),
    ],
)
async def test_iam_unreachable_raises_distinct_errors_sync_and_async(
    httpx_mock: Any, auth: IAMAuth, exception: Exception, kind: type[IAMError]
) -> None:
    httpx_mock.add_exception(exception, url=IAM_TOKEN_URL, is_reusable=True)
    with httpx.Client(auth=auth) as client, pytest.raises(kind) as sync_caught:
        client.get(JOBS_URL)
    async with httpx.AsyncClient(auth=auth) as aclient:
        with pytest.raises(kind) as async_caught:
            await aclient.get(JOBS_URL)
    for caught in (sync_caught, async_caught):
        assert type(caught.value) is kind
        assert caught.value.status_code is None
        assert IAM_URL in str(caught.value)
        # Nothing keeps the httpx error (whose request holds the key in its body) alive.
        assert caught.value.__context__ is None and caught.value.__cause__ is None


@pytest.mark.parametrize(
    "body",
    [
        {"token_type": "Bearer", "expires_in": 3600},
        {"access_token": "x", "token_type": "Bearer"},
        {"access_token": "x", "token_type": "Bearer", "expires_in": 0},
        {"access_token": "x", "token_type": "Bearer", "expires_in": True},
        {"access_token": "x", "token_type": "mac", "expires_in": 3600},
    ],
)
def test_unusable_token_answers_are_iam_errors(httpx_mock: Any, auth: IAMAuth, body: dict[str, Any]) -> None:
    httpx_mock.add_response(url=IAM_TOKEN_URL, json=body)
    with httpx.Client(auth=auth) as client, pytest.raises(IAMError) as caught:
        client.get(JOBS_URL)
    assert caught.value.status_code == 200


@pytest.mark.parametrize("fraction", [0.0, -0.1, 1.5])
def test_refresh_fraction_out_of_range_is_a_config_error(fraction: float) -> None:
    with pytest.raises(ConfigError, match="refresh_fraction"):
        IAMAuth(API_KEY, api_url=API_URL, refresh_fraction=fraction)


# -- caching, refresh, expiry ---------------------------------------------------------


@pytest.mark.parametrize(("fraction", "lifetime"), [(0.8, 3600.0), (0.5, 1000.0), (0.95, 60.0)])
def test_token_is_reused_until_the_refresh_fraction_then_replaced(
    httpx_mock: Any, clock: FakeClock, fraction: float, lifetime: float
) -> None:
    iam = IAMStub(expires_in=lifetime)
    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)
    api = api_stub(httpx_mock, 200)
    auth = IAMAuth(API_KEY, api_url=API_URL, refresh_fraction=fraction, clock=clock, retries=NO_RETRIES)
    with httpx.Client(auth=auth) as client:
        client.get(JOBS_URL)
        # IAM floors the issue time to the second: one second of the lifetime is not counted.
        clock.advance(fraction * (lifetime - 1) - 0.01)
        client.get(JOBS_URL)
        assert iam.calls == 1
        clock.advance(0.02)
        client.get(JOBS_URL)
        assert iam.calls == 2
        client.get(JOBS_URL)
    assert api.authorizations == [bearer(1), bearer(1), bearer(2), bearer(2)]


async def test_async_refresh_at_fraction(httpx_mock: Any, clock: FakeClock) -> None:
    iam = IAMStub(expires_in=100)
    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)
    api = api_stub(httpx_mock, 200)
    auth = IAMAuth(API_KEY, api_url=API_URL, refresh_fraction=0.5, clock=clock, retries=NO_RETRIES)
    async with httpx.AsyncClient(auth=auth) as client:
        await client.get(JOBS_URL)
        clock.advance(49.4)  # half of 99 s: 100 less the second IAM's rounding may take
        await client.get(JOBS_URL)
        clock.advance(0.2)
        await client.get(JOBS_URL)
    assert api.authorizations == [bearer(1), bearer(1), bearer(2)]


def test_lifetime_counts_from_when_the_exchange_was_sent(httpx_mock: Any, clock: FakeClock) -> None:
    def slow_iam(request: httpx.Request) -> httpx.Response:
        clock.advance(30)  # IAM takes 30 s to answer
        return httpx.Response(200, json=iam_body(1, expires_in=100))

    httpx_mock.add_callback(slow_iam, url=IAM_TOKEN_URL)
    api_stub(httpx_mock, 200)
    auth = IAMAuth(API_KEY, api_url=API_URL, refresh_fraction=1.0, clock=clock, retries=NO_RETRIES)
    with httpx.Client(auth=auth) as client:
        client.get(JOBS_URL)
        # Sent at 0, answered at 30: the token is good until 99 (100 less a second for
        # IAM's whole-second issue time), not until 130.
        clock.advance(68.9)
        client.get(JOBS_URL)
        clock.advance(0.2)
        httpx_mock.add_response(url=IAM_TOKEN_URL, json=iam_body(2))
        client.get(JOBS_URL)
    assert len([r for r in httpx_mock.get_requests() if r.url.host == "iam.cloud.ibm.com"]) == 2


@pytest.mark.parametrize("skew", [-86_400.0 * 365, -86_400.0, 86_400.0, 86_400.0 * 365])
def test_a_skewed_wall_clock_changes_nothing(
    httpx_mock: Any, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, skew: float
) -> None:
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + skew)
    iam = IAMStub(expires_in=3600)
    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)
    api = api_stub(httpx_mock, 200)
    auth = IAMAuth(API_KEY, api_url=API_URL, refresh_fraction=0.8, clock=clock, retries=NO_RETRIES)
    with httpx.Client(auth=auth) as client:
        for _ in range(10):  # neither refetched early (clock ahead) ...
            client.get(JOBS_URL)
            clock.advance(287)
        clock.advance(9.1)  # 2879.1 s
        client.get(JOBS_URL)
        assert iam.calls == 1
        clock.advance(1)  # ... nor kept late (clock behind): refreshed once 0.8 * 3599 s have passed
        client.get(JOBS_URL)
    assert iam.calls == 2
    assert api.authorizations[-1] == bearer(2)


def test_failed_refresh_keeps_the_valid_token_but_never_past_expiry(
    httpx_mock: Any, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    outcomes = iter([200, 503, 503, 503])
    iam_calls: list[float] = []

    def iam(request: httpx.Request) -> httpx.Response:
        iam_calls.append(clock.now)
        status = next(outcomes)
        if status == 200:
            return httpx.Response(200, json=iam_body(1, expires_in=100))
        return httpx.Response(status, json={"errorCode": "BXNIM0001E", "errorMessage": "down"})

    httpx_mock.add_callback(iam, url=IAM_TOKEN_URL, is_reusable=True)
    api = api_stub(httpx_mock, 200)
    auth = IAMAuth(API_KEY, api_url=API_URL, refresh_fraction=0.8, clock=clock, retries=NO_RETRIES)
    start = clock.now
    with httpx.Client(auth=auth) as client:
        client.get(JOBS_URL)
        clock.advance(85)  # refresh due (79.2); IAM fails; the old token is good until 99
        with caplog.at_level(logging.WARNING, logger="iqp_wrapper"):
            client.get(JOBS_URL)
        assert "refreshing the IAM token failed" in caplog.text
        clock.advance(1)  # the next attempt is spaced out, not made on every request
        client.get(JOBS_URL)
        clock.advance(12.75)  # 98.75: one more attempt, fails, token still good
        client.get(JOBS_URL)
        clock.advance(0.25)  # 99: expired, IAM still down: error, and nothing sent
        with pytest.raises(IAMError):
            client.get(JOBS_URL)
    assert [t - start for t in iam_calls] == [0, 85, 98.75, 99]
    assert api.authorizations == [bearer(1)] * 4


def test_auth_repr_shows_no_key() -> None:
    auth = IAMAuth(API_KEY, api_url=API_URL)
    assert API_KEY not in repr(auth) and API_KEY not in str(auth)
    assert "api_key='***'" in repr(auth)


# -- 401 --------------------------------------------------------------------------------


def test_401_refreshes_once_and_resends_the_same_body(
    httpx_mock: Any, iam_stub: IAMStub, auth: IAMAuth
) -> None:
    api = api_stub(httpx_mock, 401, 200)
    payload = {"program_id": "sampler", "backend": "test_backend", "params": {"shots": 10}}
    with httpx.Client(auth=auth) as client:
        response = client.post(JOBS_URL, json=payload)
    assert response.status_code == 200
    assert iam_stub.calls == 2
    assert api.authorizations == [bearer(1), bearer(2)]
    first_body, second_body = (body for _, body in api.seen)
    assert first_body == second_body
    assert json.loads(second_body) == payload


async def test_async_401_refreshes_once_and_resends_the_same_body(
    httpx_mock: Any, iam_stub: IAMStub, auth: IAMAuth
) -> None:
    api = api_stub(httpx_mock, 401, 200)

    async def streamed_body() -> Any:  # a body that can only be read once
        yield b'{"program_id": '
        yield b'"sampler"}'

    async with httpx.AsyncClient(auth=auth) as client:
        response = await client.post(JOBS_URL, content=streamed_body())
    assert response.status_code == 200
    assert iam_stub.calls == 2
    assert api.authorizations == [bearer(1), bearer(2)]
    assert [body for _, body in api.seen] == [b'{"program_id": "sampler"}'] * 2


def test_two_401s_raise_authentication_error(httpx_mock: Any, iam_stub: IAMStub, auth: IAMAuth) -> None:
    api = api_stub(httpx_mock, 401)
    with httpx.Client(auth=auth) as client, pytest.raises(AuthenticationError) as caught:
        client.get(JOBS_URL)
    assert iam_stub.calls == 2
    assert len(api.seen) == 2  # one resend, no more
    error = caught.value
    assert error.status_code == 401
    assert error.trace == "test-trace-401"
    assert [e.code for e in error.errors] == ["1201"]
    assert "Invalid token" in str(error)
    assert token(1) not in str(error) and token(2) not in str(error)


async def test_async_two_401s_raise_authentication_error(
    httpx_mock: Any, iam_stub: IAMStub, auth: IAMAuth
) -> None:
    api = api_stub(httpx_mock, 401)
    async with httpx.AsyncClient(auth=auth) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.get(JOBS_URL)
    assert iam_stub.calls == 2
    assert len(api.seen) == 2
    assert caught.value.trace == "test-trace-401"


def test_concurrent_401s_cause_one_refresh(iam_stub: IAMStub, auth: IAMAuth) -> None:
    # Two requests sent with token 1 both come back 401. The first drops token 1 and gets
    # token 2; the second sees token 1 is already gone and resends with token 2 at once.
    flow_a = auth.sync_auth_flow(httpx.Request("GET", JOBS_URL))
    flow_b = auth.sync_auth_flow(httpx.Request("GET", JOBS_URL))
    sent_a, sent_b = next(flow_a), next(flow_b)
    assert sent_a.headers["authorization"] == sent_b.headers["authorization"] == bearer(1)
    resent_a = flow_a.send(httpx.Response(401, request=sent_a))
    resent_b = flow_b.send(httpx.Response(401, request=sent_b))
    assert resent_a.headers["authorization"] == resent_b.headers["authorization"] == bearer(2)
    assert iam_stub.calls == 2


async def test_async_concurrent_401s_cause_one_refresh(iam_stub: IAMStub, auth: IAMAuth) -> None:
    flow_a = auth.async_auth_flow(httpx.Request("GET", JOBS_URL))
    flow_b = auth.async_auth_flow(httpx.Request("GET", JOBS_URL))
    sent_a, sent_b = await flow_a.__anext__(), await flow_b.__anext__()
    resent_a = await flow_a.asend(httpx.Response(401, request=sent_a))
    resent_b = await flow_b.asend(httpx.Response(401, request=sent_b))
    assert resent_a.headers["authorization"] == resent_b.headers["authorization"] == bearer(2)
    assert iam_stub.calls == 2


def test_401_from_another_host_is_left_alone(httpx_mock: Any, iam_stub: IAMStub, auth: IAMAuth) -> None:
    httpx_mock.add_response(url=OTHER_HOST_URL, status_code=401)
    with httpx.Client(auth=auth) as client:
        assert client.get(OTHER_HOST_URL).status_code == 401
    assert iam_stub.calls == 0
    assert len(httpx_mock.get_requests()) == 1


# -- which host gets which headers ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        OTHER_HOST_URL,
        "https://eu-de.quantum.cloud.ibm.com/api/v1/jobs",  # another region's host
        "http://quantum.cloud.ibm.com/api/v1/jobs",  # the API host, but in clear text
        "https://quantum.cloud.ibm.com:8443/api/v1/jobs",  # another port
        "https://quantum.cloud.ibm.com.example.test/api/v1/jobs",
    ],
)
async def test_other_origins_get_no_api_headers(
    httpx_mock: Any, iam_stub: IAMStub, auth: IAMAuth, url: str
) -> None:
    seen: list[dict[str, str]] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.headers))
        return httpx.Response(200)

    httpx_mock.add_callback(record, url=url, is_reusable=True)
    # The generated client sets these (and an empty Authorization) as client defaults.
    defaults = {**API_HEADERS, "Authorization": ""}
    with httpx.Client(auth=auth, headers=defaults) as client:
        client.get(url)
    async with httpx.AsyncClient(auth=auth, headers=defaults) as aclient:
        await aclient.get(url)
    assert len(seen) == 2
    for headers in seen:
        assert not {"authorization", "service-crn", "ibm-api-version"} & set(headers)
    assert iam_stub.calls == 0  # no token is even fetched for them


def test_the_api_host_gets_token_and_fixed_headers(httpx_mock: Any, iam_stub: IAMStub, auth: IAMAuth) -> None:
    api = api_stub(httpx_mock, 200)
    with httpx.Client(auth=auth, headers=API_HEADERS) as client:
        client.get("https://QUANTUM.cloud.ibm.com:443/api/v1/jobs")
    (headers, _), *_ = api.seen
    assert headers["authorization"] == bearer(1)
    assert headers["service-crn"] == "crn-placeholder"
    assert headers["ibm-api-version"] == "2026-04-15"


def test_the_key_goes_to_iam_and_nowhere_else(httpx_mock: Any, iam_stub: IAMStub, auth: IAMAuth) -> None:
    api_stub(httpx_mock, 401, 200)
    httpx_mock.add_response(url=OTHER_HOST_URL)
    with httpx.Client(auth=auth, headers=API_HEADERS) as client:
        client.post(JOBS_URL, json={"x": 1})
        client.get(OTHER_HOST_URL)
    carrying_key = [
        request
        for request in httpx_mock.get_requests()
        if API_KEY in request.content.decode()
        or API_KEY in str(request.headers.raw)
        or API_KEY in str(request.url)
    ]
    assert carrying_key and all(str(r.url) == IAM_TOKEN_URL for r in carrying_key)
    assert len(carrying_key) == iam_stub.calls == 2
