"""Executor and noise-learner results from the fake, checked without qiskit (tests/qiskit
has IBM's own models judge them): items, registers and shapes follow the submitted
program, outcomes follow its circuits, and what the service refuses is refused."""

from __future__ import annotations

import base64
import struct
import zlib
from collections import Counter
from typing import Any

import httpx
import pytest

from iqp_wrapper.testing.fake import FakeService, JobPlan, ManualClock
from iqp_wrapper.testing.fake.catalog import FakeBackend

BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; h q[0]; cx q[0], q[1]; meas = measure q;'
)
SWEEP = (
    'OPENQASM 3.0; include "stdgates.inc"; input float[64] theta; qubit[2] q; bit[1] a; bit[1] b; '
    "ry(theta) q[0]; x q[1]; a[0] = measure q[0]; b[0] = measure q[1];"
)


def f64(shape: list[int], values: list[float]) -> dict[str, Any]:
    raw = zlib.compress(struct.pack(f"<{len(values)}d", *values))
    return {"data": base64.b64encode(raw).decode(), "shape": shape, "dtype": "f64"}


def program(circuits: list[str], arguments: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    items = [
        {"item_type": "circuit", "circuit_arguments": a, "shape": [], "chunk_size": "auto"} for a in arguments
    ]
    body = {"shots": 200, "circuits": {"data": circuits}, "items": items, "meas_level": "classified"}
    return {"schema_version": "v2.0", "quantum_program": {**body, **extra}, "options": {}}


def bools(tensor: dict[str, Any]) -> list[list[int]]:
    """Rows of the last axis, as bit lists, from a compressed bool tensor."""
    raw = zlib.decompress(base64.b64decode(tensor["data"]))
    width = tensor["shape"][-1]
    count = 1
    for n in tensor["shape"]:
        count *= n
    bits = [(raw[i >> 3] >> (i & 7)) & 1 for i in range(count)]
    return [bits[i : i + width] for i in range(0, count, width)]


@pytest.fixture
def run() -> Any:
    clock = ManualClock()
    backend = FakeBackend("fake_small", 5, max_shots=1000)
    service = FakeService(clock=clock, backends=[backend], schedule=JobPlan(0, 1), rate_limit=None)
    client = httpx.Client(transport=service.transport(), base_url=service.url, headers=service.headers())

    def submit(params: dict[str, Any], program_id: str = "executor") -> httpx.Response:
        created = client.post(
            "/v1/jobs", json={"program_id": program_id, "backend": "fake_small", "params": params}
        )
        if created.status_code != 200:
            return created
        clock.advance(2)
        return client.get(f"/v1/jobs/{created.json()['id']}/results")

    return submit


def test_items_registers_and_shapes_follow_the_program(run: Any) -> None:
    params = program([BELL, SWEEP], [f64([0], []), f64([3, 1], [0.0, 3.141592653589793, 1.5707963267948966])])
    result = run(params).json()
    assert result["schema_version"] == "v2.0"
    bell, swept = result["data"]
    assert bell["results"]["meas"]["shape"] == [200, 2] and bell["results"]["meas"]["dtype"] == "bool"
    assert set(Counter(tuple(row) for row in bools(bell["results"]["meas"]))) == {(0, 0), (1, 1)}
    assert swept["results"]["a"]["shape"] == [3, 200, 1] and swept["results"]["b"]["shape"] == [3, 200, 1]
    a = bools(swept["results"]["a"])
    assert a[:200] == [[0]] * 200 and a[200:400] == [[1]] * 200  # ry(0), then ry(pi)
    assert {row[0] for row in a[400:]} == {0, 1}  # ry(pi/2)
    assert bools(swept["results"]["b"]) == [[1]] * 600
    parts = result["metadata"]["chunk_timing"][0]["parts"]
    assert parts == [
        {"idx_item": 0, "size": 1, "permutation": [], "element_range": [0, 1, 1]},
        {"idx_item": 1, "size": 3, "permutation": [0], "element_range": [0, 3, 1]},
    ]


def test_passthrough_data_and_semantic_role_are_echoed(run: Any) -> None:
    passthrough = {"post_processor": {"version": "v0.1", "shots": 200}, "list": [1, "two", None]}
    params = program([BELL], [f64([0], [])], passthrough_data=passthrough, semantic_role="sampler_v2")
    result = run(params).json()
    assert result["passthrough_data"] == passthrough and result["semantic_role"] == "sampler_v2"


@pytest.mark.parametrize(
    ("level", "keys"),
    [
        ("kerneled", {"meas_iq": ([200, 2], "c128")}),
        ("avg_kerneled", {"meas_avg_iq": ([2], "c128")}),
        ("both", {"meas": ([200, 2], "bool"), "meas_iq": ([200, 2], "c128")}),
    ],
)
def test_measurement_levels(run: Any, level: str, keys: dict[str, tuple[list[int], str]]) -> None:
    result = run(program([BELL], [f64([0], [])], meas_level=level)).json()
    found = {name: (t["shape"], t["dtype"]) for name, t in result["data"][0]["results"].items()}
    assert found == keys


@pytest.mark.parametrize(
    ("params", "words"),
    [
        (program([BELL.replace("h q[0]", "hadamard q[0]")], [f64([0], [])]), "unknown gate 'hadamard'"),
        (program([SWEEP], [f64([2], [0.1, 0.2])]), "has 2 value(s) but the circuit has 1 parameter(s)"),
        (
            {**program([BELL], [f64([0], [])]), "quantum_program": {"shots": 5000, "items": []}},
            "shots is 5000",
        ),
        (
            program(['OPENQASM 3.0; include "stdgates.inc"; qubit[6] q; h q;'], [f64([0], [])]),
            "uses 6 qubits but fake_small has 5",
        ),
    ],
)
def test_what_the_service_refuses_is_refused(run: Any, params: dict[str, Any], words: str) -> None:
    answer = run(params)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "invalid_params"
    assert words in answer.json()["errors"][0]["message"]


def test_a_noise_learner_job_never_gets_a_sampler_result(run: Any) -> None:
    result = run({"schema_version": "v0.3", "instructions": {"circuit_b64": "bm90IHFweQ=="}}, "noise-learner")
    assert result.json() == {"schema_version": "v0.3", "data": []}


def test_item_metadata_carries_what_the_options_ask_for(run: Any) -> None:
    plain = run(program([BELL], [f64([0], [])])).json()
    assert plain["data"][0]["metadata"] == {}  # nothing asked: the models' defaults (None)
    asked = {**program([BELL], [f64([0], [])]), "options": {"scheduler_timing": True, "stretch_values": True}}
    metadata = run(asked).json()["data"][0]["metadata"]
    assert set(metadata) == {"scheduler_timing", "stretch_values"}
    assert set(metadata["scheduler_timing"]) == {"timing", "circuit_duration"}
