"""The fake IAM: tokens like IAM's, refusals like IAM's, and a count of calls."""

from __future__ import annotations

from iqp_wrapper.testing.fake import FakeService, ManualClock, decode_claims

from .conftest import Api


async def test_issues_a_jwt_shaped_bearer_token(api: Api, clock: ManualClock) -> None:
    response = await api.iam()
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["refresh_token"] == "not_supported"
    assert body["expires_in"] == 3600
    assert body["expiration"] == int(clock()) + 3600
    header, payload, signature = body["access_token"].split(".")
    assert header and payload and signature
    claims = decode_claims(body["access_token"])
    assert claims["iat"] == int(clock())
    assert claims["exp"] == int(clock()) + 3600
    assert len(claims["jti"]) == 32


async def test_each_token_is_different(api: Api) -> None:
    first = (await api.iam()).json()["access_token"]
    second = (await api.iam()).json()["access_token"]
    assert first != second
    assert decode_claims(first)["jti"] != decode_claims(second)["jti"]


async def test_the_issued_token_opens_the_api(api: Api) -> None:
    token = (await api.iam()).json()["access_token"]
    response = await api.get("/v1/instance", headers=api.headers(Authorization=f"Bearer {token}"))
    assert response.status_code == 200


async def test_lifetime_is_configurable_and_tokens_expire_on_the_clock(clock: ManualClock) -> None:
    service = FakeService(clock=clock, token_lifetime=120)
    for mode in ("inproc-sync", "http-async"):
        api = Api(service, mode, service.serve() if mode.startswith("http") else None)
        try:
            body = (await api.iam()).json()
            assert body["expires_in"] == 120
            headers = api.headers(Authorization=f"Bearer {body['access_token']}")
            assert (await api.get("/v1/instance", headers=headers)).status_code == 200
            clock.advance(119)
            assert (await api.get("/v1/instance", headers=headers)).status_code == 200
            clock.advance(1)
            assert (await api.get("/v1/instance", headers=headers)).status_code == 401
        finally:
            await api.close()
            if api.server is not None:
                api.server.stop()


async def test_unknown_key_is_refused_like_iam(api: Api) -> None:
    response = await api.iam("not-a-key")
    assert response.status_code == 400
    body = response.json()
    assert body["errorCode"] == "BXNIM0415E"
    assert isinstance(body["errorMessage"], str) and body["errorMessage"]
    assert "not-a-key" not in response.text
    assert body["context"]["requestId"]


async def test_missing_key_and_wrong_grant_type_are_refused(api: Api) -> None:
    missing = await api.iam(None)
    assert missing.status_code == 400
    assert missing.json()["errorCode"] == "FAKEIAM0001E"
    wrong_grant = await api.iam(grant_type="password")
    assert wrong_grant.status_code == 400
    assert wrong_grant.json()["errorCode"] == "FAKEIAM0002E"


async def test_only_post_is_accepted(api: Api) -> None:
    response = await api.send("GET", api.iam_url + "/identity/token")
    assert response.status_code == 405


async def test_keys_can_be_added_and_removed(api: Api, service: FakeService) -> None:
    service.add_api_key("fake-key-second")
    assert (await api.iam("fake-key-second")).status_code == 200
    service.remove_api_key("fake-key-second")
    assert (await api.iam("fake-key-second")).status_code == 400


async def test_counts_every_call(api: Api, service: FakeService) -> None:
    assert service.iam_calls == 0
    await api.iam()
    await api.iam("not-a-key")
    service.faults.fail_next("iam_token", 500)
    await api.iam()
    assert service.iam_calls == 3
    assert service.tokens_issued == 1
    assert service.calls("iam_token") == 3


async def test_revoked_tokens_are_refused(api: Api, service: FakeService) -> None:
    assert (await api.get("/v1/instance")).status_code == 200
    service.revoke_tokens()
    assert (await api.get("/v1/instance")).status_code == 401


def test_tokens_are_reproducible_with_a_seed() -> None:
    tokens = [FakeService(clock=ManualClock(), seed=3).issue_token() for _ in range(2)]
    assert tokens[0] == tokens[1]


async def test_history_reprs_show_no_key_or_token(api: Api, service: FakeService) -> None:
    token = (await api.iam()).json()["access_token"]
    text = repr(service.history)
    assert "fake-key-ok" not in text and token not in text
    assert "Request(POST /identity/token)" in text and "Response(200," in text
