"""Over real HTTP on 127.0.0.1 against the fake (its own process): throughput and latency.

- get_job at concurrency 1 (sync and async) and 32 (async tasks): requests per second,
  p50 and p99 latency, for iqp and for the floor (raw httpx, headers set by hand);
- iqp against qiskit-ibm-runtime's REST layer, one call at a time, per get_job and per
  200-job list (qiskit's side runs in its own virtualenv, see qiskit_side.py).
Each against two servers, each in its own process: the fake (stdlib, a thread per
connection, real work per request: at concurrency 32 it, not the client, is the
bottleneck, as the floor's figure shows), and fixed_server (fixed bodies from memory), so
that what the clients cost is not hidden behind what the fake costs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.inprocess import GET_QUERY, LIST_QUERY
from benchmarks.payloads import LIST_SIZE, Payloads
from benchmarks.qiskit_env import qiskit_python
from benchmarks.report import Row, verdict
from benchmarks.timing import percentile
from iqp_api.api.jobs import get_job, list_jobs
from iqp_wrapper import IQPClient, connect, unwrap

ROOT = Path(__file__).resolve().parents[1]
SECTION = "loopback"
GET_TARGET, LIST_TARGET = 10.0, 3.0  # times faster than qiskit-ibm-runtime
# qiskit-ibm-runtime walks the whole call stack (inspect.stack()) on every request; a
# pytest test body runs 33 frames deep, a script's top level 1.
PYTEST_DEPTH = 33


@dataclass(frozen=True)
class Run:
    """Latencies (sorted, seconds) of ``len(latencies)`` calls that took ``wall`` seconds."""

    latencies: list[float]
    wall: float

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall

    def p(self, fraction: float) -> float:
        return percentile(self.latencies, fraction)

    def describe(self) -> str:
        return f"{self.rps:,.0f} req/s; p50 {self.p(0.5) * 1e3:.2f} ms, p99 {self.p(0.99) * 1e3:.2f} ms"


@contextlib.contextmanager
def server_process(module: str, *args: str) -> Iterator[dict[str, str]]:
    """Start ``module`` (fake_server or fixed_server) in its own process; yields what it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        info: dict[str, str] = json.loads(process.stdout.readline())
        yield info
    finally:
        process.stdin.close()
        process.wait(timeout=30)


def sync_run(call: Callable[[], object], count: int) -> Run:
    for _ in range(5):
        call()
    latencies = []
    started = time.perf_counter()
    for _ in range(count):
        begun = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - begun)
    return Run(sorted(latencies), time.perf_counter() - started)


