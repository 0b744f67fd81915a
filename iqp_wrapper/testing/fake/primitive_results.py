"""Sampler and Estimator results shaped by the job's PUBs, in the service's two forms.

- Jobs whose circuits are OpenQASM text get the REST form of IBM's primitives guide:
  ``{"results": [{"data": {"<register>": {"samples": ["0x3", ...], "num_bits": 2}}, ...}]}``
  for Sampler (one hex string per shot, nested by the PUB's parameter shape, per classical
  register the circuit declares) and ``{"data": {"evs", "stds", "ensemble_standard_error"}}``
  for Estimator (a number for a single observable, nested lists when the PUB broadcasts).
- Jobs whose circuits came qiskit-encoded (qiskit-ibm-runtime) get qiskit's encoded form,
  which its RuntimeDecoder reads: a ``PrimitiveResult`` of ``SamplerPubResult``/``PubResult``
  with ``BitArray`` and ``ndarray`` data.

Counts and values come from the fake's statevector engine for circuits it can run
(simulate.py); other circuits get synthetic ones. Shots: the PUB's own, else the options'
``default_shots``, else the service's 4096. Outcomes are seeded
(``options.simulator.seed_simulator`` if given, else the job ID), so a job's result is the
same every time it is read.
"""

from __future__ import annotations

import math
import random
from typing import Any

from iqp_wrapper.testing.fake.npy import encoded_ndarray, float64_array
from iqp_wrapper.testing.fake.qpy_registers import is_encoded_circuit
from iqp_wrapper.testing.fake.simulate import estimator_values, sampler_outcomes

DEFAULT_SHOTS = 4096
DEFAULT_PRECISION = 0.015625


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
        found = sampler_outcomes(pub[0], pub[1] if len(pub) > 1 else None, shots, rng)
        if encoded:
            results.append(_encoded_sampler_pub(found.registers, found.values, found.shape, shots))
        else:
            data = {
                name: {
                    "samples": _nest([f"0x{v:x}" for v in found.values[name]], [*found.shape, shots]),
                    "num_bits": width,
                }
                for name, width in found.registers
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
        precision = pub[3] if len(pub) > 3 and isinstance(pub[3], (int, float)) else None
        precision = precision or options.get("default_precision") or DEFAULT_PRECISION
        found = estimator_values(pub[0], observables, pub[2] if len(pub) > 2 else None, rng)
        shape = found.shape
        # The standard error of an estimate from 1/precision² shots of an ideal device.
        stds = [round(math.sqrt(max(v, 0.0)) * precision, 6) for v in found.variances]
        pub_metadata: dict[str, Any] = {
            "shots": max(1, round(1 / precision**2)),
            "target_precision": precision,
            "circuit_metadata": {},
            "resilience": {},
            "num_randomizations": 32,
        }
        fields = {"evs": found.evs, "stds": stds, "ensemble_standard_error": stds}
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
    arrays: dict[str, Any] = {}
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
