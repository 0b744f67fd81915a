"""qiskit itself witnesses the fake's engine: circuits qiskit writes as QPY (every QPY
version the fake reads) are read by our QPY reader, and our statevector gives the
probabilities and Pauli expectation values qiskit's Statevector gives.

witness_engine.py runs in qiskit-ibm-runtime's virtual environment (IQP_QISKIT_PYTHON);
without it the test skips, unless IQP_REQUIRE_QISKIT=1 (CI), where that is a failure.
"""

from __future__ import annotations

import base64
import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper.testing.fake.sim import CircuitUnsupported, expectation, sample
from iqp_wrapper.testing.fake.sim.qpy_reader import read_qpy, read_qpy_registers
from iqp_wrapper.testing.fake.sim.statevector import probabilities
from iqp_wrapper.testing.fake.simulate import sampler_outcomes

from .test_conformance import _qiskit_python

WITNESS = Path(__file__).with_name("witness_engine.py")


@pytest.fixture(scope="module")
def witness() -> dict[str, Any]:
    done = subprocess.run(
        [_qiskit_python(), str(WITNESS)], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded: dict[str, Any] = json.loads(done.stdout)
    return loaded


def test_every_standard_gate_and_qpy_version_matches_qiskit(witness: dict[str, Any]) -> None:
    values = witness["values"]
    checked = 0
    for item in witness["circuits"]:
        for version, encoded in item["qpy"].items():
            (circuit,) = read_qpy(base64.b64decode(encoded))
            found = probabilities(circuit, values)
            assert found == pytest.approx(item["probabilities"], abs=1e-9), (item["name"], version)
            for pauli, value in item["expectations"].items():
                assert expectation(circuit, values, pauli) == pytest.approx(value, abs=1e-9), (
                    item["name"],
                    version,
                    pauli,
                )
            checked += 1
    assert checked >= 5 * 50  # five QPY versions of every standard gate and more


def test_classical_registers_and_bit_positions_come_from_the_qpy(witness: dict[str, Any]) -> None:
    for version, encoded in witness["registers"].items():
        (circuit,) = read_qpy(base64.b64decode(encoded))
        assert circuit.registers == [("alpha", 1), ("beta", 2)], version
        assert sample(circuit, {}, 3, random.Random(0)) == [{"alpha": 1, "beta": 0b10}] * 3, version


def test_circuits_beyond_the_engine_keep_their_registers(witness: dict[str, Any]) -> None:
    for version, encoded in witness["control_flow"].items():
        raw = base64.b64decode(encoded)
        with pytest.raises(CircuitUnsupported):
            read_qpy(raw)
        assert read_qpy_registers(raw) == [[("flag", 1), ("out", 2)]], version
        circuit = {"__type__": "QuantumCircuit", "__value__": encoded}
        found = sampler_outcomes(circuit, None, 4, random.Random(0))
        assert not found.simulated and found.registers == [("flag", 1), ("out", 2)], version