async def async_run(call: Callable[[], Awaitable[object]], count: int, concurrency: int) -> Run:
    await asyncio.gather(*(call() for _ in range(concurrency)))  # open the connections
    latencies: list[float] = []

    async def worker(calls: int) -> None:
        for _ in range(calls):
            begun = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - begun)

    started = time.perf_counter()
    await asyncio.gather(*(worker(count // concurrency) for _ in range(concurrency)))
    return Run(sorted(latencies), time.perf_counter() - started)


def iqp_client(server: dict[str, str]) -> IQPClient:
    return connect(
        server["api_key"],
        service_crn=server["crn"],
        url=server["url"],
        iam_url=server["iam_url"],
        trust_env=False,
    )


def floor_headers(server: dict[str, str]) -> dict[str, str]:
    """Hand-set headers, with a token fetched once from the fake's IAM."""
    token = httpx.post(
        server["iam_url"] + "/identity/token",
        data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": server["api_key"]},
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}", "Service-CRN": server["crn"], "IBM-API-Version": "2026-04-15"}


def measure_iqp(server: dict[str, str], calls: int) -> dict[str, Run]:
    job_id, headers = server["job_id"], floor_headers(server)
    get_query, list_query = GET_QUERY, LIST_QUERY
    runs: dict[str, Run] = {}
    with iqp_client(server) as client, httpx.Client(base_url=server["url"], headers=headers) as floor:
        runs["get floor sync c1"] = sync_run(
            lambda: json.loads(floor.get(f"/v1/jobs/{job_id}", params=get_query).content), calls
        )
        runs["get iqp sync c1"] = sync_run(
            lambda: unwrap(get_job.sync_detailed(job_id, client=client)), calls
        )
        list_calls = max(20, calls // 5)
        runs["list floor sync c1"] = sync_run(
            lambda: json.loads(floor.get("/v1/jobs", params=list_query).content), list_calls
        )
        runs["list iqp sync c1"] = sync_run(
            lambda: unwrap(list_jobs.sync_detailed(client=client)), list_calls
        )
    runs.update(asyncio.run(_measure_async(server, headers, calls)))
    return runs


async def _measure_async(server: dict[str, str], headers: dict[str, str], calls: int) -> dict[str, Run]:
    job_id, runs = server["job_id"], {}
    async with (
        iqp_client(server) as client,
        httpx.AsyncClient(base_url=server["url"], headers=headers) as floor,
    ):

        async def floor_get() -> object:
            response = await floor.get(f"/v1/jobs/{job_id}", params={"exclude_params": "false"})
            return json.loads(response.content)

        async def iqp_get() -> object:
            return unwrap(await get_job.asyncio_detailed(job_id, client=client))

        for concurrency in (1, 32):
            runs[f"get floor async c{concurrency}"] = await async_run(floor_get, calls, concurrency)
            runs[f"get iqp async c{concurrency}"] = await async_run(iqp_get, calls, concurrency)
    return runs


def measure_qiskit(server: dict[str, str], calls: int, depth: int) -> dict[str, Any] | str:
    """qiskit-ibm-runtime's latencies over loopback, called ``depth`` frames deep, or why
    there are none."""
    python = qiskit_python()
    if isinstance(python, str):
        return python
    with tempfile.TemporaryDirectory() as scratch:
        info = Path(scratch) / "server.json"
        info.write_text(json.dumps(server), encoding="utf-8")
        done = subprocess.run(
            [
                str(python),
                str(ROOT / "benchmarks" / "qiskit_side.py"),
                "loopback",
                str(info),
                str(calls),
                str(depth),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    if done.returncode != 0:
        return f"qiskit-ibm-runtime run failed: {done.stderr.strip().splitlines()[-1:]}"
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _rows(label: str, server: dict[str, str], *, calls: int, depths: tuple[int, ...]) -> list[Row]:
    runs = measure_iqp(server, calls)
    section = f"{SECTION}, {label}"
    out = [
        Row(section, f"get_job {name.removeprefix('get ')}", run.describe())
        for name, run in runs.items()
        if name.startswith("get ")
    ]
    for name in ("list floor sync c1", "list iqp sync c1"):
        out.append(
            Row(section, f"list_jobs ({LIST_SIZE}) {name.removeprefix('list ')}", runs[name].describe())
        )
    for depth in depths:
        qiskit = measure_qiskit(server, max(50, calls // 10), depth)
        if isinstance(qiskit, str):
            out.append(Row(section, "qiskit-ibm-runtime", qiskit, target="10x / 3x faster", verdict="n/a"))
            return out
        where = "from a script's top level" if depth <= 1 else f"called {depth} frames deep"
        for op, key, target in (("get_job", "get", GET_TARGET), ("list_jobs", "list", LIST_TARGET)):
            theirs = percentile(qiskit[op], 0.5)
            ours = runs[f"{key} iqp sync c1"].p(0.5)
            out.append(
                Row(
                    section,
                    f"{op} sync c1: qiskit-ibm-runtime {qiskit['version']} REST layer, {where}",
                    f"p50 {theirs * 1e3:.2f} ms, p99 {percentile(qiskit[op], 0.99) * 1e3:.2f} ms",
                    f"iqp {theirs / ours:.1f}x faster (p50)",
                    f">= {target:.0f}x faster",
                    verdict(theirs >= target * ours),
                )
            )
    return out


def rows(payloads: Payloads, *, quick: bool) -> list[Row]:
    calls = 320 if quick else 3200
    with server_process("benchmarks.fake_server") as server:
        out = _rows("the fake", server, calls=calls, depths=(1,))
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "payloads.json"
        payloads.save(path)
        with server_process("benchmarks.fixed_server", str(path)) as server:
            out += _rows("fixed-body server", server, calls=calls, depths=(1, PYTEST_DEPTH))
    return out
