"""Short tokens and a flaky IAM: failures of sync and async callers, side by side.

    .venv/bin/python -m benchmarks.iam_flaky [--threads 200] [--tasks 200] [--seconds 6]

One client, shared by ``--threads`` threads and ``--tasks`` asyncio tasks that each call
``GET /v1/jobs/{id}`` over and over for ``--seconds`` against the raw-socket server
(tests/reliability/rawserver.py) on 127.0.0.1. IAM issues 1 s tokens and answers 500 to
a fifth of the exchanges (at random, seeded). Prints, for each side, the calls made and
the failures by error type; the async side should fail no more than the sync side.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from iqp_api.api.jobs import get_job
from iqp_wrapper import RetryPolicy, connect, unwrap
from tests.reliability.rawserver import API_KEY, RawServer, respond

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/raw0account:raw0instance::"


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls = 0
        self.failures: collections.Counter[str] = collections.Counter()
        self.example: dict[str, str] = {}

    def record(self, error: BaseException | None) -> None:
        with self.lock:
            self.calls += 1
            if error is not None:
                kind = type(error).__name__
                self.failures[kind] += 1
                self.example.setdefault(kind, str(error)[:200])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--fail", type=float, default=0.2, help="share of IAM exchanges answered 500")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=60.0, help="connect(timeout=...)")
    options = parser.parse_args()

    rng = random.Random(options.seed)
    with RawServer(expires_in=1) as raw:
        raw.script(
            "POST",
            "/identity/token",
            *[
                respond((500, {"errorCode": "BXNIM0001E"}, {})) if rng.random() < options.fail else respond()
                for _ in range(100_000)
            ],
        )
        policy = RetryPolicy(max_attempts=4, max_elapsed=10.0, backoff=0.05, max_backoff=0.2)
        client = connect(
            API_KEY,
            service_crn=CRN,
            url=raw.api_url,
            iam_url=raw.iam_url,
            trust_env=False,
            timeout=options.timeout,
            retries=policy,
        )
        job_id = _a_job(raw)
        sync, async_ = Tally(), Tally()
        stop_at = time.monotonic() + options.seconds
        start = threading.Barrier(options.threads + 1)

        def thread() -> None:
            start.wait()
            while time.monotonic() < stop_at:
                try:
                    unwrap(get_job.sync_detailed(job_id, client=client))
                    sync.record(None)
                except Exception as exc:
                    sync.record(exc)

        async def task() -> None:
            while time.monotonic() < stop_at:
                try:
                    unwrap(await get_job.asyncio_detailed(job_id, client=client))
                    async_.record(None)
                except Exception as exc:
                    async_.record(exc)

        async def tasks() -> None:
            start.wait()
            await asyncio.gather(*(task() for _ in range(options.tasks)))

        threads = [threading.Thread(target=thread) for _ in range(options.threads)]
        for t in threads:
            t.start()
        asyncio.run(tasks())
        for t in threads:
            t.join()
        exchanges = raw.count("POST", "/identity/token")
    print(
        f"{options.threads} threads + {options.tasks} tasks, {options.seconds:g} s, 1 s tokens, "
        f"{options.fail:.0%} IAM 500s; {exchanges} IAM requests"
    )
    for name, tally in (("sync", sync), ("async", async_)):
        failed = sum(tally.failures.values())
        kinds = ", ".join(f"{k} {n}" for k, n in tally.failures.most_common()) or "none"
        print(f"  {name:5}  {tally.calls} calls, {failed} failed ({kinds})")
        for kind, text in tally.example.items():
            print(f"         e.g. {kind}: {text}")


def _a_job(raw: RawServer) -> str:
    import json

    from tests.reliability.rawserver import Seen

    seen = Seen(
        "POST", "/api/v1/jobs", {}, {}, json.dumps({"program_id": "sampler", "backend": "b"}).encode()
    )
    return str(raw._create(seen)["id"])


if __name__ == "__main__":
    main()
