"""The fake's statevector engine: circuits read from OpenQASM text give the outcomes and
expectation values quantum mechanics does (deterministic circuits exactly, Bell pairs
within a bound for a fixed seed)."""

from __future__ import annotations

import cmath
import math
import random
from collections import Counter

import pytest

from iqp_wrapper.testing.fake.sim import CircuitRefused, CircuitUnsupported, expectation, sample
from iqp_wrapper.testing.fake.sim.gates import GATES
from iqp_wrapper.testing.fake.sim.qasm_reader import read_qasm

GUIDE = (
    'OPENQASM 3; include "stdgates.inc"; qreg q[2]; creg c[2]; x q[0]; cx q[0], q[1]; '
    "c[0] = measure q[0]; c[1] = measure q[1];"
)
BELL3 = 'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; c = measure q;'
BELL2 = 'OPENQASM 2.0; include "qelib1.inc"; qreg q[2]; creg c[2]; h q[0]; cx q[0],q[1]; measure q -> c;'


def counts(source: str, shots: int = 1000, seed: int = 7, **values: float) -> Counter[int]:
    circuit = read_qasm(source)
    name = circuit.registers[0][0]
    return Counter(shot[name] for shot in sample(circuit, values, shots, random.Random(seed)))


def test_the_guide_circuit_gives_only_11() -> None:
    assert counts(GUIDE) == {0b11: 1000}


@pytest.mark.parametrize("source", [BELL3, BELL2])
def test_a_bell_pair_gives_00_and_11_in_roughly_equal_parts(source: str) -> None:
    found = counts(source, shots=1000, seed=7)
    assert set(found) == {0b00, 0b11}
    assert abs(found[0] - 500) < 60  # about 4 standard deviations for a fixed seed


def test_sampling_is_reproducible_for_a_seed_and_differs_between_seeds() -> None:
    circuit = read_qasm(BELL3)
    first = sample(circuit, {}, 200, random.Random(3))
    assert first == sample(circuit, {}, 200, random.Random(3))
    assert first != sample(circuit, {}, 200, random.Random(4))


@pytest.mark.parametrize(
    ("pauli", "value"), [("ZZ", 1.0), ("XX", 1.0), ("YY", -1.0), ("ZI", 0.0), ("IZ", 0.0), ("XY", 0.0)]
)
def test_bell_pair_expectation_values_are_exact(pauli: str, value: float) -> None:
    assert expectation(read_qasm(BELL3), {}, pauli) == pytest.approx(value, abs=1e-12)


def test_pauli_strings_read_right_to_left_as_qiskit_does() -> None:
    circuit = read_qasm('OPENQASM 3; include "stdgates.inc"; qubit[2] q; x q[0];')
    assert expectation(circuit, {}, "IZ") == pytest.approx(-1.0)
    assert expectation(circuit, {}, "ZI") == pytest.approx(1.0)


def test_input_parameters_are_bound_by_name() -> None:
    source = 'OPENQASM 3; include "stdgates.inc"; input float[64] theta; qubit[1] q; ry(theta) q[0];'
    circuit = read_qasm(source)
    assert circuit.parameters == ["theta"]
    for theta in (0.0, 0.3, math.pi / 2, 2.0):
        assert expectation(circuit, {"theta": theta}, "Z") == pytest.approx(math.cos(theta))
        assert expectation(circuit, {"theta": theta}, "X") == pytest.approx(math.sin(theta))


def test_expressions_and_gate_definitions() -> None:
    source = (
        'OPENQASM 3; include "stdgates.inc"; input angle a; qubit[2] q; bit[2] c; '
        "gate flip(t) x, y { rx(t*2/2) x; cx x, y; } flip(pi) q[0], q[1]; rz(-a + cos(0)) q[1]; "
        "c = measure q;"
    )
    assert counts(source, a=0.5) == {0b11: 1000}


def test_mid_circuit_measurement_and_reset_run_shot_by_shot() -> None:
    source = (
        'OPENQASM 3; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]; c[0] = measure q[0]; '
        "cx q[0], q[1]; reset q[0]; c[1] = measure q[1];"
    )
    found = counts(source, shots=400, seed=1)
    assert set(found) == {0b00, 0b11}  # q[1] copies the measured q[0]


def test_unmeasured_bits_read_zero_and_registers_keep_their_own_bits() -> None:
    source = (
        'OPENQASM 3; include "stdgates.inc"; qubit[3] q; bit[2] a; bit b; x q[1]; x q[2]; '
        "a[1] = measure q[1]; b = measure q[2];"
    )
    circuit = read_qasm(source)
    assert circuit.registers == [("a", 2), ("b", 1)]
    assert sample(circuit, {}, 5, random.Random(0)) == [{"a": 0b10, "b": 1}] * 5


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("qubit[1] q; foo q[0];", "unknown gate 'foo'"),
        ("qubit[1] q; bit[1] c; c[1] = measure q[0];", "outside c"),
        ("qubit[1] q; d[0] = measure q[0];", "'d' is not a declared bit register"),
        ("qubit[1] q; measure q[0] -> d[0];", "'d' is not a declared bit register"),
        ("qubit[1] q; rx q[0];", "rx takes 1 parameter"),
        ("qubit[2] q; cx q[0], q[0];", "same qubit twice"),
        ("qubit[1] q; rx(phi) q[0];", "'phi'"),
    ],
)
def test_what_the_service_refuses_is_refused(source: str, words: str) -> None:
    with pytest.raises(CircuitRefused, match=words):
        read_qasm('OPENQASM 3; include "stdgates.inc"; ' + source)


