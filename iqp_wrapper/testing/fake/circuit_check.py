"""What the service refuses about a job's circuits that the fake can know without a device:
unknown gates, measurements into undeclared bits, parameter values that do not fit the
circuit's parameters, circuits wider than the backend, and more shots than it allows.

Each refusal is the service's 400 (``ErrorContainer``, code ``invalid_params``) naming the
PUB or item and what to fix. Circuits the fake cannot read are not checked.
"""

from __future__ import annotations

from typing import Any

from iqp_wrapper.testing.fake.bindings import bind
from iqp_wrapper.testing.fake.catalog import FakeBackend
from iqp_wrapper.testing.fake.circuits import load_circuit
from iqp_wrapper.testing.fake.errors import ApiError, bad_request
from iqp_wrapper.testing.fake.sim import CircuitRefused, CircuitUnsupported


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


def _check_shots(where: str, shots: Any, backend: FakeBackend) -> None:
    if isinstance(shots, int) and not isinstance(shots, bool) and shots > backend.max_shots:
        raise _refused(f"{where} is {shots}, more than the {backend.max_shots} {backend.name} allows")


def _refused(message: str) -> ApiError:
    return bad_request(f"Invalid params: {message}.", code="invalid_params")
