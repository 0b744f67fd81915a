"""Async that scales: get_job throughput at concurrency 1, 8, 32 and 128, over 127.0.0.1.

    .venv/bin/python -m benchmarks.scaling [--quick] [--server nginx|asyncio]
    (or as the "scaling" section of benchmarks/run.py)

One fixed ~1 kB job answer, served by nginx (from the distribution's packages) when it is
installed, else by benchmarks/lean_server.py (asyncio, its own process); the table says
which. Compared, each at every concurrency:
- raw aiohttp, headers set by hand, ``json.loads`` of the body: the floor;
- raw httpx async, the same way (httpx's own async pool);
- iqp async with each async backend (``connect(async_backend=...)``): the IAM flow with a
  cached token, retries, headers, the generated operation, typed models out;
- iqp async over httpx-aiohttp's ``AiohttpTransport`` (``connect(transport=...)``), the
  maintained library that does what our aiohttp transport does: the row that keeps the
  choice between them visible (docs/async-scaling.md). Left out, saying so, when
  httpx-aiohttp (a dev dependency only) is not installed;
- iqp sync, the calls spread over a thread pool as wide as the concurrency.

Every (client, concurrency) is timed in several rounds, the rounds interleaved (a slow
spell on this shared machine hurts all alike); reported: the median round's requests per
second, p50 and p99 latency (medians over the rounds), and client CPU per request (this
process's CPU time, all threads, over the requests: the server runs elsewhere).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.payloads import sampler_params
from benchmarks.report import Row, machine, render, verdict
from benchmarks.timing import percentile
from iqp_api.api.jobs import get_job
from iqp_wrapper import IQPClient, connect, unwrap
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeService, ManualClock

ROOT = Path(__file__).resolve().parents[1]
SECTION = "scaling"
CONCURRENCY = (1, 8, 32, 128)
RAW_AIOHTTP, RAW_HTTPX = "raw aiohttp", "raw httpx async"
IQP_AIOHTTP, IQP_HTTPX, IQP_SYNC = "iqp async (aiohttp)", "iqp async (httpx)", "iqp sync, thread pool"
IQP_LIBRARY = "iqp async (httpx-aiohttp transport)"
CLIENTS = (RAW_AIOHTTP, RAW_HTTPX, IQP_AIOHTTP, IQP_LIBRARY, IQP_HTTPX, IQP_SYNC)
# The targets of issue 13.
OVER_HTTPX, NEAR_AIOHTTP, NO_FALL = 8.0, 0.5, 0.9


# -- what is served ----------------------------------------------------------------------


@dataclass(frozen=True)
class Bodies:
    job_id: str
    job: str  # GET /v1/jobs/{id}: a Sampler job with a small PUB, about 1 kB
    token: str  # IAM's answer
    access_token: str
    crn: str
    api_version: str


def bodies() -> Bodies:
    """A ~1 kB job as the fake answers it, and a token valid on the wall clock."""
    service = FakeService(clock=ManualClock(), seed=5, rate_limit=None, history_limit=0)
    body = {
        "program_id": "sampler",
        "backend": "fake_heron",
        "params": sampler_params(random.Random(5), circuit_bytes=400),
        "tags": ["scaling"],
    }
    with httpx.Client(transport=service.transport(), base_url=service.url, headers=service.headers()) as http:
        job_id = http.post("/v1/jobs", json=body).json()["id"]
        job = http.get(f"/v1/jobs/{job_id}", params={"exclude_params": "false"}).text
    issued = FakeService(clock=time.time, seed=5).iam.grant(DEFAULT_API_KEY)
    assert issued is not None
    return Bodies(
        job_id=job_id,
        job=job,
        token=json.dumps(issued),
        access_token=str(issued["access_token"]),
        crn=service.crn,
        api_version=service.live_version,
    )


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found is None and os.access("/usr/sbin/nginx", os.X_OK):
        found = "/usr/sbin/nginx"
    return found


@contextlib.contextmanager
def serving(payload: Bodies, server: str = "auto") -> Iterator[tuple[str, str]]:
    """Serve ``payload`` on 127.0.0.1; yields (what serves it, base URL)."""
    nginx = nginx_binary() if server in ("auto", "nginx") else None
    if server == "nginx" and nginx is None:
        raise SystemExit("nginx is not installed (apt-get install nginx-light)")
    with tempfile.TemporaryDirectory() as scratch:
        if nginx is not None:
            with _nginx(nginx, payload, Path(scratch)) as served:
                yield served
        else:
            with _lean(payload, Path(scratch)) as served:
                yield served


@contextlib.contextmanager
def _nginx(binary: str, payload: Bodies, scratch: Path) -> Iterator[tuple[str, str]]:
    version = subprocess.run([binary, "-v"], capture_output=True, text=True).stderr.strip()
    version = version.split("/")[-1] if "/" in version else version
    port = _free_port()  # nginx cannot listen on port 0: take a free one, then start at once
    (scratch / "nginx.conf").write_text(_nginx_conf(payload, scratch, port), encoding="utf-8")
    process = subprocess.Popen(
        [binary, "-p", str(scratch), "-e", str(scratch / "error.log"), "-c", str(scratch / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, process)
        yield f"nginx {version}", f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _nginx_conf(payload: Bodies, scratch: Path, port: int) -> str:
    def literal(text: str) -> str:
        if "$" in text:
            raise ValueError("nginx would read a '$' in the body as a variable")
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    temp = "\n".join(
        f"  {kind}_temp_path {scratch / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
daemon off;
worker_processes 1;
pid {scratch / "nginx.pid"};
error_log {scratch / "error.log"} warn;
events {{ worker_connections 2048; }}
http {{
  access_log off;
{temp}
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  default_type application/json;
  server {{
    listen 127.0.0.1:{port} backlog=1024;
    location = /identity/token {{ return 200 {literal(payload.token)}; }}
    location / {{ return 200 {literal(payload.job)}; }}
  }}
}}
"""


