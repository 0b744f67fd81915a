"""The qiskit-ibm-runtime side of the comparison; runs in its own virtualenv, never ours.

    <qiskit venv>/bin/python benchmarks/qiskit_side.py inprocess PAYLOADS.json NUMBER REPEAT
    <qiskit venv>/bin/python benchmarks/qiskit_side.py loopback SERVER.json CALLS DEPTH

Uses qiskit-ibm-runtime's REST layer as its service does: ``RuntimeClient`` (a
``RetrySession`` with ``CloudAuth``), ``job_get`` and ``jobs_get``. In process, a requests
adapter answers with the same fixed bodies as our MockTransport and the IAM token manager
is seeded with a token (as our client's is after its first exchange); over loopback it
talks to the fake, IAM included. Prints one JSON object of seconds per call.
Imports only the standard library and what that virtualenv holds.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import requests  # type: ignore[import-untyped, unused-ignore]
from requests.adapters import BaseAdapter  # type: ignore[import-untyped, unused-ignore]


class FixedAdapter(BaseAdapter):  # type: ignore[misc, unused-ignore]
    """A requests transport that answers every request with a fixed JSON body."""

    def __init__(self, job: bytes, jobs: bytes) -> None:
        super().__init__()
        self._job, self._jobs = job, jobs

    def send(self, request: Any, **kwargs: Any) -> Any:
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        path = request.path_url.split("?", 1)[0]
        response._content = self._jobs if path.endswith("/v1/jobs") else self._job
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


def runtime_client(base_url: str, api_key: str, crn: str) -> Any:
    from qiskit_ibm_runtime.api.client import RuntimeClient  # type: ignore[import-not-found, unused-ignore]
    from qiskit_ibm_runtime.api.client_parameters import (  # type: ignore[import-not-found, unused-ignore]
        ClientParameters,
    )

    params = ClientParameters(
        channel="ibm_quantum_platform",
        token=api_key,
        instance=crn,
        # Its REST paths are relative to the API's /v1 (its own resolver appends it).
        url_resolver=lambda *_: base_url + "/v1",
    )
    return RuntimeClient(params)


def best_of(calls: dict[str, Any], number: int, repeat: int) -> dict[str, dict[str, float]]:
    for call in calls.values():
        for _ in range(3):
            call()
    rounds: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            started = time.perf_counter()
            for _ in range(number):
                call()
            rounds[name].append((time.perf_counter() - started) / number)
    return {name: {"best": min(v), "median": statistics.median(v)} for name, v in rounds.items()}


def inprocess(payloads_file: str, number: int, repeat: int) -> dict[str, Any]:
    payloads = json.loads(Path(payloads_file).read_text(encoding="utf-8"))
    base = "https://us-east.quantum.cloud.ibm.com/api"
    adapter = FixedAdapter(payloads["job"].encode(), payloads["jobs"].encode())
    client = runtime_client(base, "fake-key-ok", payloads["crn"])
    client._session.mount("https://", adapter)
    # Seeded, as if the first IAM exchange had happened: the token manager stays on its real path.
    client._session.auth.tm._save_token_info(json.loads(payloads["token"]))
    floor = requests.Session()
    floor.mount("https://", adapter)
    floor.headers.update(
        {
            "Authorization": f"Bearer {payloads['access_token']}",
            "Service-CRN": payloads["crn"],
            "IBM-API-Version": payloads["api_version"],
        }
    )
    job_id = payloads["job_id"]
    get_url, list_url = f"{base}/v1/jobs/{job_id}", f"{base}/v1/jobs"
    gets = best_of(
        {
            "requests floor": lambda: json.loads(floor.get(get_url).content),
            "qiskit": lambda: client.job_get(job_id, exclude_params=False),
        },
        number,
        repeat,
    )
    lists = best_of(
        {
            "requests floor": lambda: json.loads(floor.get(list_url, params={"limit": 200}).content),
            "qiskit": lambda: client.jobs_get(limit=200),
        },
        max(1, number // 10),
        repeat,
    )
    assert len(client.jobs_get(limit=200)["jobs"]) == 200
    return {"get_job": gets, "list_jobs": lists, "version": _version()}


def at_depth(depth: int, call: Any) -> Any:
    """Run ``call`` ``depth`` frames down the stack (qiskit-ibm-runtime inspects the whole
    stack on every request, so its cost depends on where it is called from)."""
    if depth <= 1:
        return call()
    return at_depth(depth - 1, call)


def latencies(call: Any, count: int) -> list[float]:
    for _ in range(5):
        call()
    out = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return sorted(out)


def loopback(server_file: str, calls: int, depth: int) -> dict[str, Any]:
    server = json.loads(Path(server_file).read_text(encoding="utf-8"))
    os.environ["IAM_URL"] = server["iam_url"]  # where its IAM token manager goes
    client = runtime_client(server["url"], server["api_key"], server["crn"])
    job_id = server["job_id"]
    out: dict[str, Any] = {"version": _version()}
    for name, call, count in (
        ("get_job", lambda: client.job_get(job_id, exclude_params=False), calls),
        ("list_jobs", lambda: client.jobs_get(limit=200), max(20, calls // 5)),
    ):
        out[name] = at_depth(depth, lambda call=call, count=count: latencies(call, count))
    return out


def _version() -> str:
    import qiskit_ibm_runtime  # type: ignore[import-not-found, unused-ignore]

    return str(qiskit_ibm_runtime.__version__)


def main(argv: list[str]) -> int:
    mode = argv[1]
    if mode == "inprocess":
        result = inprocess(argv[2], int(argv[3]), int(argv[4]))
    elif mode == "loopback":
        result = loopback(argv[2], int(argv[3]), int(argv[4]))
    else:
        print(f"unknown mode {mode!r}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