@pytest.mark.parametrize(
    "source",
    [
        "qubit[1] q; bit[1] c; c[0] = measure q[0]; if (c[0]) { x q[0]; }",
        "qubit[2] q; ctrl @ x q[0], q[1];",
        "qubit[1] q; float x = 1.0;",
    ],
)
def test_valid_programs_beyond_the_engine_are_unsupported_not_refused(source: str) -> None:
    with pytest.raises(CircuitUnsupported):
        read_qasm('OPENQASM 3; include "stdgates.inc"; ' + source)


def test_more_entangled_qubits_than_the_engine_holds_are_unsupported() -> None:
    chain = " ".join(f"cx q[{i}], q[{i + 1}];" for i in range(12))
    source = f'OPENQASM 3; include "stdgates.inc"; qubit[13] q; bit[13] c; h q[0]; {chain} c = measure q;'
    with pytest.raises(CircuitUnsupported, match="13 qubits"):
        sample(read_qasm(source), {}, 1, random.Random(0))
    with pytest.raises(CircuitUnsupported, match="13 qubits"):
        expectation(read_qasm(source), {}, "Z" * 13)


def test_independent_groups_of_qubits_are_simulated_apart() -> None:
    pairs = " ".join(f"h q[{i}]; cx q[{i}], q[{i + 1}];" for i in range(0, 40, 2))
    source = f'OPENQASM 3; include "stdgates.inc"; qubit[40] q; bit[40] c; {pairs} c = measure q;'
    circuit = read_qasm(source)
    shots = sample(circuit, {}, 200, random.Random(4))
    for shot in shots:  # twenty Bell pairs: each pair's two bits agree
        bits = shot["c"]
        assert all(((bits >> i) & 1) == ((bits >> (i + 1)) & 1) for i in range(0, 40, 2))
    assert len({shot["c"] for shot in shots}) > 150  # and the pairs are independent
    assert expectation(circuit, {}, "ZZ" * 20) == pytest.approx(1.0)
    assert expectation(circuit, {}, "XX" * 20) == pytest.approx(1.0)
    assert expectation(circuit, {}, "I" * 38 + "ZI") == pytest.approx(0.0)


@pytest.mark.parametrize("name", sorted(GATES))
def test_every_gate_is_unitary(name: str) -> None:
    _qubits, count, build = GATES[name]
    matrix = build([0.3 + 0.4 * k for k in range(count)])
    size = len(matrix)
    for i in range(size):
        for j in range(size):
            product = sum(matrix[k][i].conjugate() * matrix[k][j] for k in range(size))
            assert product == pytest.approx(complex(i == j), abs=1e-12)


def _exact(body: str, width: int) -> list[float]:
    # Equal output distributions give equal counts for the same seed.
    source = f'OPENQASM 3; include "stdgates.inc"; qubit[{width}] q; bit[{width}] c; {body} c = measure q;'
    found = counts(source, shots=2000, seed=11)
    return [found[i] / 2000 for i in range(1 << width)]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("h q[0]; sx q[0]; sx q[0];", "h q[0]; x q[0];"),
        (
            "h q[0]; h q[1]; rzz(0.7) q[0], q[1]; h q[0]; h q[1];",
            "h q[0]; h q[1]; cx q[0], q[1]; rz(0.7) q[1]; cx q[0], q[1]; h q[0]; h q[1];",
        ),
        ("x q[0]; swap q[0], q[2];", "x q[2];"),
        ("x q[0]; x q[1]; ccx q[0], q[1], q[2];", "x q[0]; x q[1]; x q[2];"),
        ("h q[0]; h q[1]; rccx q[0], q[1], q[2];", "h q[0]; h q[1]; ccx q[0], q[1], q[2];"),
        ("x q[0]; x q[1]; cswap q[0], q[1], q[2];", "x q[0]; x q[2];"),
        ("h q[0]; u(pi/2, 0, pi) q[1]; cz q[0], q[1]; h q[1];", "h q[0]; cx q[0], q[1];"),
    ],
)
def test_gate_identities_hold(left: str, right: str) -> None:
    assert _exact(left, 3) == _exact(right, 3)


def test_global_phase_gate_does_not_change_outcomes() -> None:
    assert cmath.isclose(GATES["gphase"][2]([math.pi])[0][0], -1)


def test_only_touched_qubits_are_simulated_so_transpiled_circuits_run() -> None:
    source = (
        'OPENQASM 3.0; include "stdgates.inc"; bit[2] meas; h $40; cx $40, $126; '
        "meas[0] = measure $40; meas[1] = measure $126;"
    )
    circuit = read_qasm(source)
    assert circuit.num_qubits == 127
    found = Counter(shot["meas"] for shot in sample(circuit, {}, 400, random.Random(2)))
    assert set(found) == {0b00, 0b11}
    zz = "Z" + "I" * 85 + "Z" + "I" * 40  # Z on qubits 126 and 40
    assert expectation(circuit, {}, zz) == pytest.approx(1.0)
    assert expectation(circuit, {}, "X" + "I" * 126) == 0.0  # qubit 126 is entangled: <X> = 0
    assert expectation(circuit, {}, "I" * 126 + "X") == 0.0  # qubit 0 is untouched: |0>
    assert expectation(circuit, {}, "I" * 126 + "Z") == pytest.approx(1.0)


def test_barriers_after_the_final_measurements_keep_the_fast_path() -> None:
    source = (
        'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; '
        "barrier q; c = measure q; barrier q;"
    )
    found = counts(source, shots=1000, seed=3)
    assert set(found) == {0b00, 0b11} and abs(found[0] - 500) < 60
