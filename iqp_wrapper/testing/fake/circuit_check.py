"""What the service refuses about a job's circuits that the fake can know without a device:
unknown gates, measurements into undeclared bits, parameter values that do not fit the
circuit's parameters, circuits wider than the backend, and more shots than it allows.

Executor programs are checked the same way (their OpenQASM circuits, widths, and circuit
arguments against the circuits' parameters). Each refusal is the service's 400
(``ErrorContainer``, code ``invalid_params``) naming the PUB or item and what to fix.
Circuits the fake cannot read are not checked.
"""

from __future__ import annotations

from typing import Any

from iqp_wrapper.testing.fake.bindings import bind
from iqp_wrapper.testing.fake.catalog import FakeBackend
from iqp_wrapper.testing.fake.circuits import load_circuit
from iqp_wrapper.testing.fake.errors import ApiError, bad_request
from iqp_wrapper.testing.fake.executor_results import VERSIONS, program_circuits
from iqp_wrapper.testing.fake.sim import CircuitRefused, CircuitUnsupported
from iqp_wrapper.testing.fake.sim.qasm_reader import read_qasm
from iqp_wrapper.testing.fake.tensors import TensorError, decode_numbers


def check_circuits(program_id: str, params: dict[str, Any], backend: FakeBackend) -> None:
    """Raise ApiError (400) for the first circuit or shot count ``backend`` would refuse."""
    options = params.get("options") if isinstance(params.get("options"), dict) else {}
    if program_id in ("sampler", "estimator"):
        default = options.get("default_shots") if isinstance(options, dict) else None
        _check_shots("options.default_shots", default, backend)
        values_at = 1 if program_id == "sampler" else 2  # [circuit, (observables,) values, ...]
        for index, pub in enumerate(params.get("pubs") or []):
            pub = pub if isinstance(pub, list) else [pub]
            values = pub[values_at] if len(pub) > values_at else None
            _check_circuit(f"pub {index}", pub[0] if pub else None, values, backend)
            if program_id == "sampler" and len(pub) > 2:
                _check_shots(f"pub {index}: shots", pub[2], backend)
    elif program_id == "executor":
        program = params.get("quantum_program")
        if isinstance(program, dict):
            _check_shots("quantum_program.shots", program.get("shots"), backend)
            _check_program(str(params.get("schema_version")), program, backend)


def _check_circuit(where: str, circuit: Any, values: Any, backend: FakeBackend) -> None:
    try:
        loaded = load_circuit(circuit)
        if loaded.num_qubits > backend.num_qubits:
            raise _refused(
                f"{where}: the circuit uses {loaded.num_qubits} qubits but {backend.name} has "
                f"{backend.num_qubits}; choose a larger backend or a narrower circuit"
            )
        bind(values, loaded.sorted_parameters)
    except CircuitUnsupported:
        return
    except CircuitRefused as error:
        raise _refused(f"{where}: {error}") from None


def _check_program(version: str, program: dict[str, Any], backend: FakeBackend) -> None:
    """The circuits of an executor program: OpenQASM the service refuses, widths, and
    circuit arguments that do not give each of a circuit's parameters a value."""
    if version not in VERSIONS:
        return
    items = program.get("items") if isinstance(program.get("items"), list) else []
    circuits = program.get("circuits")
    texts = circuits.get("data") if isinstance(circuits, dict) else None
    for index, text in enumerate(texts if isinstance(texts, list) else []):
        try:
            read_qasm(text)
        except CircuitRefused as error:
            raise _refused(f"quantum_program.circuits item {index}: {error}") from None
        except CircuitUnsupported:
            continue
    found = program_circuits(version, program, len(items or []))
    for index, ((circuit, _registers), item) in enumerate(zip(found, items or [], strict=False)):
        if circuit is None:
            continue
        where = f"quantum_program.items[{index}]"
        if circuit.num_qubits > backend.num_qubits:
            raise _refused(
                f"{where}: the circuit uses {circuit.num_qubits} qubits but {backend.name} has "
                f"{backend.num_qubits}; choose a larger backend or a narrower circuit"
            )
        arguments = item.get("circuit_arguments") if isinstance(item, dict) else None
        if item.get("item_type", "circuit") != "circuit" or not isinstance(arguments, dict):
            continue
        try:
            shape, _values = decode_numbers(arguments, compressed=version == "v2.0")
        except TensorError as error:
            raise _refused(f"{where}.circuit_arguments: {error}") from None
        wanted = len(circuit.parameters)
        if (shape[-1] if shape else 0) != wanted:
            raise _refused(
                f"{where}.circuit_arguments: the last axis has {shape[-1] if shape else 0} value(s) "
                f"but the circuit has {wanted} parameter(s)"
            )


def _check_shots(where: str, shots: Any, backend: FakeBackend) -> None:
    if isinstance(shots, int) and not isinstance(shots, bool) and shots > backend.max_shots:
        raise _refused(f"{where} is {shots}, more than the {backend.max_shots} {backend.name} allows")


def _refused(message: str) -> ApiError:
    return bad_request(f"Invalid params: {message}.", code="invalid_params")
