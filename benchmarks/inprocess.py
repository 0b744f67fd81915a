"""Client cost per call in process: a MockTransport serves fixed bodies, the server costs nothing.

Compared for ``get_job`` (one job, parameters included) and ``list_jobs`` (200 jobs):
- floor: raw httpx, headers set by hand, ``json.loads`` of the body;
- generated: the generated client with a static bearer header (no IAM flow, no retries),
  to split what the generated code costs from what the wrapper adds;
- iqp: what ``connect()`` returns (IAM flow with a cached token, RetryTransport, fixed
  headers), through its namespace methods (``client.jobs.get``, ``client.jobs.list``: the
  one path every helper takes too), typed models out;
- qiskit-ibm-runtime's RuntimeClient (its own virtualenv, see qiskit_side.py), which
  uses requests, so against a requests floor as well; it returns dicts, not models.
"""

from __future__ import annotations

import asyncio
import gc
import json

import httpx

from benchmarks import parse_floor, qiskit_env
from benchmarks.mock import floor_headers, handler_for, iqp_client, loads, static_client
from benchmarks.payloads import LIST_SIZE, Payloads
from benchmarks.report import Row, ratio, verdict
from benchmarks.timing import Timing, compare, compare_async
from iqp_api.api.jobs import get_job, list_jobs
from iqp_api.models import JobResponseV3, JobsResponse
from iqp_wrapper import AsyncIQPClient, unwrap

SECTION = "in process"
# The query strings the generated operations send, sent by hand.
GET_QUERY: dict[str, str | int] = {"exclude_params": "false"}
LIST_QUERY: dict[str, str | int] = {"limit": LIST_SIZE, "offset": 0, "exclude_params": "true"}
GET_TARGET = 1.05  # wrapper and auth add at most 5% over the floor on get_job (issue 19)
PARSE_TARGET = 2.5  # typed parse of the 200-job list at most 2.5x json.loads (issue 19)
ASYNC_TARGET = 1.0  # an async get_job at or below the raw httpx async floor


