"""Run with the witness interpreter (qiskit-ibm-runtime 0.51 and ibm-quantum-schemas):
write executor v2.0 results built by IBM's own models, and what IBM's own code reads back.

    /work/venvs/qiskit/bin/python tests/primitives/qiskit/produce_executor.py

Writes, beside this script in executor_v2/:
- ``<case>.json``: a ``QuantumProgramResultModel`` (schema v2.0) as ``model_dump_json``
  writes it, the body a job's results endpoint answers;
- ``expected.json``: for every case, what qiskit-ibm-runtime's executor decoders give for
  that text (the chain ``DEFAULT_DECODERS["executor"]`` that ``RuntimeJobV2.result()``
  applies): every tensor as nested lists with its dtype and shape, and for results whose
  semantic role is ``sampler_v2`` the Sampler post-processing (counts per register, per
  sweep point, bit strings, shape, shots).

Nothing here is imported by the package or its tests; the tests read the JSON files.
"""

from __future__ import annotations

import datetime
import json
from functools import reduce
from pathlib import Path
from typing import Any

import numpy as np
from ibm_quantum_schemas.common import CompressedTensorModel
from ibm_quantum_schemas.executor.version_2_0 import (
    ChunkPart,
    ChunkSpan,
    ItemMetadataModel,
    MetadataModel,
    QuantumProgramResultItemModel,
    QuantumProgramResultModel,
    SchedulerTimingModel,
)
from qiskit.primitives import BitArray
from qiskit_ibm_runtime.decoders.defaults import DEFAULT_DECODERS

HERE = Path(__file__).resolve().parent / "executor_v2"
ALL_DTYPES = (
    "bool",
    "f16",
    "f32",
    "f64",
    "i8",
    "i16",
    "i32",
    "i64",
    "u8",
    "u16",
    "u32",
    "u64",
    "c64",
    "c128",
)


def _metadata(items: int) -> MetadataModel:
    start = datetime.datetime(2026, 12, 1, 9, 0, 0)
    return MetadataModel(
        chunk_timing=[
            ChunkSpan(
                start=start,
                stop=start + datetime.timedelta(seconds=2),
                parts=[
                    ChunkPart(idx_item=i, size=1, permutation=[], element_range=(0, 1, 1))
                    for i in range(items)
                ],
            )
        ]
    )


def _post_processor(shots: int, twirling: bool, items: int) -> dict[str, Any]:
    # The passthrough qiskit's executor Sampler sends (see tests/realworld/qiskit/requests).
    return {
        "post_processor": {
            "version": "v0.1",
            "twirling": twirling,
            "meas_type": "classified",
            "shots": shots,
            "circuits_metadata": [{"item": i} for i in range(items)],
            "options": {"default_shots": 4096},
        }
    }


def _result(items: list[dict[str, np.ndarray]], **extra: Any) -> str:
    model = QuantumProgramResultModel(
        data=[
            QuantumProgramResultItemModel(
                results={name: CompressedTensorModel.from_numpy(array) for name, array in item.items()},
                metadata=ItemMetadataModel(
                    scheduler_timing=SchedulerTimingModel(timing="x", circuit_duration=42) if i == 0 else None
                ),
            )
            for i, item in enumerate(items)
        ],
        metadata=_metadata(len(items)),
        **extra,
    )
    return model.model_dump_json()


