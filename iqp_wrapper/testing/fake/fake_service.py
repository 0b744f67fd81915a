"""FakeService: the fake Qiskit Runtime service and IAM, configured in one place.

    service = FakeService(clock=ManualClock())
    client = httpx.Client(transport=service.transport(), base_url=service.url)  # in process
    with service.serve() as server:                                            # real HTTP
        ... server.url, server.iam_url ...

Both ways reach the same state, so a test can create a job in process and read it over
HTTP. Knobs are constructor arguments; faults and other changes while running are
methods and attributes (``faults``, ``schedule``, ``versions``, ``clock_skew``...).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable

from iqp_wrapper.testing.fake.app import Exchange, FakeApp
from iqp_wrapper.testing.fake.catalog import DEFAULT_API_KEY, DEFAULT_BACKENDS, DEFAULT_CRN, FakeBackend, Plan
from iqp_wrapper.testing.fake.clock import Clock
from iqp_wrapper.testing.fake.faults import Faults
from iqp_wrapper.testing.fake.iam import TokenIssuer
from iqp_wrapper.testing.fake.ratelimit import RateLimit, RateLimiter
from iqp_wrapper.testing.fake.result_forms import ResultBodyForm
from iqp_wrapper.testing.fake.schedule import JobPlan, Schedule
from iqp_wrapper.testing.fake.server import FakeServer
from iqp_wrapper.testing.fake.state import World
from iqp_wrapper.testing.fake.transport import FakeTransport
from iqp_wrapper.testing.fake.versions import DEFAULT_VERSIONS, VersionInfo, VersionTable

IN_PROCESS_URL = "https://quantum.fake.invalid/api"
IN_PROCESS_IAM_URL = "https://iam.fake.invalid"


class FakeService:
    """The fake service and IAM.

    Args:
        api_keys: keys IAM accepts (default ``"fake-key-ok"``).
        crns: instance CRNs the API serves (default ``DEFAULT_CRN``, region us-east).
        clock: epoch seconds, ``time.time`` by default; pass a ``ManualClock`` in tests.
        token_lifetime: seconds an IAM token lives (``expires_in``).
        schedule: how jobs progress: a ``Schedule``, or one ``JobPlan`` for every job.
        backends: the instance's backends.
        versions: API versions published on /v1/versions.
        plan: service plan and usage figures of the instance.
        rate_limit: job submissions allowed per user and window; None for no limit.
        base_path: where the API lives on the server (``/api``, as IBM's).
        seed: makes IDs, tokens and traces reproducible.
        unknown_instance_status: the status for a Service-CRN the fake does not serve.
        history_limit: how many exchanges ``history`` keeps (None: all).
        result_body_form: how job results are sent: ``"json"``, ``"text"`` or
            ``"json-string"`` (result_forms.py).
    """

    def __init__(
        self,
        *,
        api_keys: Iterable[str] = (DEFAULT_API_KEY,),
        crns: Iterable[str] = (DEFAULT_CRN,),
        clock: Clock = time.time,
        token_lifetime: float = 3600.0,
        schedule: Schedule | JobPlan | None = None,
        backends: Iterable[FakeBackend] = DEFAULT_BACKENDS,
        versions: Iterable[VersionInfo] = DEFAULT_VERSIONS,
        plan: Plan | None = None,
        rate_limit: RateLimit | None = RateLimit(),  # noqa: B008 - frozen, so sharing is safe
        base_path: str = "/api",
        seed: int | None = None,
        unknown_instance_status: int = 404,
        history_limit: int | None = 1000,
        result_body_form: ResultBodyForm = "json",
    ) -> None:
        self.clock = clock
        self.clock_skew = 0.0
        """Seconds added to ``clock`` for everything the fake does (Date header, tokens,
        jobs): set it to play a server whose clock disagrees with the client's."""
        rng = random.Random(seed)
        self.schedule = schedule if isinstance(schedule, Schedule) else Schedule(schedule)
        self.faults = Faults()
        self.versions = VersionTable(versions)
        self.iam = TokenIssuer(keys=api_keys, lifetime=token_lifetime, clock=self.now, rng=rng)
        self.world = World(backends=backends, plan=plan or Plan(), schedule=self.schedule, rng=rng)
        self.world.result_body_form = result_body_form
        self.limiter = RateLimiter(rate_limit)
        self._crns = list(crns)
        self.app = FakeApp(
            iam=self.iam,
            world=self.world,
            faults=self.faults,
            versions=self.versions,
            limiter=self.limiter,
            crns=set(self._crns),
            now=self.now,
            base_path=base_path,
            unknown_instance_status=unknown_instance_status,
            history_limit=history_limit,
        )

    def now(self) -> float:
        """The fake's idea of the time: ``clock()`` plus ``clock_skew``."""
        return self.clock() + self.clock_skew

    # -- reaching it ------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The API base URL to use with the in-process transports."""
        return IN_PROCESS_URL.removesuffix("/api") + self.app.base_path

    @property
    def iam_url(self) -> str:
        """The IAM URL to use with the in-process transports."""
        return IN_PROCESS_IAM_URL

    def transport(self) -> FakeTransport:
        """An httpx transport for sync and async clients, serving IAM and the API in process."""
        return FakeTransport(self.app)

    def serve(self, port: int = 0) -> FakeServer:
        """Start serving over HTTP on 127.0.0.1 and return the running server; use it as
        a context manager (or call ``stop()``)."""
        return FakeServer(self.app, port=port).start()

    # -- credentials and instances ----------------------------------------------------

    @property
    def crn(self) -> str:
        """The first CRN given that the fake still serves ("" if none)."""
        with self.app.lock:
            served = [crn for crn in self._crns if crn in self.app.crns]
        return served[0] if served else ""

    @property
    def live_version(self) -> str:
        """The newest live API version (or the newest of all if none is live)."""
        published = self.versions.versions
        live = [info.version for info in published if info.status == "live"]
        return (live or [info.version for info in published])[-1]

    def issue_token(self, api_key: str = DEFAULT_API_KEY) -> str:
        """A valid bearer token, without an IAM request (not counted in ``iam_calls``)."""
        issued = self.iam.grant(api_key)
        if issued is None:
            raise ValueError("the fake does not accept this API key")
        return str(issued["access_token"])

    def headers(
        self, token: str | None = None, *, crn: str | None = None, version: str | None = None
    ) -> dict[str, str]:
        """The headers of an API call: a token (issued if not given), CRN and API version."""
        return {
            "Authorization": f"Bearer {token or self.issue_token()}",
            "Service-CRN": crn or self.crn,
            "IBM-API-Version": version or self.live_version,
        }

    def add_api_key(self, key: str) -> None:
        """Have IAM accept ``key`` too."""
        self.iam.add_key(key)

    def remove_api_key(self, key: str) -> None:
        """Have IAM refuse ``key`` from now on (its tokens stay valid)."""
        self.iam.remove_key(key)

    def revoke_tokens(self) -> None:
        """Invalidate every token issued so far: the API answers them 401."""
        self.iam.revoke_all()

    def add_crn(self, crn: str) -> None:
        """Serve the instance ``crn`` too."""
        with self.app.lock:
            self.app.crns.add(crn)
            self._crns.append(crn)

    def remove_crn(self, crn: str) -> None:
        """Stop serving ``crn``: calls with it get "instance not found"."""
        with self.app.lock:
            self.app.crns.discard(crn)

    # -- observation ------------------------------------------------------------------

    @property
    def iam_calls(self) -> int:
        """Requests that reached the IAM token endpoint, whatever their outcome."""
        return self.iam.calls

    @property
    def tokens_issued(self) -> int:
        """Tokens IAM issued (including ``issue_token``)."""
        return self.iam.issued

    @property
    def history(self) -> list[Exchange]:
        """The latest exchanges, oldest first (up to ``history_limit``)."""
        with self.app.lock:
            return list(self.app.history)

    def clear_history(self) -> None:
        """Forget the recorded exchanges."""
        with self.app.lock:
            self.app.history.clear()

    def calls(self, operation: str) -> int:
        """How many recorded exchanges were of ``operation``."""
        return sum(1 for exchange in self.history if exchange.operation == operation)

    def job_status(self, job_id: str) -> str | None:
        """A job's status now, straight from the state (None if there is no such job)."""
        with self.app.lock:
            job = self.world.jobs.get(job_id)
            return None if job is None else job.status(self.now())

    def reset_rate_limit(self) -> None:
        """Forget past job submissions, as if the window had passed."""
        with self.app.lock:
            self.limiter.reset()

    def __repr__(self) -> str:
        with self.app.lock:
            jobs, sessions = len(self.world.jobs), len(self.world.sessions)
        return f"FakeService(jobs={jobs}, sessions={sessions}, iam_calls={self.iam_calls})"
