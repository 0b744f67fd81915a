"""Run with the witness interpreter: check executor job bodies against IBM's own models.

    IQP_QISKIT_PYTHON tests/primitives/qiskit/validate_executor_params.py < bodies.json

Reads a JSON list of ``POST /v1/jobs`` bodies; for each, validates ``params`` with
ibm-quantum-schemas' executor v2.0 ``ParamsModel`` and loads it as qiskit-ibm-runtime
0.51 would (``quantum_program_from_2_0``: circuits from OpenQASM 3, arguments to numpy).
Prints a JSON list, per body: ``ok`` and ``error``, and what IBM's code read: per item
the circuit's parameter names (in binding order), the arguments' shape and values, and
the program's shots.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ibm_quantum_schemas.executor.version_2_0 import ParamsModel
from qiskit_ibm_runtime.quantum_program.converters.converters_2_0 import quantum_program_from_2_0


def check(body: dict[str, Any]) -> dict[str, Any]:
    try:
        model = ParamsModel.model_validate(body["params"])
        program, options = quantum_program_from_2_0(model)
    except Exception as exc:  # the report carries any failure
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return {
        "ok": True,
        "error": "",
        "shots": program.shots,
        "meas_level": program.meas_level,
        "options": options.execution.model_dump(),
        "items": [
            {
                "parameters": [p.name for p in item.circuit.parameters],
                "num_clbits": item.circuit.num_clbits,
                "arguments_shape": list(item.circuit_arguments.shape),
                "arguments": item.circuit_arguments.ravel().tolist(),
                "chunk_size": item.chunk_size,
            }
            for item in program.items
        ],
    }


def main() -> None:
    bodies = json.load(sys.stdin)
    json.dump([check(body) for body in bodies], sys.stdout)


if __name__ == "__main__":
    main()
