"""Sampler and Estimator results shaped by the job's PUBs, in the service's two forms.

- Jobs whose circuits are OpenQASM text get the REST form of IBM's primitives guide:
  ``{"results": [{"data": {"<register>": {"samples": ["0x3", ...], "num_bits": 2}}, ...}]}``
  for Sampler (one hex string per shot, nested by the PUB's parameter shape, per classical
  register the circuit declares) and ``{"data": {"evs", "stds", "ensemble_standard_error"}}``
  for Estimator (a number for a single observable, nested lists when the PUB broadcasts).
- Jobs whose circuits came qiskit-encoded (qiskit-ibm-runtime) get qiskit's encoded form,
  which its RuntimeDecoder reads: a ``PrimitiveResult`` of ``SamplerPubResult``/``PubResult``
  with ``BitArray`` and ``ndarray`` data. The registers come from the QPY records
  (qpy_registers); if none can be read, one register ``meas`` of ``FALLBACK_BITS`` bits.

Shots: the PUB's own, else the options' ``default_shots``, else the service's 4096.
Outcomes are seeded (``options.simulator.seed_simulator`` if given, else the job ID), so
a job's result is the same every time it is read.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from typing import Any

from iqp_wrapper.testing.fake.npy import encoded_ndarray, encoded_shape, float64_array, nested_shape
from iqp_wrapper.testing.fake.qasm_registers import declared_registers
from iqp_wrapper.testing.fake.qpy_registers import classical_registers, is_encoded_circuit

DEFAULT_SHOTS = 4096
DEFAULT_PRECISION = 0.015625
FALLBACK_BITS = 2


def primitive_result(program_id: str, params: dict[str, Any], seed: str) -> dict[str, Any]:
    """The result body of a Sampler (``program_id`` "sampler") or Estimator job."""
    options = _mapping(params.get("options"))
    simulator = _mapping(options.get("simulator"))
    rng = random.Random(str(simulator.get("seed_simulator", seed)))
    pubs = [pub if isinstance(pub, list) else [pub] for pub in params.get("pubs") or []]
    encoded = any(is_encoded_circuit(pub[0]) for pub in pubs if pub)
    if program_id == "estimator":
        return _estimator(pubs, options, rng, encoded)
    return _sampler(pubs, options, rng, encoded)


def _sampler(
    pubs: list[list[Any]], options: dict[str, Any], rng: random.Random, encoded: bool
) -> dict[str, Any]:
    default = options.get("default_shots")
    results = []
    for pub in pubs:
        shots = pub[2] if len(pub) > 2 and isinstance(pub[2], int) else default
        shots = shots if isinstance(shots, int) and shots > 0 else DEFAULT_SHOTS
        shape = _parameter_shape(pub[1] if len(pub) > 1 else None)
        registers = _registers(pub[0])
        outcomes = {name: _outcomes(rng, width, math.prod(shape) * shots) for name, width in registers}
        if encoded:
            results.append(_encoded_sampler_pub(registers, outcomes, shape, shots))
        else:
            data = {
                name: {
                    "samples": _nest([f"0x{v:x}" for v in outcomes[name]], [*shape, shots]),
                    "num_bits": width,
                }
                for name, width in registers
            }
            results.append({"data": data, "metadata": {"circuit_metadata": {}}})
    metadata: dict[str, Any] = {"execution": {"execution_spans": []}, "version": 2}
    if encoded:
        return _primitive_result(results, metadata)
    return {"results": results, "metadata": metadata}


def _estimator(
    pubs: list[list[Any]], options: dict[str, Any], rng: random.Random, encoded: bool
) -> dict[str, Any]:
    results = []
    for pub in pubs:
        observables = pub[1] if len(pub) > 1 else "Z"
        shape = _broadcast(
            _observables_shape(observables), _parameter_shape(pub[2] if len(pub) > 2 else None)
        )
        precision = pub[3] if len(pub) > 3 and isinstance(pub[3], (int, float)) else None
        precision = precision or options.get("default_precision") or DEFAULT_PRECISION
        count = math.prod(shape)
        evs = [round(rng.uniform(-1.0, 1.0), 6) for _ in range(count)]
        stds = [round(precision * rng.uniform(0.8, 1.2), 6) for _ in range(count)]
        errors = [round(precision * rng.uniform(0.9, 1.3), 6) for _ in range(count)]
        pub_metadata: dict[str, Any] = {
            "shots": max(1, round(1 / precision**2)),
            "target_precision": precision,
            "circuit_metadata": {},
            "resilience": {},
            "num_randomizations": 32,
        }
        fields = {"evs": evs, "stds": stds, "ensemble_standard_error": errors}
        if encoded:
            arrays = {name: float64_array(shape, values) for name, values in fields.items()}
            data = _data_bin(arrays, shape)
            results.append({"__type__": "PubResult", "__value__": {"data": data, "metadata": pub_metadata}})
        else:
            data = {name: _nest(values, list(shape)) for name, values in fields.items()}
            results.append({"data": data, "metadata": pub_metadata})
    metadata: dict[str, Any] = {
        "dynamical_decoupling": {"enable": True},
        "twirling": {},
        "resilience": {},
        "version": 2,
    }
    if encoded:
        return _primitive_result(results, metadata)
    return {"results": results, "metadata": metadata}


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _registers(circuit: Any) -> list[tuple[str, int]]:
    if isinstance(circuit, str):
        return declared_registers(circuit)
    if is_encoded_circuit(circuit):
        return classical_registers(circuit) or [("meas", FALLBACK_BITS)]
    return [("meas", FALLBACK_BITS)]


def _outcomes(rng: random.Random, width: int, count: int) -> list[int]:
    # All zeros or all ones, as an ideal GHZ state (a Bell pair for two bits) would give.
    top = (1 << width) - 1
    return [rng.choice((0, top)) for _ in range(count)]


def _parameter_shape(values: Any) -> tuple[int, ...]:
    """A PUB's parameter sweep shape: its parameter array's shape without the last axis."""
    if values is None:
        return ()
    shape = encoded_shape(values)
    if shape is None and isinstance(values, list):
        shape = nested_shape(values)
    if shape is None and isinstance(values, dict):  # {"theta": [...]} or {("a", "b"): ...}
        shapes = [nested_shape(v) for v in values.values() if isinstance(v, list)]
        return shapes[0] if shapes else ()
    return tuple(shape[:-1]) if shape else ()


def _observables_shape(observables: Any) -> tuple[int, ...]:
    shape: list[int] = []
    while isinstance(observables, list):
        shape.append(len(observables))
        if not observables:
            break
        observables = observables[0]
    return tuple(shape)


def _broadcast(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """NumPy's broadcasting of two shapes (a size-1 axis stretches)."""
    out = []
    for x, y in itertools.zip_longest(reversed(a), reversed(b), fillvalue=1):
        out.append(max(x, y))  # mismatched axes are rejected when the job is submitted
    return tuple(reversed(out))


