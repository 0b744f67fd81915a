"""The fixed payloads the in-process benchmarks serve, made by the embedded fake.

A realistic job (a Sampler job with its parameters: one PUB whose circuit is 3 KB of
OpenQASM 3, the size of a small QPY circuit in base64) and a page of 200 jobs of mixed
programs, backends, tags, sessions and statuses. The circuits are OpenQASM text, as this
client sends them, never ``{"__type__": "QuantumCircuit"}``: qiskit-ibm-runtime's
``job_get`` decodes such a value as base64 of zlib-compressed QPY, so random bytes there
fail its every call (``zlib.error: Error -3 ... incorrect header check``), and a real QPY
circuit would time its QPY loader, which is not REST-layer work. Built once,
deterministically (a seed and a manual clock), through the fake's in-process transport.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeService, ManualClock

LIST_SIZE = 200
SEED = 5


@dataclass(frozen=True)
class Payloads:
    """Response bodies (JSON text) and what a client needs to ask for them."""

    job_id: str
    job: str  # GET /v1/jobs/{job_id}, parameters included
    jobs: str  # GET /v1/jobs?limit=200, parameters excluded
    token: str  # IAM's answer to the token request
    access_token: str
    crn: str
    api_version: str

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")


def qasm_circuit(rng: random.Random, size: int = 3000) -> str:
    """An OpenQASM 3 circuit of about ``size`` characters on two qubits, measured into ``meas``.

    Standard gates only, so any service (the fake included) accepts and can simulate it.
    """
    lines = ["OPENQASM 3.0;", 'include "stdgates.inc";', "bit[2] meas;"]
    length = sum(len(line) + 1 for line in lines)
    while length < size - 50:
        qubit = rng.randrange(2)
        line = rng.choice(
            [
                f"h ${qubit};",
                f"sx ${qubit};",
                f"x ${qubit};",
                f"rz({rng.uniform(-3, 3):.6f}) ${qubit};",
                f"cx ${qubit}, ${1 - qubit};",
            ]
        )
        lines.append(line)
        length += len(line) + 1
    lines += ["meas[0] = measure $0;", "meas[1] = measure $1;"]
    return "\n".join(lines) + "\n"


def sampler_params(rng: random.Random, circuit_bytes: int = 3000) -> dict[str, object]:
    """Shaped like what SamplerV2 submits: one PUB (circuit, no parameters, shots) and options."""
    return {
        "pubs": [[qasm_circuit(rng, circuit_bytes), None, 4096]],
        "options": {"default_shots": 4096, "dynamical_decoupling": {"enable": True}},
        "version": 2,
        "support_qiskit": True,
    }


def estimator_params(rng: random.Random, circuit_bytes: int = 3000) -> dict[str, object]:
    """Shaped like what EstimatorV2 submits: one PUB (circuit, observable) and a precision."""
    return {
        "pubs": [[qasm_circuit(rng, circuit_bytes), "ZZ", None, 0.01]],
        "version": 2,
        "support_qiskit": True,
    }


def seed_jobs(service: FakeService, clock: ManualClock) -> str:
    """Create 200 jobs on ``service`` (1.5 s apart on ``clock``); returns the first one's ID."""
    rng = random.Random(SEED)
    http = httpx.Client(transport=service.transport(), base_url=service.url, headers=service.headers())
    with http:
        session = http.post("/v1/sessions", json={"mode": "batch", "max_ttl": 28800}).json()["id"]
        backends = ["fake_heron", "fake_eagle", "fake_falcon"]
        first = ""
        for index in range(LIST_SIZE):
            body: dict[str, object] = {
                "program_id": ("sampler", "estimator")[index % 2],
                "backend": "fake_heron" if index % 4 == 0 else backends[index % 3],
                # Each program gets params of its own shape: the fake checks them per program.
                "params": sampler_params(rng) if index % 2 == 0 else estimator_params(rng),
                "tags": [f"experiment-{index // 20}", "benchmark"][: 1 + index % 2],
            }
            if index % 4 == 0:
                body["session_id"] = session
            created = http.post("/v1/jobs", json=body)
            created.raise_for_status()
            first = first or created.json()["id"]
            clock.advance(1.5)  # older jobs have finished, the newest are queued or running
    return first


def fake_service(clock: ManualClock) -> FakeService:
    """The fake the payloads come from: seeded, no submission limit, no history kept."""
    return FakeService(clock=clock, seed=SEED, rate_limit=None, history_limit=0)


def build() -> Payloads:
    """Create 200 jobs on a fresh fake and record what it answers."""
    clock = ManualClock()
    service = fake_service(clock)
    first = seed_jobs(service, clock)
    with httpx.Client(transport=service.transport(), base_url=service.url, headers=service.headers()) as http:
        job = http.get(f"/v1/jobs/{first}", params={"exclude_params": "false"})
        jobs = http.get("/v1/jobs", params={"limit": LIST_SIZE, "exclude_params": "true"})
    job.raise_for_status()
    jobs.raise_for_status()
    # The token must still be valid on the wall clock: qiskit-ibm-runtime checks its exp.
    issued = FakeService(clock=time.time, seed=SEED).iam.grant(DEFAULT_API_KEY)
    assert issued is not None
    return Payloads(
        job_id=first,
        job=job.text,
        jobs=jobs.text,
        token=json.dumps(issued),
        access_token=str(issued["access_token"]),
        crn=service.crn,
        api_version=service.live_version,
    )
