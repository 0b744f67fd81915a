"""The fake's Sampler and Estimator results are shaped by the job's PUBs, as the service's.

REST form for OpenQASM circuits (IBM's guide), qiskit's encoded form for the QPY circuits
qiskit-ibm-runtime sends (the bodies in tests/realworld/qiskit/requests are its own).
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from typing import Any

import pytest

from iqp_wrapper.testing.fake.npy import encoded_shape, float64_array, npy_bytes
from iqp_wrapper.testing.fake.primitive_results import DEFAULT_SHOTS, primitive_result
from iqp_wrapper.testing.fake.qasm_registers import declared_registers
from tests.realworld.corpus import load

TWO_REGISTERS = "OPENQASM 3.0;\ninput float[64] t;\nbit[1] alpha;\nbit[2] beta;\nalpha[0] = measure $0;\n"
QASM2 = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\ncreg c[3];\nmeasure q -> c;\n'
GHZ = QASM2.replace("measure", "h q[0];\ncx q[0],q[1];\ncx q[1],q[2];\nmeasure")


def test_registers_are_read_from_the_declarations() -> None:
    assert declared_registers(TWO_REGISTERS) == [("alpha", 1), ("beta", 2)]
    assert declared_registers(QASM2) == [("c", 3)]
    assert declared_registers("OPENQASM 3.0;\nbit flag;\noutput bit[4] out;\n") == [("flag", 1), ("out", 4)]


def test_sampler_shots_come_from_the_pub_then_the_options_then_the_service() -> None:
    params = {"pubs": [[QASM2, [], 500], [QASM2], [QASM2, None, None]], "options": {"default_shots": 1000}}
    results = primitive_result("sampler", params, "job-1")["results"]
    assert [len(r["data"]["c"]["samples"]) for r in results] == [500, 1000, 1000]
    bare = primitive_result("sampler", {"pubs": [QASM2]}, "job-1")["results"][0]
    assert len(bare["data"]["c"]["samples"]) == DEFAULT_SHOTS


def test_sampler_data_has_one_entry_per_declared_register_with_its_width() -> None:
    sweep = [[0.0], [1.0], [2.0]]  # three parameter sets of one parameter: shape (3,)
    result = primitive_result("sampler", {"pubs": [[TWO_REGISTERS, sweep, 10]]}, "job-2")
    data = result["results"][0]["data"]
    assert list(data) == ["alpha", "beta"]
    assert data["alpha"]["num_bits"] == 1 and data["beta"]["num_bits"] == 2
    assert len(data["beta"]["samples"]) == 3 and all(len(row) == 10 for row in data["beta"]["samples"])
    assert all(int(s, 16) < 4 for row in data["beta"]["samples"] for s in row)


def test_outcomes_are_seeded() -> None:
    params: dict[str, Any] = {"pubs": [[GHZ, [], 50]]}
    assert primitive_result("sampler", params, "a") == primitive_result("sampler", params, "a")
    assert primitive_result("sampler", params, "a") != primitive_result("sampler", params, "b")
    seeded = {**params, "options": {"simulator": {"seed_simulator": 7}}}
    assert primitive_result("sampler", seeded, "a") == primitive_result("sampler", seeded, "b")


def test_estimator_values_are_shaped_by_observables_and_parameters() -> None:
    circuit = "OPENQASM 3.0;\ninput float[64] t;\n"
    params = {
        "pubs": [
            [circuit, "ZZ", [0.3], 0.01],  # one parameter set: a single value
            [circuit, [["ZZ"], [{"XX": 0.5, "ZI": 1.0}]], [[[0.1], [0.2], [0.3]]]],
        ],
        "options": {"default_precision": 0.02},
    }
    first, second = primitive_result("estimator", params, "job-3")["results"]
    assert isinstance(first["data"]["evs"], float) and isinstance(first["data"]["stds"], float)
    assert first["metadata"]["target_precision"] == 0.01
    assert second["metadata"]["target_precision"] == 0.02
    evs = second["data"]["evs"]  # observables (2, 1) broadcast with parameters (1, 3): (2, 3)
    assert len(evs) == 2 and all(len(row) == 3 for row in evs)
    assert set(second["data"]) == {"evs", "stds", "ensemble_standard_error"}
    assert set(second["metadata"]) >= {"shots", "target_precision", "circuit_metadata", "resilience"}


def _npy(encoded: dict[str, Any]) -> bytes:
    return zlib.decompress(base64.b64decode(encoded["__value__"]))


def test_qiskit_encoded_jobs_get_qiskit_s_encoded_result() -> None:
    body = load("qiskit/requests/post_jobs_sampler_v2_job.json")
    result = primitive_result("sampler", body["params"], "job-4")
    assert result["__type__"] == "PrimitiveResult"
    bell, swept = result["__value__"]["pub_results"]
    assert bell["__type__"] == "SamplerPubResult"
    meas = bell["__value__"]["data"]["__value__"]["fields"]["meas"]
    assert meas["__type__"] == "BitArray" and meas["__value__"]["num_bits"] == 2
    assert encoded_shape(meas["__value__"]["array"]) == (1000, 1)  # shots, bytes per shot
    fields = swept["__value__"]["data"]["__value__"]
    assert fields["field_names"] == ["alpha", "beta"] and fields["shape"] == [3]  # from the QPY records
    assert encoded_shape(fields["fields"]["beta"]["__value__"]["array"]) == (3, 500, 1)


def test_qiskit_encoded_estimator_results_hold_float_arrays() -> None:
    body = load("qiskit/requests/post_jobs_estimator_v2_job.json")
    result = primitive_result("estimator", body["params"], "job-5")
    pub = result["__value__"]["pub_results"][0]
    assert pub["__type__"] == "PubResult"
    evs = pub["__value__"]["data"]["__value__"]["fields"]["evs"]
    # observables [[a], [b]] (2, 1) with parameter values of shape (1, 3, 1): (2, 3)
    assert encoded_shape(evs) == (2, 3)
    assert _npy(evs).startswith(b"\x93NUMPY\x01\x00")


def test_npy_files_follow_numpy_s_layout() -> None:
    raw = npy_bytes("<f8", (2,), b"\x00" * 16)
    header_length = int.from_bytes(raw[8:10], "little")
    assert (10 + header_length) % 64 == 0 and raw[10 + header_length - 1 : 10 + header_length] == b"\n"
    assert b"'shape': (2,)" in raw and encoded_shape(float64_array((), [0.5])) == ()


def test_rest_results_are_plain_json() -> None:
    result = primitive_result("sampler", {"pubs": [[QASM2, [], 3]]}, "job-6")
    assert json.loads(json.dumps(result)) == result


GUIDE = (
    'OPENQASM 3; include "stdgates.inc"; qreg q[2]; creg c[2]; x q[0]; cx q[0], q[1]; '
    "c[0] = measure q[0]; c[1] = measure q[1];"
)
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; h q[0]; cx q[0], q[1]; meas = measure q;'
)


def test_the_guide_circuit_answers_only_11() -> None:
    result = primitive_result("sampler", {"pubs": [[GUIDE, None, 100]]}, "job-7")
    assert set(result["results"][0]["data"]["c"]["samples"]) == {"0x3"}


def test_a_bell_pair_answers_00_and_11_in_roughly_equal_parts() -> None:
    samples = primitive_result("sampler", {"pubs": [[BELL, None, 1000]]}, "job-8")["results"][0]
    counts = {s: samples["data"]["meas"]["samples"].count(s) for s in ("0x0", "0x3")}
    assert sum(counts.values()) == 1000 and abs(counts["0x0"] - 500) < 60


def test_estimator_values_follow_the_circuit_and_the_parameters() -> None:
    rotation = 'OPENQASM 3.0; include "stdgates.inc"; input float[64] theta; qubit[1] q; ry(theta) q[0];'
    params = {"pubs": [[BELL, ["ZZ", "XX", "YY", "ZI"]], [rotation, ["Z", "X"], [[[0.0]], [[1.0]]]]]}
    bell, swept = primitive_result("estimator", params, "job-9")["results"]
    assert bell["data"]["evs"] == [1.0, 1.0, -1.0, 0.0]
    assert bell["data"]["stds"][0] == 0.0  # an ideal device: no spread around ±1
    evs = swept["data"]["evs"]  # observables (2,) with parameters (2, 1): (2, 2)
    assert evs[0] == [1.0, 0.0]
    assert evs[1] == [pytest.approx(0.540302305868), pytest.approx(0.841470984808)]


def test_encoded_estimator_results_carry_the_exact_values() -> None:
    body = load("qiskit/requests/post_jobs_estimator_v2_job.json")
    pub = primitive_result("estimator", body["params"], "job-10")["__value__"]["pub_results"][0]
    evs = pub["__value__"]["data"]["__value__"]["fields"]["evs"]
    raw = _npy(evs)
    values = struct.unpack("<6d", raw[-48:])
    assert all(-1.0 <= v <= 1.0 for v in values)
