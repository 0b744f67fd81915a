"""Executor and noise-learner programs written by qiskit-ibm-runtime, and IBM's own models
judging the results the fake serves for them.

    <python with qiskit-ibm-runtime> witness_programs.py params     # prints the jobs' params
    <python with qiskit-ibm-runtime> witness_programs.py validate   # reads results on stdin
    <python with qiskit-ibm-runtime> witness_programs.py versions   # the witnesses' versions

``params`` prints, for each executor schema version qiskit-ibm-runtime writes (v0.1, v0.2,
v1.0, v1.1, v2.0) and each noise-learner version (v0.1-v0.3), the params of one job:
a Bell pair measured into ``meas``, a parameter sweep of ``ry(theta)`` measured into two
registers, and (from v0.2) passthrough data; noise-learner jobs learn a CX layer and a
measurement layer. ``validate`` reads ``{"<name>": {"program": ..., "result": ...}}`` and
validates each result with ibm-quantum-schemas' result model of its version, then decodes
it with qiskit-ibm-runtime's own decoder, and prints what it found (counts per register,
noise-learner protocols) or the validation error. Run by tests/qiskit/test_program_results.py
in qiskit-ibm-runtime's virtual environment; never imports iqp-wrapper.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections import Counter
from typing import Any

import numpy as np
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister
from qiskit.circuit import Parameter

THETAS = [0.0, np.pi / 2, np.pi]


def executor_params() -> dict[str, Any]:
    from qiskit_ibm_runtime.options_models import ExecutorOptions
    from qiskit_ibm_runtime.quantum_program import QuantumProgram
    from qiskit_ibm_runtime.quantum_program.params_converters import QUANTUM_PROGRAM_PARAMS_CONVERTERS

    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    bell.measure_all()
    theta = Parameter("theta")
    swept = QuantumCircuit(QuantumRegister(2, "q"), ClassicalRegister(1, "a"), ClassicalRegister(1, "b"))
    swept.ry(theta, 0)
    swept.x(1)
    swept.measure(0, 0)
    swept.measure(1, 1)
    found = {}
    for version, converter in QUANTUM_PROGRAM_PARAMS_CONVERTERS.items():
        passthrough = {"post": {"note": "kept", "n": 3}} if version != "v0.1" else None
        program = QuantumProgram(shots=100, passthrough_data=passthrough)
        program.append_circuit_item(bell, np.empty((0,)))
        program.append_circuit_item(swept, np.array(THETAS).reshape(3, 1))
        program._semantic_role = "fake-witness"
        params = converter.encoder(program, ExecutorOptions()).model_dump(mode="json")
        found[f"executor {version}"] = {"program_id": "executor", "params": params}
    return found


def noise_learner_params() -> dict[str, Any]:
    from qiskit_ibm_runtime.noise_learner_v3.params_converters import NOISE_LEARNER_V3_PARAMS_CONVERTERS
    from qiskit_ibm_runtime.options_models import NoiseLearnerV3Options
    from samplomatic import Twirl

    circuit = QuantumCircuit(3)
    with circuit.box([Twirl()]):
        circuit.cx(0, 1)
    with circuit.box([Twirl()]):
        circuit.measure_all()
    found = {}
    for version, converter in NOISE_LEARNER_V3_PARAMS_CONVERTERS.items():
        params = converter.encoder(circuit.data, NoiseLearnerV3Options()).model_dump(mode="json")
        found[f"noise-learner {version}"] = {"program_id": "noise-learner", "params": params}
    return found


def check(job: dict[str, Any]) -> dict[str, Any]:
    result, program_id = job["result"], job["program_id"]
    text = json.dumps(result)
    if program_id == "executor":
        from qiskit_ibm_runtime.decoders.executor.decoder import AVAILABLE_DECODERS

        decoder, model = AVAILABLE_DECODERS[result["schema_version"]]
        validated = model.model_validate_json(text)
        decoded = decoder(validated)
        items = []
        for item in decoded:
            counts = {}
            for name, array in item.items():
                rows = np.asarray(array).reshape(-1, *np.asarray(array).shape[-2:])
                counts[name] = [
                    dict(Counter("".join(str(int(bit)) for bit in shot[::-1]) for shot in row))
                    for row in rows
                ]
            items.append(
                {"counts": counts, "shapes": {n: list(np.asarray(a).shape) for n, a in item.items()}}
            )
        passthrough = getattr(decoded, "passthrough_data", None)
        return {
            "items": items,
            "passthrough_data": passthrough,
            "semantic_role": getattr(decoded, "_semantic_role", None),
        }
    from qiskit_ibm_runtime.decoders.noise_learner_v3.decoder import NoiseLearnerV3ResultDecoder

    decoded = NoiseLearnerV3ResultDecoder.decode(text)
    return {"protocols": [r.metadata["learning_protocol"] for r in decoded], "count": len(decoded)}


def main() -> None:
    if sys.argv[1] == "params":
        json.dump({**executor_params(), **noise_learner_params()}, sys.stdout)
        return
    if sys.argv[1] == "versions":
        from importlib.metadata import version

        json.dump({name: version(name) for name in ("ibm-quantum-schemas", "qiskit-ibm-runtime")}, sys.stdout)
        return
    report = {}
    for name, job in json.load(sys.stdin).items():
        try:
            report[name] = {"ok": True, "seen": check(job)}
        except Exception as error:  # each failure is data for the test
            lines = traceback.format_exception_only(type(error), error)
            report[name] = {"ok": False, "error": "".join(lines)[-2000:]}
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
