"""Write job results in the forms IBM's program schemas define (tests/realworld/programs/results/).

Runs with the interpreter of the ibm-quantum-schemas witness venv (openapi/programs/run.py
creates .venv-schemas):

    .venv-schemas/bin/python tests/realworld/produce/programs.py

Every payload is built by IBM's own Pydantic models (``from_numpy`` for tensors, compressed
where the version compresses), validated by them and written with ``model_dump(mode="json")``,
so it is the package's wire form, not ours. The values are small and arbitrary (seeded);
the executor results echo the ``semantic_role`` and ``passthrough_data`` of the executor
Sampler body qiskit-ibm-runtime sent (tests/realworld/qiskit/requests/).
"""

from __future__ import annotations

import datetime
import json
import platform
import typing
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

CORPUS = Path(__file__).resolve().parents[1]
OUT = CORPUS / "programs" / "results"
SAMPLER_BODY = CORPUS / "qiskit" / "requests" / "post_jobs_executor_sampler_job.json"
SHOTS = 16


def _chunk_timing(module: Any) -> list[Any]:
    start = datetime.datetime(2026, 1, 5, 10, 0, 0, tzinfo=datetime.timezone.utc)
    extra: dict[str, Any] = {}
    if "permutation" in module.ChunkPart.model_fields:  # the item has shape (): nothing to permute
        extra = {"permutation": [], "element_range": (0, 1, 1)}
    part = module.ChunkPart(idx_item=0, size=1, **extra)
    return [module.ChunkSpan(start=start, stop=start + datetime.timedelta(seconds=2), parts=[part])]


def executor_result(tag: str, rng: np.random.Generator) -> dict[str, Any]:
    """A Sampler-role result of one item: the classified bits of register ``meas``."""
    import importlib

    module = importlib.import_module(f"ibm_quantum_schemas.executor.version_{tag.replace('.', '_')}.models")
    bits = rng.integers(0, 2, size=(SHOTS, 2), dtype=np.uint8).astype(bool)
    # The tensor model the version's results use (compressed from v2.0 on).
    tensor_type = typing.get_args(module.QuantumProgramResultItemModel.model_fields["results"].annotation)[1]
    body = json.loads(SAMPLER_BODY.read_text())["params"]["quantum_program"]
    fields = module.QuantumProgramResultModel.model_fields
    extra = {}
    if "semantic_role" in fields:
        extra["semantic_role"] = body["semantic_role"]
    if "passthrough_data" in fields:
        extra["passthrough_data"] = body["passthrough_data"]
    item = module.QuantumProgramResultItemModel(
        results={"meas": tensor_type.from_numpy(bits)},
        metadata=module.ItemMetadataModel(
            scheduler_timing=module.SchedulerTimingModel(timing="{}", circuit_duration=1200),
            stretch_values=[
                module.StretchValueModel(name="s0", value=16, remainder=0, expanded_values=[(96, 16)])
            ],
        ),
    )
    result = module.QuantumProgramResultModel(
        data=[item], metadata=module.MetadataModel(chunk_timing=_chunk_timing(module)), **extra
    )
    dumped: dict[str, Any] = result.model_dump(mode="json")
    module.QuantumProgramResultModel.model_validate(dumped)  # IBM's model reads its own output
    return dumped


def noise_learner_v3_result(rng: np.random.Generator) -> dict[str, Any]:
    """One Lindblad layer (two generators) and one TREX measurement result."""
    from ibm_quantum_schemas.common import F64TensorModel
    from ibm_quantum_schemas.noise_learner_v3.version_0_3 import models

    def rates(n: int) -> Any:
        return F64TensorModel.from_numpy(rng.uniform(0, 0.01, size=n))

    lindblad = models.NoiseLearnerV3ResultModel(
        generators_sparse=[[("XX", [0, 1])], [("ZI", [0, 1])]],
        num_qubits=2,
        rates=rates(2),
        rates_std=rates(2),
        metadata=models.LinbdbladResultMetadataModel(
            post_selection=models.LinbdbladResultPostSelectionMetadataModel(
                fraction_kept={0: 0.98, 2: 0.97}, success_rates={0: {0: 0.99, 1: 0.98}}
            )
        ),
    )
    trex = models.NoiseLearnerV3ResultModel(
        generators_sparse=[[("X", [0])], [("X", [1])]],
        num_qubits=2,
        rates=rates(2),
        rates_std=rates(2),
        metadata=models.TREXResultMetadataModel(
            post_selection=models.TREXResultPostSelectionMetadataModel(
                fraction_kept=0.99, success_rates={0: 0.995, 1: 0.99}
            )
        ),
    )
    result = models.NoiseLearnerV3ResultsModel(data=[lindblad, trex])
    dumped: dict[str, Any] = result.model_dump(mode="json")
    models.NoiseLearnerV3ResultsModel.model_validate(dumped)
    return dumped


def write(name: str, payload: Any) -> None:
    path = OUT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {path.relative_to(CORPUS.parents[1])}")


def main() -> None:
    rng = np.random.default_rng(1234)
    for tag in ("v1.0", "v1.1", "v2.0"):
        write(f"executor_{tag}_result.json", executor_result(tag.lstrip("v"), rng))
    write("noise_learner_v3_v0.3_result.json", noise_learner_v3_result(rng))
    write(
        "VERSIONS.json",
        {
            "ibm-quantum-schemas": version("ibm-quantum-schemas"),
            "numpy": version("numpy"),
            "python": platform.python_version(),
            "produced_by": "tests/realworld/produce/programs.py",
        },
    )


if __name__ == "__main__":
    main()