@contextlib.contextmanager
def _lean(payload: Bodies, scratch: Path) -> Iterator[tuple[str, str]]:
    path = scratch / "bodies.json"
    path.write_text(json.dumps({"token": payload.token, "job": payload.job}), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.lean_server", str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        url = json.loads(process.stdout.readline())["url"]
        why = "" if nginx_binary() else " (nginx not installed)"
        yield f"asyncio server{why}", url
    finally:
        process.stdin.close()
        process.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {process.stderr.read() if process.stderr else b''!r}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError("nginx did not start listening")


# -- timing ------------------------------------------------------------------------------


@dataclass
class Cell:
    """One client at one concurrency, over the rounds."""

    rps: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # seconds of client CPU per request
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)

    def add(self, latencies: list[float], wall: float, cpu: float) -> None:
        latencies.sort()
        self.rps.append(len(latencies) / wall)
        self.cpu.append(cpu / len(latencies))
        self.p50.append(percentile(latencies, 0.5))
        self.p99.append(percentile(latencies, 0.99))

    @property
    def throughput(self) -> float:
        return statistics.median(self.rps)

    def describe(self) -> str:
        return (
            f"{self.throughput:,.0f} req/s; p50 {statistics.median(self.p50) * 1e3:.2f} ms,"
            f" p99 {statistics.median(self.p99) * 1e3:.2f} ms;"
            f" CPU {statistics.median(self.cpu) * 1e3:.3f} ms/req"
        )


async def _async_round(
    call: Callable[[], Awaitable[object]], requests: int, concurrency: int, cell: Cell
) -> None:
    latencies: list[float] = []
    left = iter(range(requests))

    async def worker() -> None:
        for _ in left:
            begun = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - begun)

    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    cell.add(latencies, time.perf_counter() - started, time.process_time() - cpu)


def _sync_round(
    call: Callable[[], object], requests: int, concurrency: int, pool: ThreadPoolExecutor, cell: Cell
) -> None:
    latencies: list[float] = []
    counter = itertools.count()  # next() on it is atomic under the GIL
    lock = threading.Lock()

    def worker() -> None:
        mine = []
        while next(counter) < requests:
            begun = time.perf_counter()
            call()
            mine.append(time.perf_counter() - begun)
        with lock:
            latencies.extend(mine)

    cpu, started = time.process_time(), time.perf_counter()
    for future in [pool.submit(worker) for _ in range(concurrency)]:
        future.result()
    cell.add(latencies, time.perf_counter() - started, time.process_time() - cpu)


def _iqp(
    payload: Bodies, url: str, backend: str, transport: httpx.AsyncBaseTransport | None = None
) -> IQPClient:
    return connect(
        DEFAULT_API_KEY,
        service_crn=payload.crn,
        url=url + "/api",
        iam_url=url,
        api_version=payload.api_version,
        trust_env=False,
        async_backend=backend,  # type: ignore[arg-type]
        transport=transport,
    )


