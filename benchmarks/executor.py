"""Decoding executor v2.0 Sampler-role results: the Measured section of issue 18.

A result of 100 items x 10,000 shots x 20 random bits (about 10k distinct outcomes per
item, the worst case for counting), as the executor answers qiskit-ibm-runtime's
executor Sampler (``semantic_role: "sampler_v2"``, bool tensors zlib-compressed):
- speed: ``json.loads`` + decode + counts of every item, against qiskit-ibm-runtime 0.51's
  own post-processing of the same text (the decoder chain ``RuntimeJobV2.result()``
  applies for program ``executor``, then ``get_counts()``), timed in qiskit's own venv
  (``IQP_BENCH_QISKIT_PYTHON`` or benchmarks/.venv-qiskit; target: at least 2x faster);
- peak memory (tracemalloc) while decoding and counting every item, over the parsed
  JSON, against the inflated tensors (target: within 2x).

The payload is written here, by the layout of ibm-quantum-schemas' CompressedTensorModel
(little-endian packed booleans, zlib, base64); qiskit validates it with IBM's pydantic
model when it decodes it, and its distinct outcomes are checked equal to ours.
"""

from __future__ import annotations

import base64
import gc
import json
import random
import subprocess
import tempfile
import tracemalloc
import zlib
from pathlib import Path

from benchmarks.qiskit_env import qiskit_python
from benchmarks.report import Row, verdict
from benchmarks.timing import compare
from iqp_wrapper.primitives import ExecutorResult

HERE = Path(__file__).resolve().parent
SECTION = "executor"


def payload(items: int, shots: int, bits: int, seed: int = 18) -> tuple[str, int]:
    """A sampler_v2 executor v2.0 result as text, and the bytes of its inflated tensors."""
    rng = random.Random(seed)
    data = []
    inflated = 0
    for _ in range(items):
        # Value i of the (shots, bits) tensor is bit i of one little-endian integer.
        raw = rng.getrandbits(shots * bits).to_bytes((shots * bits + 7) // 8, "little")
        inflated += len(raw)
        tensor = {
            "data": base64.b64encode(zlib.compress(raw)).decode(),
            "shape": [shots, bits],
            "dtype": "bool",
        }
        metadata = {"scheduler_timing": None, "stretch_values": None}
        data.append({"results": {"meas": tensor}, "metadata": metadata})
    post = {"version": "v0.1", "twirling": False, "meas_type": "classified", "shots": shots, "options": {}}
    result = {
        "schema_version": "v2.0",
        "data": data,
        "metadata": {"chunk_timing": []},
        "passthrough_data": {"post_processor": {**post, "circuits_metadata": [{}] * items}},
        "semantic_role": "sampler_v2",
    }
    return json.dumps(result), inflated


def _counts(text: str) -> int:
    distinct = 0
    for pub in ExecutorResult.from_json(json.loads(text)).sampler_result():
        distinct += len(pub.data.meas.get_counts())
    return distinct


def _peak(text: str) -> tuple[float, float]:
    """(MB held by the parsed JSON, MB peak over it while decoding and counting every item)."""
    gc.collect()
    tracemalloc.start()
    data = json.loads(text)
    parsed, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    for pub in ExecutorResult.from_json(data).sampler_result():
        pub.data.meas.get_counts()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return parsed / 1e6, (peak - parsed) / 1e6


def _qiskit(text: str, number: int, repeat: int) -> dict[str, float] | str:
    python = qiskit_python()
    if isinstance(python, str):
        return python
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "executor.json"
        path.write_text(text)
        command = [str(python), str(HERE / "qiskit_executor.py"), str(path), str(number), str(repeat)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        return "run failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    result: dict[str, float] = json.loads(done.stdout)
    return result


def rows(*, quick: bool) -> list[Row]:
    items, shots, bits = (10, 2_000, 20) if quick else (100, 10_000, 20)
    number, repeat = (1, 2) if quick else (1, 5)
    text, inflated = payload(items, shots, bits)
    shape = f"{items} items x {shots} shots x {bits} bits"
    timings = compare(
        {"loads": lambda: json.loads(text), "counts": lambda: _counts(text)}, number=number, repeat=repeat
    )
    ours = timings["counts"]
    qiskit = _qiskit(text, number, repeat)
    if isinstance(qiskit, str):
        compared, target, result = f"qiskit-ibm-runtime: {qiskit}", "2x faster than qiskit", ""
    else:
        speedup = qiskit["best"] / ours.best
        if int(qiskit["distinct"]) != _counts(text):
            raise AssertionError("qiskit and iqp_wrapper counted different outcomes")
        compared = (
            f"qiskit executor decoders + get_counts {qiskit['best'] * 1e3:.1f} ms "
            f"(median {qiskit['median'] * 1e3:.1f}): {speedup:.2f}x faster"
        )
        target, result = "at least 2x faster than qiskit", verdict(speedup >= 2)
    parsed, peak = _peak(text)
    return [
        Row(
            SECTION,
            f"executor v2.0 sampler_v2 result ({len(text) / 1e6:.1f} MB, {shape}): "
            "json.loads + decode + counts of every item, no numpy",
            ours.ms(),
            compared + f"; json.loads alone {timings['loads'].ms()}",
            target,
            result,
        ),
        Row(
            SECTION,
            "peak memory decoding and counting it (tracemalloc, over the parsed JSON)",
            f"peak {peak:.2f} MB over the parsed JSON's {parsed:.1f} MB ({peak + parsed:.1f} MB with it)",
            f"inflated tensors {inflated / 1e6:.2f} MB: {peak / (inflated / 1e6):.2f}x",
            "within 2x of the inflated tensors",
            verdict(peak <= 2 * inflated / 1e6),
        ),
    ]


if __name__ == "__main__":
    from benchmarks.report import render

    print(render(rows(quick=False)))
