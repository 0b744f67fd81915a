"""Per-program checks of a job's ``params``, so wrong ones get the service's 400.

Only what the fake can know is checked: the PUB layout of Sampler and Estimator (arrays as
IBM's guide gives them, or what qiskit-ibm-runtime sends), options that belong to the other
primitive, shapes that do not broadcast, the params version, and the executor's
``schema_version``; and of the circuits it can read (circuit_check): unknown gates,
measurements into undeclared bits, parameter values that do not fit, circuits wider than
the backend and shots over its maximum. Programs the fake does not model are accepted as
they are.
"""

from __future__ import annotations

from typing import Any

from iqp_wrapper.testing.fake.catalog import FakeBackend
from iqp_wrapper.testing.fake.circuit_check import check_circuits
from iqp_wrapper.testing.fake.errors import ApiError, bad_request
from iqp_wrapper.testing.fake.npy import encoded_shape, nested_shape
from iqp_wrapper.testing.fake.qpy_registers import is_encoded_circuit

# Options only the other primitive has: sending them is a sign of the wrong program.
_ESTIMATOR_ONLY = frozenset({"default_precision", "resilience", "seed_estimator", "resilience_level"})
_SAMPLER_ONLY = frozenset({"default_shots"})


def check_params(program_id: str, params: dict[str, Any], backend: FakeBackend | None = None) -> None:
    """Raise the 400 the service answers when ``params`` do not fit ``program_id`` (and
    ``backend``, when given)."""
    if program_id == "sampler":
        _check_primitive(params, "Sampler", _ESTIMATOR_ONLY, _sampler_pub)
    elif program_id == "estimator":
        _check_primitive(params, "Estimator", _SAMPLER_ONLY, _estimator_pub)
    elif program_id == "executor" and not isinstance(params.get("schema_version"), str):
        raise _invalid("executor params need a schema_version")
    if backend is not None:
        check_circuits(program_id, params, backend)


def _invalid(message: str) -> ApiError:
    return bad_request(f"Invalid params: {message}.", code="invalid_params")


def _check_primitive(params: dict[str, Any], name: str, foreign: frozenset[str], check_pub: Any) -> None:
    version = params.get("version", 2)
    if version not in (2, "2"):
        raise _invalid(f"{name} params version must be 2, not {version!r}")
    options = params.get("options", {})
    if not isinstance(options, dict):
        raise _invalid("options must be a JSON object")
    wrong = sorted((foreign & set(options)) | (foreign & set(params)))
    if wrong:
        raise _invalid(f"{', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} not {name} options")
    pubs = params.get("pubs")
    if not isinstance(pubs, list) or not pubs:
        raise _invalid(f"{name} params need a non-empty pubs array")
    for index, pub in enumerate(pubs):
        check_pub(index, pub if isinstance(pub, list) else [pub])


def _circuit(index: int, circuit: Any) -> None:
    if not (isinstance(circuit, str) and circuit.strip()) and not is_encoded_circuit(circuit):
        raise _invalid(f"pub {index}: the circuit must be OpenQASM 3 text or an encoded circuit")


def _sampler_pub(index: int, pub: list[Any]) -> None:
    if not 1 <= len(pub) <= 3:
        raise _invalid(f"pub {index}: a Sampler pub is [circuit, parameter values, shots]")
    _circuit(index, pub[0])
    if (
        len(pub) == 3
        and pub[2] is not None
        and (isinstance(pub[2], bool) or not isinstance(pub[2], int) or pub[2] < 1)
    ):
        raise _invalid(f"pub {index}: shots must be a positive whole number")


def _estimator_pub(index: int, pub: list[Any]) -> None:
    if not 2 <= len(pub) <= 4:
        raise _invalid(
            f"pub {index}: an Estimator pub is [circuit, observables, parameter values, precision]"
        )
    _circuit(index, pub[0])
    if not isinstance(pub[1], (str, dict, list)):
        raise _invalid(f"pub {index}: observables must be a Pauli string, a mapping or an array of them")
    precision = pub[3] if len(pub) == 4 else None
    if precision is not None and (
        isinstance(precision, bool) or not isinstance(precision, (int, float)) or precision <= 0
    ):
        raise _invalid(f"pub {index}: precision must be a positive number")
    if len(pub) >= 3 and pub[2] is not None:
        values = pub[2]
        shape = encoded_shape(values) if isinstance(values, dict) else nested_shape(values)
        parameters = tuple(shape[:-1]) if shape else ()
        observables = nested_shape(pub[1]) if isinstance(pub[1], list) else ()
        for a, b in zip(reversed(observables), reversed(parameters), strict=False):  # numpy aligns the ends
            if a != b and 1 not in (a, b):
                raise _invalid(
                    f"pub {index}: observables of shape {observables} and parameter values of shape "
                    f"{parameters} do not broadcast"
                )
