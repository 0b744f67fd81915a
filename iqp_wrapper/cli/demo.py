"""``iqp demo``: the whole path, from API key to results, against a fake service on 127.0.0.1.

It starts the embedded fake over real HTTP, then does what an application does, through
``iqp_wrapper.connect()`` and the generated client: IAM exchange, list backends, submit
a Sampler job, wait for it with a progress display, print its results. No account, no
network; a few seconds.
"""

from __future__ import annotations

import argparse
from typing import Any

from iqp_api.api_version import API_VERSION
from iqp_api.models.backends_response_devices_item import BackendsResponseDevicesItem
from iqp_api.models.job_run_params import JobRunParams
from iqp_api.models.job_run_params_sampler import JobRunParamsSampler
from iqp_wrapper.auth import iam
from iqp_wrapper.client import connect
from iqp_wrapper.jobs import WaitProgress, job_results, result_data, status_of, wait_for_job
from iqp_wrapper.primitives import ResultFormatError, SamplerResult
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeService, JobPlan

from . import exits
from .output import seconds, table, text, to_json
from .progress import ProgressLine
from .world import World

BELL = """OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] meas;
h q[0];
cx q[0], q[1];
meas = measure q;
"""
SHOTS = 1024
# Short enough to finish in a couple of seconds, long enough to watch it move.
DEMO_PLAN = JobPlan(queued_seconds=0.6, running_seconds=1.2)
POLL, MAX_POLL = 0.2, 0.5
SEED = 2026  # the same job ID and counts every run, as the README shows them


def demo(args: argparse.Namespace, world: World) -> int:
    """Run the demo; with --json, print one summary object instead of the story."""
    quiet = bool(getattr(args, "json", False))
    say = (lambda _text="": None) if quiet else world.out
    started = world.clock()
    service = FakeService(clock=world.wall_clock, schedule=DEMO_PLAN, seed=SEED)
    with service.serve() as server:
        url, iam_url = server.url, server.iam_url
        say("iqp demo: the whole client path against a fake Qiskit Runtime service (no account, no network)")
        say(f"  fake service  {url}   IAM {iam_url}")
        say()
        # The backends table and the least-busy pick need the backend objects that API
        # versions from 2025-01-01 list (older ones list names only): pin the default.
        client = connect(
            DEFAULT_API_KEY,
            service_crn=service.crn,
            url=url,
            iam_url=iam_url,
            trust_env=False,
            api_version=API_VERSION,
        )
        with client:
            settings = client.settings
            assert settings is not None  # connect() always records them
            issued = iam.exchange(
                settings.api_key,
                iam_url=settings.iam_url,
                network=settings.network,
                timeout=settings.iam_timeout,
            )
            say(f"1. IAM       exchanged the API key for a bearer token, valid {seconds(issued.expires_in)}")

            devices = client.backends.list().devices
            say(f"2. backends  {len(devices)} available to the instance")
            say(_indent(_backends_table(devices), "     "))
            backend = _least_busy(devices)

            body = JobRunParams(
                program_id="sampler",
                backend=backend.name,
                # From the wire form: the version is 2 whether the document types it as a
                # number or (as IBM's REST guide writes it) as text.
                params=JobRunParamsSampler.from_dict(
                    {"pubs": [[BELL]], "options": {"default_shots": SHOTS}, "version": 2}
                ),
                tags=["iqp-demo"],
            )
            created = client.jobs.submit(body)
            say(
                f"3. submit    Sampler job {created.id} on {backend.name} (the least busy): "
                f"a Bell pair, {SHOTS} shots"
            )

            say("4. wait")
            line = ProgressLine(world, indent="     ")
            polls: list[WaitProgress] = []

            def progress(step: WaitProgress) -> None:
                polls.append(step)
                if not quiet:
                    line(step)

            job = wait_for_job(
                client,
                created.id,
                timeout=60,
                poll=POLL,
                max_poll=MAX_POLL,
                progress=progress,
                clock=world.clock,
                sleep=world.sleep,
            )
            data = result_data(job_results(client, created.id))
    counts = _counts(data)
    if quiet:
        world.out(
            to_json(
                {
                    "service": {"url": url, "iam_url": iam_url},
                    "iam": {"expires_in": issued.expires_in},
                    "backends": [device.name for device in devices],
                    "job": {
                        "id": created.id,
                        "backend": backend.name,
                        "status": status_of(job),
                        "polls": len(polls),
                        "waited_seconds": round(polls[-1].elapsed, 3) if polls else 0.0,
                    },
                    "results": {"counts": counts} if counts is not None else data,
                    "seconds": round(world.clock() - started, 3),
                }
            )
        )
        return exits.OK
    say(f"5. results   {_histogram(counts) if counts is not None else to_json(data)}")
    if counts is not None:
        say(f"             {_wire_form(data)}, decoded by iqp_wrapper.primitives.SamplerResult")
    say()
    say(
        f"Done in {seconds(world.clock() - started)}, "
        "through iqp_wrapper.connect() and the generated iqp_api."
    )
    say("Next: set IQP_API_TOKEN and IQP_SERVICE_CRN for your instance and run `iqp doctor`.")
    return exits.OK


def _backends_table(devices: list[BackendsResponseDevicesItem]) -> str:
    rows = [[d.name, text(d.status.name), text(d.qubits), str(d.queue_length)] for d in devices]
    return table(("NAME", "STATUS", "QUBITS", "QUEUE"), rows)


def _least_busy(devices: list[BackendsResponseDevicesItem]) -> BackendsResponseDevicesItem:
    online = [device for device in devices if text(device.status.name) == "online"] or devices
    return min(online, key=lambda device: device.queue_length)


def _counts(data: Any) -> dict[str, int] | None:
    """The first PUB's counts of register ``meas``, decoded by iqp_wrapper.primitives from
    whichever wire form the service sent; None if ``data`` is not a Sampler result."""
    try:
        return SamplerResult.from_json(data)[0].data["meas"].get_counts()
    except (ResultFormatError, IndexError, KeyError):
        return None


def _wire_form(data: Any) -> str:
    """One line showing the result as it came over the wire."""
    try:
        meas = data["results"][0]["data"]["meas"]
        first = ", ".join(repr(s) for s in meas["samples"][:4])
        return f"wire form: REST, meas = {{samples: [{first}, ...], num_bits: {meas['num_bits']}}}"
    except (KeyError, IndexError, TypeError):
        return "wire form: qiskit-encoded PrimitiveResult" if isinstance(data, dict) else "wire form: other"


def _histogram(counts: dict[str, int], width: int = 24) -> str:
    total = sum(counts.values()) or 1
    bars = []
    for outcome, count in sorted(counts.items()):
        bar = "#" * round(width * count / total)
        bars.append(f"{outcome}: {count:>5} {bar}")
    return "\n".join([bars[0], *(" " * 13 + bar for bar in bars[1:])]) if bars else "no counts"


def _indent(block: str, prefix: str) -> str:
    return "\n".join(prefix + row for row in block.splitlines())
