"""Run under an interpreter with qiskit-ibm-runtime: write what qiskit reads from result payloads.

    python3 tests/primitives/qiskit/run.py            # creates .venv-qiskit if missing
    python3 tests/primitives/qiskit/run.py --python /work/qiskit-venv/bin/python

For every qiskit-encoded result (the corpus in tests/realworld/qiskit/results and the
payloads written here), qiskit-ibm-runtime's RuntimeDecoder decodes it and this script
records what qiskit computes: per PUB and register get_counts() (all shots and per sweep
point), get_int_counts(), get_bitstrings(), num_shots, num_bits, shape; per Estimator PUB
evs, stds, ensemble_standard_error as lists. It also encodes, with qiskit's RuntimeEncoder,
seeded BitArrays the corpus lacks (many bits, 2-D sweeps, Fortran-ordered arrays) so the
decoder is checked on them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from qiskit.primitives import BitArray, DataBin, PrimitiveResult, SamplerPubResult
from qiskit_ibm_runtime import RuntimeDecoder, RuntimeEncoder

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "realworld" / "qiskit" / "results"


def generated_payloads() -> dict[str, str]:
    rng = np.random.default_rng(9)
    registers = {
        # 20 random bits: three bytes per shot, the leading one partly padding.
        "wide": BitArray.from_samples([int(x) for x in rng.integers(0, 2**20, 2000)], num_bits=20),
        # 16 bits: no padding at all.
        "exact": BitArray.from_samples([int(x) for x in rng.integers(0, 2**16, 300)], num_bits=16),
    }
    sweep = rng.integers(0, 256, size=(2, 3, 50, 2), dtype=np.uint8)
    sweep[..., 0] &= 0b11  # 10 bits
    fortran = np.asfortranarray(sweep)
    pubs = [
        SamplerPubResult(DataBin(**registers), metadata={"circuit_metadata": {"name": "wide"}}),
        SamplerPubResult(
            DataBin(c=BitArray(sweep, 10), f=BitArray(fortran, 10), shape=(2, 3)),
            metadata={"circuit_metadata": {}},
        ),
    ]
    result = PrimitiveResult(pubs, metadata={"version": 2})
    return {"sampler_generated.json": json.dumps(result, cls=RuntimeEncoder, indent=1)}


def executor_tensors() -> dict[str, object]:
    """TensorModels as qiskit-ibm-runtime's schemas package encodes them, and what reads back."""
    from ibm_quantum_schemas.common.tensor import TensorModel

    rng = np.random.default_rng(11)
    arrays = {
        "f64": rng.standard_normal((2, 3)),
        "f64_scalar": np.array(0.125),
        "u8": rng.integers(0, 256, (4, 5), dtype=np.uint8),
        "c128": rng.standard_normal((3,)) + 1j * rng.standard_normal((3,)),
        "bool_odd": rng.integers(0, 2, (3, 7)).astype(bool),
        "meas": rng.integers(0, 2, (2, 40, 11)).astype(bool),
    }
    out: dict[str, object] = {}
    for name, array in arrays.items():
        model = TensorModel.from_numpy(array)
        decoded = model.to_numpy()
        values = decoded.tolist()
        if decoded.dtype.kind == "c":
            values = [[z.real, z.imag] for z in decoded.ravel().tolist()]
        entry: dict[str, object] = {"model": json.loads(model.model_dump_json()), "values": values}
        if name == "meas":
            bits = BitArray.from_bool_array(decoded, order="little")
            entry["counts"] = bits.get_counts()
            entry["counts_per_point"] = [bits.get_counts(i) for i in range(decoded.shape[0])]
        out[name] = entry
    return out


def expected(result: PrimitiveResult) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for pub in result:
        entry: dict[str, object] = {}
        for name in pub.data:
            value = pub.data[name]
            if isinstance(value, BitArray):
                per_point = {
                    ",".join(map(str, idx)): value.get_counts(idx) for idx in np.ndindex(value.shape)
                }
                entry[name] = {
                    "counts": value.get_counts(),
                    "int_counts": {str(k): v for k, v in value.get_int_counts().items()},
                    "bitstrings": value.get_bitstrings(),
                    "counts_per_point": per_point,
                    "num_shots": value.num_shots,
                    "num_bits": value.num_bits,
                    "shape": list(value.shape),
                }
            else:
                entry[name] = {"values": np.asarray(value).tolist(), "shape": list(np.shape(value))}
        out.append(entry)
    return out


def main() -> None:
    payloads = {path.name: path.read_text() for path in sorted(CORPUS.glob("*.json"))}
    for name, text in generated_payloads().items():
        (HERE / name).write_text(text + "\n")
        payloads[name] = text
    answers = {name: expected(json.loads(text, cls=RuntimeDecoder)) for name, text in payloads.items()}
    (HERE / "executor_tensors.json").write_text(
        json.dumps(executor_tensors(), indent=1, sort_keys=True) + "\n"
    )
    (HERE / "expected.json").write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