def sync_timings(payloads: Payloads, *, number: int, repeat: int) -> dict[str, Timing]:
    handler = handler_for(payloads)
    client = iqp_client(payloads, handler)
    base = client.settings.base_url if client.settings else ""
    generated = static_client(payloads, handler, base)
    job_path, job_id = f"/v1/jobs/{payloads.job_id}", payloads.job_id
    floor = httpx.Client(
        base_url=base, headers=floor_headers(payloads), transport=httpx.MockTransport(handler)
    )
    get_query, list_query = GET_QUERY, LIST_QUERY
    with client, generated, floor:
        gets = compare(
            {
                "floor": lambda: loads(floor.get(job_path, params=get_query)),
                "generated": lambda: unwrap(get_job.sync_detailed(job_id, client=generated)),
                "iqp": lambda: client.jobs.get(job_id),
            },
            number=number,
            repeat=repeat,
        )
        lists = compare(
            {
                "floor": lambda: loads(floor.get("/v1/jobs", params=list_query)),
                "generated": lambda: unwrap(list_jobs.sync_detailed(client=generated)),
                "iqp": lambda: client.jobs.list(),
            },
            number=max(1, number // 10),
            repeat=repeat,
        )
        assert isinstance(unwrap(get_job.sync_detailed(job_id, client=client)), JobResponseV3)
        assert len(unwrap(list_jobs.sync_detailed(client=client)).jobs) == LIST_SIZE
    return {f"get_job {k}": v for k, v in gets.items()} | {f"list_jobs {k}": v for k, v in lists.items()}


async def _async_timings(payloads: Payloads, *, number: int, repeat: int) -> dict[str, Timing]:
    handler = handler_for(payloads)
    client = iqp_client(payloads, handler)
    base = client.settings.base_url if client.settings else ""
    job_path, job_id = f"/v1/jobs/{payloads.job_id}", payloads.job_id
    get_query, list_query = GET_QUERY, LIST_QUERY
    floor = httpx.AsyncClient(
        base_url=base, headers=floor_headers(payloads), transport=httpx.MockTransport(handler)
    )

    async def floor_get() -> object:
        return loads(await floor.get(job_path, params=get_query))

    jobs = AsyncIQPClient.like(client).jobs

    async def iqp_get() -> object:
        return await jobs.get(job_id)

    async def floor_list() -> object:
        return loads(await floor.get("/v1/jobs", params=list_query))

    async def iqp_list() -> object:
        return await jobs.list()

    async with client, floor:
        gets = await compare_async({"floor": floor_get, "iqp": iqp_get}, number=number, repeat=repeat)
        lists = await compare_async(
            {"floor": floor_list, "iqp": iqp_list}, number=max(1, number // 10), repeat=repeat
        )
    return {f"get_job {k}": v for k, v in gets.items()} | {f"list_jobs {k}": v for k, v in lists.items()}


def async_timings(payloads: Payloads, *, number: int, repeat: int) -> dict[str, Timing]:
    return asyncio.run(_async_timings(payloads, number=number, repeat=repeat))


def parse_timings(payloads: Payloads, *, number: int, repeat: int) -> dict[str, Timing]:
    body = payloads.jobs.encode()
    parse_floor.check(json.loads(body))

    def typed_collector_paused() -> object:
        # The same parse with the cyclic garbage collector held off for the call: what is
        # left over the typed row is the collector's work on the objects a parse creates.
        gc.disable()
        try:
            return JobsResponse.from_dict(json.loads(body))
        finally:
            gc.enable()

    headline = compare(
        {
            "json.loads": lambda: json.loads(body),
            "typed": lambda: JobsResponse.from_dict(json.loads(body)),
        },
        number=number,
        repeat=repeat,
    )
    # Apart from the headline pair, so its rounds (and the collector's timing in them) are
    # exactly what they were; compared with a json.loads of their own.
    explained = compare(
        {
            "json.loads beside": lambda: json.loads(body),
            "typed, collector paused": typed_collector_paused,
            "unchecked": lambda: parse_floor.unchecked_page(json.loads(body)),
        },
        number=number,
        repeat=repeat,
    )
    return headline | explained


def qiskit_rows(payloads: Payloads, floors: dict[str, Timing], *, number: int, repeat: int) -> list[Row]:
    """qiskit-ibm-runtime's RuntimeClient on the same bodies (requests, so its own floor too)."""
    found = qiskit_env.inprocess(payloads, number=number, repeat=repeat)
    section = "in process, qiskit-ibm-runtime"
    if isinstance(found, str):
        return [Row(section, "qiskit-ibm-runtime REST layer", found, verdict="n/a")]
    out = []
    for op in ("get_job", "list_jobs"):
        floor, theirs = found[op]["requests floor"], found[op]["qiskit"]
        httpx_floor = floors[op].best
        out.append(Row(section, f"{op}: requests floor (raw requests + json.loads)", _us(floor)))
        out.append(
            Row(
                section,
                f"{op}: qiskit-ibm-runtime {found['version']} RuntimeClient (dicts, not typed)",
                _us(theirs),
                f"{theirs['best'] / httpx_floor:.2f}x floor; "
                f"{theirs['best'] / floor['best']:.2f}x its requests floor",
            )
        )
    return out


def _us(timing: dict[str, float]) -> str:
    return f"{timing['best'] * 1e6:.1f} µs (median {timing['median'] * 1e6:.1f})"


def rows(payloads: Payloads, *, quick: bool) -> list[Row]:
    number, repeat = (200, 5) if quick else (2000, 15)
    sync = sync_timings(payloads, number=number, repeat=repeat)
    aio = async_timings(payloads, number=number, repeat=repeat)
    parse = parse_timings(payloads, number=max(1, number // 20), repeat=repeat)
    out: list[Row] = []
    for mode, found in (("sync", sync), ("async", aio)):
        for op in ("get_job", "list_jobs"):
            floor = found[f"{op} floor"]
            out.append(Row(SECTION, f"{op} {mode}: floor (raw httpx + json.loads)", floor.us()))
            if f"{op} generated" in found:
                gen = found[f"{op} generated"]
                out.append(
                    Row(
                        SECTION,
                        f"{op} {mode}: generated client, static token",
                        gen.us(),
                        ratio(gen.best, floor.best),
                    )
                )
            iqp = found[f"{op} iqp"]
            out.append(
                Row(
                    SECTION,
                    f"{op} {mode}: iqp (connect + IAM flow + retries, typed)",
                    iqp.us(),
                    f"{ratio(iqp.best, floor.best)} floor",
                )
            )
            if op == "get_job" and mode == "async":
                out.append(
                    Row(
                        SECTION,
                        f"{op} {mode}: iqp against the raw httpx async floor",
                        f"{ratio(iqp.best, floor.best)}",
                        f"{ratio(iqp.best, floor.best)} floor",
                        f"<= {ASYNC_TARGET:.1f}x the floor",
                        verdict(iqp.best <= ASYNC_TARGET * floor.best),
                    )
                )
            if op == "get_job" and f"{op} generated" in found:
                # The target is what the wrapper and auth add: the generated client's own
                # typed parse is measured by the row above it and by "parse only".
                added = iqp.best - found[f"{op} generated"].best
                out.append(
                    Row(
                        SECTION,
                        f"{op} {mode}: added by wrapper and auth (iqp minus generated client)",
                        f"{added * 1e6:+.1f} µs",
                        f"{added / floor.best:+.1%} of the floor",
                        f"<= {GET_TARGET - 1:.0%} of the floor",
                        verdict(added <= (GET_TARGET - 1) * floor.best),
                    )
                )
    floors = {op: sync[f"{op} floor"] for op in ("get_job", "list_jobs")}
    out += qiskit_rows(payloads, floors, number=number // 2, repeat=repeat)
    loads_time, typed = parse["json.loads"], parse["typed"]
    out.append(Row("parse only", f"{LIST_SIZE}-job list: json.loads", loads_time.us()))
    out.append(
        Row(
            "parse only",
            f"{LIST_SIZE}-job list: json.loads + JobsResponse.from_dict",
            typed.us(),
            f"{ratio(typed.best, loads_time.best)} json.loads",
            f"<= {PARSE_TARGET:.1f}x json.loads",
            verdict(typed.best <= PARSE_TARGET * loads_time.best),
        )
    )
    for name, label in (
        ("typed, collector paused", "the same, garbage collector paused during the call"),
        ("unchecked", "json.loads + the same models built with no checks (floor, parse_floor.py)"),
    ):
        found_time, own_loads = parse[name], parse["json.loads beside"]
        out.append(
            Row(
                "parse only",
                f"{LIST_SIZE}-job list: {label}",
                found_time.us(),
                f"{ratio(found_time.best, own_loads.best)} json.loads (timed beside it: {own_loads.us()})",
            )
        )
    return out
