"""The fake over HTTP on 127.0.0.1, in a process of its own, for the loopback benchmarks.

    python -m benchmarks.fake_server   # prints one JSON line: url, iam_url, job_id, crn, api_key

It serves until its standard input closes. Being its own process, the server does not
share a GIL with the client it is measured against. Its clock stands still (a manual
clock set to the wall time at start), so the 200 seeded jobs keep their statuses and its
tokens stay valid for the hour its IAM grants them (qiskit-ibm-runtime compares their
``exp`` with the wall clock).
"""

from __future__ import annotations

import json
import sys
import time

from benchmarks.payloads import fake_service, seed_jobs
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, ManualClock


def main() -> int:
    clock = ManualClock(start=time.time())
    service = fake_service(clock)
    job_id = seed_jobs(service, clock)
    with service.serve() as server:
        info = {
            "url": server.url,
            "iam_url": server.iam_url,
            "job_id": job_id,
            "crn": service.crn,
            "api_key": DEFAULT_API_KEY,
        }
        print(json.dumps(info), flush=True)
        sys.stdin.read()  # until the parent closes our stdin
    return 0


if __name__ == "__main__":
    sys.exit(main())