def _nest(flat: list[Any], shape: list[int]) -> Any:
    if not shape:
        return flat[0]
    if len(shape) == 1:
        return flat
    step = math.prod(shape[1:])
    return [_nest(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def _encoded_sampler_pub(
    registers: list[tuple[str, int]], outcomes: dict[str, list[int]], shape: tuple[int, ...], shots: int
) -> dict[str, Any]:
    arrays = {}
    for name, width in registers:
        size = (width + 7) // 8
        data = b"".join(v.to_bytes(size, "big") for v in outcomes[name])
        array = encoded_ndarray("|u1", [*shape, shots, size], data)
        arrays[name] = {"__type__": "BitArray", "__value__": {"array": array, "num_bits": width}}
    data_bin = _data_bin(arrays, shape)
    return {
        "__type__": "SamplerPubResult",
        "__value__": {"data": data_bin, "metadata": {"circuit_metadata": {}}},
    }


def _data_bin(fields: dict[str, Any], shape: tuple[int, ...]) -> dict[str, Any]:
    value = {"field_names": list(fields), "shape": list(shape), "fields": fields}
    return {"__type__": "DataBin", "__value__": value}


def _primitive_result(pub_results: list[dict[str, Any]], metadata: dict[str, Any]) -> dict[str, Any]:
    return {"__type__": "PrimitiveResult", "__value__": {"pub_results": pub_results, "metadata": metadata}}