def library_transport() -> httpx.AsyncBaseTransport | str:
    """httpx-aiohttp's transport as its documentation shows it, or why there is none."""
    try:
        import httpx_aiohttp
    except ImportError:
        return "httpx-aiohttp is not installed (pip install 'httpx-aiohttp==0.2.0')"
    return httpx_aiohttp.AiohttpTransport()


def library_version() -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version("httpx-aiohttp")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


async def measure(
    payload: Bodies, url: str, *, requests: int, rounds: int, left_out: frozenset[str] = frozenset()
) -> dict[tuple[str, int], Cell]:
    """Every client at every concurrency, ``rounds`` interleaved rounds of ``requests`` calls."""
    import aiohttp  # a dev dependency, and the aiohttp extra

    job_url = f"{url}/api/v1/jobs/{payload.job_id}"
    query = {"exclude_params": "false"}
    headers = {
        "Authorization": f"Bearer {payload.access_token}",
        "Service-CRN": payload.crn,
        "IBM-API-Version": payload.api_version,
    }
    library = library_transport()
    clients = [
        name
        for name in CLIENTS
        if name not in left_out and (name != IQP_LIBRARY or not isinstance(library, str))
    ]
    cells = {(name, width): Cell() for name in clients for width in CONCURRENCY}
    pool = ThreadPoolExecutor(max_workers=max(CONCURRENCY))
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        httpx.AsyncClient(headers=headers) as raw_httpx,
        _iqp(payload, url, "aiohttp") as iqp_aiohttp,
        _iqp(payload, url, "httpx") as iqp_httpx,
        contextlib.AsyncExitStack() as stack,
    ):
        iqp_library = None
        if not isinstance(library, str):
            iqp_library = await stack.enter_async_context(_iqp(payload, url, "httpx", transport=library))
        sync_client = _iqp(payload, url, "httpx")

        async def raw_aiohttp_get() -> object:
            async with session.get(job_url, params=query) as response:
                return json.loads(await response.read())

        async def raw_httpx_get() -> object:
            return json.loads((await raw_httpx.get(job_url, params=query)).content)

        calls: dict[str, Callable[[], Awaitable[object]]] = {
            RAW_AIOHTTP: raw_aiohttp_get,
            RAW_HTTPX: raw_httpx_get,
            IQP_AIOHTTP: lambda: _get(iqp_aiohttp, payload.job_id),
            IQP_HTTPX: lambda: _get(iqp_httpx, payload.job_id),
        }
        if iqp_library is not None:
            calls[IQP_LIBRARY] = lambda: _get(iqp_library, payload.job_id)

        def sync_get() -> object:
            return unwrap(get_job.sync_detailed(payload.job_id, client=sync_client))

        with sync_client:
            for number in range(rounds + 1):  # round 0 warms up: connections, token, caches
                for width in CONCURRENCY:
                    count = width * 2 if number == 0 else requests
                    for name in clients:
                        cell = cells[(name, width)] if number else Cell()
                        if name == IQP_SYNC:
                            _sync_round(sync_get, count, width, pool, cell)
                        else:
                            await _async_round(calls[name], count, width, cell)
    pool.shutdown()
    return cells


async def _get(client: IQPClient, job_id: str) -> object:
    return unwrap(await get_job.asyncio_detailed(job_id, client=client))


# -- the table ---------------------------------------------------------------------------


