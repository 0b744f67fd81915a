"""Results of ``noise-learner`` jobs (NoiseLearnerV3, params v0.1-v0.3), one per submitted
instruction, in the version submitted.

An instruction that measures gets a TREX result (a bit-flip generator ``X`` per qubit); one
that does not gets a Lindblad result (``X``, ``Y``, ``Z`` on each qubit and the nine
two-qubit Paulis on each neighbouring pair). The fake is an ideal device: every rate and
its standard deviation is 0 and post-selection keeps every shot. Field names follow
ibm-quantum-schemas 0.13.20261016 (noise_learner_v3 ``NoiseLearnerV3ResultsModel``):
``success_rates`` appear from v0.2.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from iqp_wrapper.testing.fake.sim import CircuitUnsupported
from iqp_wrapper.testing.fake.sim.circuit import Layer
from iqp_wrapper.testing.fake.sim.qpy_reader import read_qpy_layers
from iqp_wrapper.testing.fake.tensors import encode_numbers

VERSIONS = ("v0.1", "v0.2", "v0.3")
DEFAULT_DEPTHS = [0, 1, 2, 4, 16, 32]
_PAULIS = "XYZ"


def noise_learner_result(params: dict[str, Any]) -> dict[str, Any]:
    """The result body of a noise-learner job (ValueError if its params cannot be read)."""
    version = params.get("schema_version")
    if version not in VERSIONS:
        raise ValueError(f"noise-learner schema_version {version!r} is not one the fake serves")
    instructions = params.get("instructions")
    encoded = instructions.get("circuit_b64") if isinstance(instructions, dict) else None
    try:
        raw = base64.b64decode(str(encoded), validate=True)
        (layers,) = read_qpy_layers(raw)
    except (binascii.Error, ValueError, CircuitUnsupported) as error:
        raise ValueError(f"noise-learner instructions the fake cannot read: {error}") from error
    options = params.get("options") if isinstance(params.get("options"), dict) else {}
    depths = (options or {}).get("layer_pair_depths") or DEFAULT_DEPTHS
    data = [_result(version, layer, [int(d) for d in depths]) for layer in layers]
    return {"schema_version": version, "data": data}


def _result(version: str, layer: Layer, depths: list[int]) -> dict[str, Any]:
    width = len(layer.qubits)
    local = range(width)
    generators: list[list[tuple[str, list[int]]]]
    if layer.measures:
        generators = [[("X", [q])] for q in local]
        selection: dict[str, Any] = {"fraction_kept": 1.0}
        if version != "v0.1":
            selection["success_rates"] = {str(q): 1.0 for q in local}
        metadata: dict[str, Any] = {"learning_protocol": "trex", "post_selection": selection}
    else:
        generators = [[(p, [q])] for q in local for p in _PAULIS]
        generators += [[(a + b, [q, q + 1])] for q in range(width - 1) for a in _PAULIS for b in _PAULIS]
        selection = {"fraction_kept": {str(d): 1.0 for d in depths}}
        if version != "v0.1":
            selection["success_rates"] = {str(d): {str(q): 1.0 for q in local} for d in depths}
        metadata = {"learning_protocol": "lindblad", "post_selection": selection}
    zeros = [0.0] * len(generators)
    return {
        "generators_sparse": [[[label, qubits] for label, qubits in g] for g in generators],
        "num_qubits": width,
        "rates": encode_numbers([len(zeros)], zeros, "f64", compressed=False),
        "rates_std": encode_numbers([len(zeros)], zeros, "f64", compressed=False),
        "metadata": metadata,
    }
