"""The fake refuses at submission what the service refuses and the fake can know without a
device, with the service's error shape (400, ErrorContainer, code invalid_params)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from iqp_wrapper.testing.fake import FakeService
from iqp_wrapper.testing.fake.catalog import FakeBackend

HEADER = 'OPENQASM 3.0; include "stdgates.inc"; '
SMALL = FakeBackend("fake_small", 3, max_shots=1000)


@pytest.fixture
def client() -> httpx.Client:
    service = FakeService(backends=[SMALL], rate_limit=None)
    return httpx.Client(transport=service.transport(), base_url=service.url, headers=service.headers())


def submit(client: httpx.Client, program: str, params: dict[str, Any]) -> httpx.Response:
    return client.post("/v1/jobs", json={"program_id": program, "backend": "fake_small", "params": params})


@pytest.mark.parametrize(
    ("pub", "words"),
    [
        ([HEADER + "qubit[1] q; bit[1] c; hadamard q[0]; c = measure q;"], "unknown gate 'hadamard'"),
        ([HEADER + "qubit[1] q; bit[1] c; h q[0]; d = measure q;"], "'d' is not a declared bit register"),
        ([HEADER + "qubit[1] q; bit[1] c; c[3] = measure q[0];"], r"c\[3\] is outside c"),
        ([HEADER + "qubit[4] q; bit[4] c; c = measure q;"], "uses 4 qubits but fake_small has 3"),
        ([HEADER + "qubit[1] q; bit[1] c; c = measure q;", None, 1001], "shots is 1001, more than the 1000"),
        (
            [HEADER + "input float theta; qubit[1] q; bit[1] c; rx(theta) q[0]; c = measure q;"],
            "no values for the circuit's parameters theta",
        ),
        (
            [HEADER + "input float a; qubit[1] q; bit[1] c; rx(a) q[0]; c = measure q;", [[1.0, 2.0]]],
            "one value per parameter",
        ),
    ],
)
def test_sampler_circuits_the_service_refuses(client: httpx.Client, pub: list[Any], words: str) -> None:
    answer = submit(client, "sampler", {"pubs": [pub], "version": 2})
    assert answer.status_code == 400
    error = answer.json()["errors"][0]
    assert error["code"] == "invalid_params"
    assert error["message"].startswith("Invalid params: pub 0: ")
    assert re.search(words, error["message"])


def test_default_shots_over_the_maximum_are_refused(client: httpx.Client) -> None:
    pub = [HEADER + "qubit[1] q; bit[1] c; c = measure q;"]
    answer = submit(client, "sampler", {"pubs": [pub], "options": {"default_shots": 5000}})
    assert answer.status_code == 400 and "default_shots is 5000" in answer.json()["errors"][0]["message"]


def test_estimator_circuits_are_checked_too(client: httpx.Client) -> None:
    answer = submit(client, "estimator", {"pubs": [[HEADER + "qubit[1] q; foo q[0];", "Z"]]})
    assert answer.status_code == 400 and "unknown gate 'foo'" in answer.json()["errors"][0]["message"]


def test_executor_shots_over_the_maximum_are_refused(client: httpx.Client) -> None:
    params = {"schema_version": "v2.0", "quantum_program": {"shots": 2000, "items": []}}
    answer = submit(client, "executor", params)
    assert (
        answer.status_code == 400 and "quantum_program.shots is 2000" in answer.json()["errors"][0]["message"]
    )


@pytest.mark.parametrize(
    "circuit",
    [
        HEADER + "qubit[1] q; bit[1] c; c[0] = measure q[0]; if (c[0]) { x q[0]; }",  # beyond the engine
        "not OpenQASM the fake can read",
        HEADER + "qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; c = measure q;",
    ],
)
def test_circuits_that_are_valid_or_unreadable_are_accepted(client: httpx.Client, circuit: str) -> None:
    assert submit(client, "sampler", {"pubs": [[circuit, None, 1000]]}).status_code == 200