def table(cells: dict[tuple[str, int], Cell], served_by: str, job_bytes: int, load: str) -> list[Row]:
    section = f"{SECTION}, {served_by}"
    rows = [Row(section, f"get_job ({job_bytes} B answer): machine load", load)]
    if (IQP_LIBRARY, CONCURRENCY[0]) not in cells:
        rows.append(Row(section, IQP_LIBRARY, f"not measured: {library_transport()}"))
    for name in [name for name in CLIENTS if (name, CONCURRENCY[0]) in cells]:
        for width in CONCURRENCY:
            cell, raw = cells[(name, width)], cells[(RAW_AIOHTTP, width)]
            compared = "" if name == RAW_AIOHTTP else f"{cell.throughput / raw.throughput:.2f}x raw aiohttp"
            rows.append(Row(section, f"{name}, concurrency {width}", cell.describe(), compared))
    iqp = {width: cells[(IQP_AIOHTTP, width)] for width in CONCURRENCY}
    for width in (32, 128):
        ours, httpx_raw = iqp[width].throughput, cells[(RAW_HTTPX, width)].throughput
        floor = cells[(RAW_AIOHTTP, width)].throughput
        rows.append(
            Row(
                section,
                f"iqp async (aiohttp) at {width} vs raw httpx async at {width}",
                f"{ours / httpx_raw:.1f}x",
                f"{ours:,.0f} vs {httpx_raw:,.0f} req/s",
                f">= {OVER_HTTPX:.0f}x",
                verdict(ours >= OVER_HTTPX * httpx_raw),
            )
        )
        rows.append(
            Row(
                section,
                f"iqp async (aiohttp) at {width} vs raw aiohttp at {width}",
                f"{ours / floor:.2f}x",
                f"{ours:,.0f} vs {floor:,.0f} req/s",
                f">= {NEAR_AIOHTTP}x (within 2x)",
                verdict(ours >= NEAR_AIOHTTP * floor),
            )
        )
    for width in (32, 128):
        # Requests per second of client CPU: what the client would do with a core to
        # itself. On a shared machine it moves less than wall-clock throughput does.
        ours = statistics.median(iqp[width].cpu)
        theirs = statistics.median(cells[(RAW_HTTPX, width)].cpu)
        floor = statistics.median(cells[(RAW_AIOHTTP, width)].cpu)
        rows.append(
            Row(
                section,
                f"at {width}: client CPU per request, iqp async (aiohttp) vs raw httpx async, raw aiohttp",
                f"{ours * 1e3:.3f} ms vs {theirs * 1e3:.3f} ms, {floor * 1e3:.3f} ms",
                f"{theirs / ours:.1f}x less than raw httpx; {ours / floor:.1f}x raw aiohttp's",
            )
        )
    if (IQP_LIBRARY, CONCURRENCY[0]) in cells:
        for width in CONCURRENCY:
            own, library = iqp[width], cells[(IQP_LIBRARY, width)]
            rows.append(
                Row(
                    section,
                    f"at {width}: iqp async, our aiohttp transport vs httpx-aiohttp {library_version()}",
                    f"{own.throughput:,.0f} vs {library.throughput:,.0f} req/s",
                    f"{own.throughput / library.throughput:.2f}x; CPU {statistics.median(own.cpu) * 1e3:.3f}"
                    f" vs {statistics.median(library.cpu) * 1e3:.3f} ms/req",
                )
            )
    steps = [iqp[b].throughput / iqp[a].throughput for a, b in itertools.pairwise(CONCURRENCY)]
    rows.append(
        Row(
            section,
            "iqp async (aiohttp): each concurrency step vs the one before",
            ", ".join(f"{step:.2f}x" for step in steps),
            "1 -> 8 -> 32 -> 128",
            f">= {NO_FALL}x each",
            verdict(min(steps) >= NO_FALL),
        )
    )
    ours, today = statistics.median(iqp[1].p50), statistics.median(cells[(IQP_HTTPX, 1)].p50)
    rows.append(
        Row(
            section,
            "iqp async (aiohttp) at 1 vs iqp async (httpx) at 1: p50 latency",
            f"{ours * 1e3:.3f} ms vs {today * 1e3:.3f} ms",
            f"{ours / today:.2f}x",
            "no worse (<= 1.00x)",
            verdict(ours <= today),
        )
    )
    return rows


