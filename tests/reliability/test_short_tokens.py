"""Tokens that die on the way: 401s that say nothing against the key, sync and async alike.

With second-long tokens and a loaded machine (a starved event loop, a queue for pooled
connections), a request can reach the API after its token expired although the token was
fresh when it was attached. Each such 401 is answered with a resend and a younger token,
within the call's deadline; when the resends run out, the error says the token expired on
the way and that IAM accepted the key. The raw server here answers 401 late, after the
token's life on the client's clock, as an overloaded client would see it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from iqp_api.api.jobs import get_job
from iqp_wrapper import AuthenticationError, IQPClient, RetryPolicy, connect, unwrap

from .rawserver import API_KEY, RawServer, delayed, respond

pytestmark = pytest.mark.reliability

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/raw0account:raw0instance::"
ONE_JOB = r"/api/v1/jobs/[^/]+"
UNAUTHORISED: tuple[int, object, dict[str, str]] = (
    401,
    {"errors": [{"code": "1001", "message": "unauthorised"}]},
    {},
)
# A 1 s token lives 0.5 s on the client's clock (a second off for IAM's whole seconds,
# never more than half); a 401 sent after this long meets a token that died on the way.
LATE = 0.6


@pytest.fixture
def raw() -> Iterator[RawServer]:
    with RawServer(expires_in=1) as server:
        yield server


def make(raw: RawServer) -> IQPClient:
    policy = RetryPolicy(max_attempts=4, max_elapsed=20.0, backoff=0.01, max_backoff=0.05)
    return connect(
        API_KEY,
        service_crn=CRN,
        url=raw.api_url,
        iam_url=raw.iam_url,
        trust_env=False,
        timeout=20.0,
        retries=policy,
    )


async def get(client: IQPClient, mode: str, job_id: str) -> str:
    if mode == "sync":
        return unwrap(get_job.sync_detailed(job_id, client=client)).id
    return unwrap(await get_job.asyncio_detailed(job_id, client=client)).id


def a_job(raw: RawServer) -> str:
    import json

    from .rawserver import Seen

    seen = Seen("POST", "/api/v1/jobs", {}, {}, json.dumps({"program_id": "s", "backend": "b"}).encode())
    return str(raw._create(seen)["id"])


async def test_tokens_dying_on_the_way_four_times_are_resent_until_one_arrives(
    raw: RawServer, mode: str
) -> None:
    client, job_id = make(raw), a_job(raw)
    raw.script("GET", ONE_JOB, *[delayed(LATE, respond(UNAUTHORISED)) for _ in range(4)])
    assert await get(client, mode, job_id) == job_id
    assert raw.count("GET", ONE_JOB) == 5
    assert raw.count("POST", "/identity/token") == 5  # a younger token for each resend


async def test_when_resends_run_out_the_error_says_the_token_died_on_the_way(
    raw: RawServer, mode: str
) -> None:
    client, job_id = make(raw), a_job(raw)
    raw.script("GET", ONE_JOB, *[delayed(LATE, respond(UNAUTHORISED)) for _ in range(9)])
    with pytest.raises(AuthenticationError) as caught:
        await get(client, mode, job_id)
    assert "expired before the request reached it" in str(caught.value)
    assert "IAM accepted the key" in str(caught.value)
    assert raw.count("GET", ONE_JOB) == 9


async def test_a_401_to_a_token_still_alive_is_a_refusal_at_once(raw: RawServer, mode: str) -> None:
    client, job_id = make(raw), a_job(raw)
    raw.script("GET", ONE_JOB, *[respond(UNAUTHORISED) for _ in range(3)])
    with pytest.raises(AuthenticationError) as caught:
        await get(client, mode, job_id)
    assert "again after the IAM token was replaced" in str(caught.value)
    assert raw.count("GET", ONE_JOB) == 2  # the first 401 is resent once, no more