def cases() -> dict[str, str]:
    rng = np.random.default_rng(18)

    def bits(*shape: int) -> np.ndarray:
        return rng.integers(0, 2, shape).astype(bool)

    def of(dtype: str, shape: tuple[int, ...]) -> np.ndarray:
        if dtype == "bool":
            return bits(*shape)
        np_dtype = np.dtype(f"<{dtype[0]}{int(dtype[1:]) // 8}")
        if np_dtype.kind in "iu":
            info = np.iinfo(np_dtype)
            return rng.integers(info.min, info.max, shape, dtype=np_dtype, endpoint=True)
        if np_dtype.kind == "c":
            return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(np_dtype)
        return (rng.standard_normal(shape) * 100).astype(np_dtype)

    every_dtype = {f"{d}": of(d, (2, 3)) for d in ALL_DTYPES}
    every_dtype |= {f"{d}_scalar": of(d, ()) for d in ("f64", "i32", "c128", "bool")}
    every_dtype |= {
        "f64_empty": of("f64", (2, 0, 3)),
        "bool_odd": bits(3, 7),
        "u64_edges": np.array([0, 2**64 - 1, 2**63], dtype=np.uint64),
    }
    every_dtype |= {"i64_edges": np.array([-(2**63), 2**63 - 1, -1], dtype=np.int64)}
    every_dtype |= {"f16_edges": np.array([65504.0, -0.0, 6e-8, 1 / 3], dtype=np.float16)}
    return {
        # A result with no semantic role: tensors of every dtype the schema allows.
        "every_dtype": _result(
            [every_dtype, {"u8": of("u8", (4, 5))}],
            passthrough_data={
                "tensor": CompressedTensorModel.from_numpy(of("f32", (2,))),
                "n": 3,
                "s": ["a", None],
            },
        ),
        # What qiskit's executor Sampler gets back: items (*sweep, shots, bits).
        "sampler": _result(
            [
                {"meas": bits(40, 3), "c2": bits(40, 5)},
                {"meas": bits(2, 3, 30, 11)},
                {"wide": bits(1000, 20)},
                {"huge": bits(50, 70)},
            ],
            semantic_role="sampler_v2",
            passthrough_data=_post_processor(40, False, 4),
        ),
        # Twirled: (randomizations, *sweep, shots per randomization, bits) and bit flips.
        "sampler_twirled": _result(
            [
                {"meas": bits(4, 2, 8, 5), "measurement_flips.meas": bits(4, 2, 1, 5)},
                {"meas": bits(4, 10, 2), "measurement_flips.meas": bits(4, 1, 2), "other": bits(4, 10, 9)},
            ],
            semantic_role="sampler_v2",
            passthrough_data=_post_processor(32, True, 2),
        ),
    }


def _plain(array: np.ndarray) -> dict[str, Any]:
    if array.size > 1000:  # keeps the file small; large tensors are checked through counts
        return {"dtype": str(array.dtype), "shape": list(array.shape), "true": int(array.sum())}
    if array.dtype.kind == "c":
        values: Any = [[z.real, z.imag] for z in array.ravel().tolist()]
    elif array.dtype.kind == "f":
        # float16/32 read exactly as float64; NaN cannot be JSON, none is produced here.
        values = array.astype(np.float64).tolist()
    else:
        values = array.tolist()
    return {"dtype": str(array.dtype), "shape": list(array.shape), "values": values}


def _sampler(result: Any) -> list[dict[str, Any]]:
    pubs = []
    for pub in result:
        entry: dict[str, Any] = {"metadata": pub.metadata}
        for name in pub.data:
            value = pub.data[name]
            assert isinstance(value, BitArray)
            entry[name] = {
                "counts": value.get_counts(),
                "counts_per_point": {
                    ",".join(map(str, i)): value.get_counts(i) for i in np.ndindex(value.shape)
                },
                "bitstrings": value.get_bitstrings(),
                "shape": list(value.shape),
                "num_shots": value.num_shots,
                "num_bits": value.num_bits,
            }
        pubs.append(entry)
    return pubs


def expected(text: str) -> dict[str, Any]:
    raw = DEFAULT_DECODERS["executor"][0].decode(text)
    out: dict[str, Any] = {
        "items": [{name: _plain(array) for name, array in item.items()} for item in raw],
        "passthrough_tensor": (
            _plain(raw.passthrough_data["tensor"]) if "tensor" in (raw.passthrough_data or {}) else None
        ),
    }
    decoded = reduce(
        lambda value, decoder: decoder.decode(value) if decoder.is_applicable(value) else value,
        DEFAULT_DECODERS["executor"],
        text,
    )
    if decoded is not raw and type(decoded).__name__ == "PrimitiveResult":
        out["sampler"] = _sampler(decoded)
    return out


def main() -> None:
    HERE.mkdir(exist_ok=True)
    answers = {}
    for name, text in cases().items():
        (HERE / f"{name}.json").write_text(text + "\n")
        answers[name] = expected(text)
    (HERE / "expected.json").write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