class _Answer(httpx.AsyncBaseTransport):
    """Answers every request at once from memory: no network, no pool."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "application/json"}, content=self._body)


async def httpx_client_alone(payload: Bodies, requests: int) -> float:
    """Client CPU per request of raw httpx.AsyncClient over a transport that does nothing:
    what any client built on httpx's client pays before a byte is sent."""
    headers = {"Authorization": f"Bearer {payload.access_token}", "Service-CRN": payload.crn}
    job_url = f"http://127.0.0.1/api/v1/jobs/{payload.job_id}"
    async with httpx.AsyncClient(transport=_Answer(payload.job.encode()), headers=headers) as http:

        async def call() -> object:
            return json.loads((await http.get(job_url, params={"exclude_params": "false"})).content)

        cell = Cell()
        await _async_round(call, requests // 10, 1, Cell())
        for _ in range(3):
            await _async_round(call, requests, 1, cell)
    return min(cell.cpu)


def rows(
    *, quick: bool, server: str = "auto", sizes: tuple[int, int] | None = None, sync: bool = True
) -> list[Row]:
    """The section's rows; ``sizes`` (calls per round, rounds) overrides --quick's or the
    full run's, and ``sync=False`` leaves out the thread-pool client (the slowest to run)."""
    payload = bodies()
    requests, rounds = sizes or ((400, 1) if quick else (2000, 5))
    load_before = _load()
    with serving(payload, server) as (served_by, url):
        left_out = frozenset() if sync else frozenset({IQP_SYNC})
        cells = asyncio.run(measure(payload, url, requests=requests, rounds=rounds, left_out=left_out))
    alone = asyncio.run(httpx_client_alone(payload, requests))
    load = f"1-min load average {load_before} before, {_load()} after ({os.cpu_count()} CPUs)"
    out = table(cells, served_by, len(payload.job.encode()), load)
    floor = statistics.median(cells[(RAW_AIOHTTP, 32)].cpu)
    out.append(
        Row(
            f"{SECTION}, {served_by}",
            "raw httpx.AsyncClient over a transport that answers from memory (no network), c1:"
            " client CPU per request (best of 3 rounds)",
            f"{alone * 1e3:.3f} ms",
            f"{alone / floor:.1f}x raw aiohttp's whole request at 32",
        )
    )
    return out


# Where an iqp async get_job spends its CPU, layer by layer: (label, file suffix, function).
LAYERS = (
    ("the whole call (generated operation + unwrap)", "iqp_api/api/jobs/get_job.py", "asyncio_detailed"),
    ("  httpx client: build the request", "iqp_wrapper/transport/_lean_client.py", "build_request"),
    ("  httpx client: send (auth flow, hooks, response)", "httpx/_client.py", "send"),
    ("    IAM auth flow (cached token)", "iqp_wrapper/auth/flow.py", "async_auth_flow"),
    ("    retry layer and what it wraps", "iqp_wrapper/transport/retry.py", "handle_async_request"),
    (
        "      aiohttp transport (glue + aiohttp)",
        "iqp_wrapper/transport/aiohttp_transport.py",
        "handle_async_request",
    ),
    ("        aiohttp ClientSession._request", "aiohttp/client.py", "_request"),
    ("    httpx reads the body", "httpx/_models.py", "aread"),
    ("  typed parse (JSON + models)", "iqp_api/api/jobs/get_job.py", "_parse_response"),
)


def profile(*, server: str = "auto", concurrency: int = 32, requests: int = 3000) -> str:
    """cProfile of iqp async (aiohttp) get_job: cumulative CPU per layer, per request."""
    import cProfile
    import pstats

    payload = bodies()

    async def run(url: str) -> pstats.Stats:
        async with _iqp(payload, url, "aiohttp") as client:

            async def call() -> object:
                return await _get(client, payload.job_id)

            await _async_round(call, concurrency * 4, concurrency, Cell())
            profiler = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
            profiler.enable()
            await _async_round(call, requests, concurrency, Cell())
            profiler.disable()
            return pstats.Stats(profiler)

    with serving(payload, server) as (served_by, url):
        stats = asyncio.run(run(url))
    table: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    table = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values())  # all CPU seen, in the profiler's terms
    lines = [
        f"iqp async (aiohttp) get_job, concurrency {concurrency}, {requests} calls, {served_by};",
        f"cProfile, CPU time (it inflates all alike): {total / requests * 1e6:.0f} us per call in all",
    ]
    for label, suffix, name in LAYERS:
        cumulative = sum(
            entry[3]
            for (path, _, function), entry in table.items()
            if path.endswith(suffix) and function == name
        )
        lines.append(f"{label:<58} {cumulative / requests * 1e6:7.0f} us  {cumulative / total:5.0%}")
    return "\n".join(lines)


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="one short round (numbers not for quoting)")
    parser.add_argument("--server", choices=("auto", "nginx", "asyncio"), default="auto")
    parser.add_argument("--profile", action="store_true", help="where iqp async's CPU goes, by layer")
    parser.add_argument("--calls", type=int, help="calls per client, concurrency and round")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (after one to warm up)")
    parser.add_argument("--no-sync", action="store_true", help="leave out the sync thread-pool client")
    args = parser.parse_args(argv)
    if args.profile:
        print(profile(server=args.server))
        return 0
    started = time.perf_counter()
    sizes = (args.calls or 2000, args.rounds or 5) if args.calls or args.rounds else None
    table_rows = rows(quick=args.quick, server=args.server, sizes=sizes, sync=not args.no_sync)
    print(f"{machine()}; took {time.perf_counter() - started:.0f} s\n")
    print(render(table_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
