"""Decoding Sampler results: the Speed section of issue 9.

A Sampler result of 100 PUBs x 10,000 shots x 20 random bits (about 10k distinct
outcomes per PUB, the worst case for counting), in both wire forms:
- REST form: ``json.loads`` + counts of every PUB, against ``json.loads`` alone (target:
  within 5x);
- qiskit's encoded form: our decode + counts, against qiskit-ibm-runtime's
  ``RuntimeDecoder`` + ``get_counts()`` on the same text, timed in qiskit's own venv
  (``IQP_BENCH_QISKIT_PYTHON`` or benchmarks/.venv-qiskit; target: at least 2x faster);
- peak memory (tracemalloc) while decoding, against the parsed JSON's (target: within 2x).

The encoded payload is written here (``.npy`` header, zlib, base64: the layout qiskit's
encoder produces); qiskit decodes the same text, and its total counts are checked equal
to ours.
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
from iqp_wrapper.primitives import SamplerResult

HERE = Path(__file__).resolve().parent
SECTION = "primitives"


def payloads(pubs: int, shots: int, bits: int, seed: int = 9) -> tuple[str, str]:
    """The same random shots as REST-form text and as qiskit-encoded text."""
    rng = random.Random(seed)
    nb = (bits + 7) // 8
    rest_pubs = []
    encoded_pubs = []
    for _ in range(pubs):
        values = [rng.getrandbits(bits) for _ in range(shots)]
        rest_pubs.append(
            {"data": {"meas": {"samples": [hex(v) for v in values], "num_bits": bits}}, "metadata": {}}
        )
        raw = b"".join(v.to_bytes(nb, "big") for v in values)
        array = {
            "__type__": "ndarray",
            "__value__": base64.b64encode(zlib.compress(_npy(raw, (shots, nb)))).decode(),
        }
        bit_array = {"__type__": "BitArray", "__value__": {"array": array, "num_bits": bits}}
        databin = {
            "__type__": "DataBin",
            "__value__": {"field_names": ["meas"], "shape": [], "fields": {"meas": bit_array}},
        }
        encoded_pubs.append(
            {
                "__type__": "SamplerPubResult",
                "__value__": {"data": databin, "metadata": {"circuit_metadata": {}}},
            }
        )
    rest = json.dumps({"results": rest_pubs, "metadata": {"version": 2}})
    encoded = json.dumps(
        {"__type__": "PrimitiveResult", "__value__": {"pub_results": encoded_pubs, "metadata": {}}}
    )
    return rest, encoded


def _npy(body: bytes, shape: tuple[int, ...]) -> bytes:
    header = f"{{'descr': '|u1', 'fortran_order': False, 'shape': {shape!r}, }}"
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode("latin-1") + body


def _counts(text: str) -> int:
    result = SamplerResult.from_json(json.loads(text))
    distinct = 0
    for pub in result:
        distinct += len(pub.data.meas.get_counts())
    return distinct


def _peak(text: str) -> tuple[float, float]:
    """(MB held by the parsed JSON, MB peak while decoding and counting every PUB)."""
    gc.collect()
    tracemalloc.start()
    data = json.loads(text)
    parsed, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    for pub in SamplerResult.from_json(data):
        pub.data.meas.get_counts()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return parsed / 1e6, peak / 1e6


def _qiskit(encoded: str, number: int, repeat: int) -> dict[str, float] | str:
    python = qiskit_python()
    if isinstance(python, str):
        return python
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "encoded.json"
        path.write_text(encoded)
        command = [str(python), str(HERE / "qiskit_primitives.py"), str(path), str(number), str(repeat)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        return "run failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    result: dict[str, float] = json.loads(done.stdout)
    return result


def rows(*, quick: bool) -> list[Row]:
    pubs, shots, bits = (10, 2_000, 20) if quick else (100, 10_000, 20)
    number, repeat = (1, 2) if quick else (1, 5)
    rest, encoded = payloads(pubs, shots, bits)
    shape = f"{pubs} PUBs x {shots} shots x {bits} bits"
    timings = compare(
        {
            "rest_loads": lambda: json.loads(rest),
            "rest_counts": lambda: _counts(rest),
            "encoded_loads": lambda: json.loads(encoded),
            "encoded_counts": lambda: _counts(encoded),
        },
        number=number,
        repeat=repeat,
    )
    out: list[Row] = []
    rest_ratio = timings["rest_counts"].best / timings["rest_loads"].best
    out.append(
        Row(
            SECTION,
            f"REST form ({len(rest) / 1e6:.1f} MB, {shape}): json.loads + counts of every PUB",
            timings["rest_counts"].ms(),
            f"json.loads alone {timings['rest_loads'].ms()}: {rest_ratio:.2f}x",
            "within 5x of json.loads",
            verdict(rest_ratio <= 5),
        )
    )
    qiskit = _qiskit(encoded, number, repeat)
    ours = timings["encoded_counts"]
    if isinstance(qiskit, str):
        compared, target, result = f"qiskit-ibm-runtime: {qiskit}", "2x faster than qiskit", ""
    else:
        speedup = qiskit["best"] / ours.best
        if int(qiskit["distinct"]) != _counts(encoded):
            raise AssertionError("qiskit and iqp_wrapper counted different outcomes")
        compared = (
            f"qiskit RuntimeDecoder + get_counts {qiskit['best'] * 1e3:.1f} ms "
            f"(median {qiskit['median'] * 1e3:.1f}): {speedup:.2f}x faster"
        )
        target, result = "at least 2x faster than qiskit", verdict(speedup >= 2)
    out.append(
        Row(
            SECTION,
            f"encoded form ({len(encoded) / 1e6:.1f} MB, {shape}): json.loads + decode + counts, no numpy",
            ours.ms(),
            compared + f"; json.loads alone {timings['encoded_loads'].ms()}",
            target,
            result,
        )
    )
    for name, text in (("REST form", rest), ("encoded form", encoded)):
        parsed, peak = _peak(text)
        out.append(
            Row(
                SECTION,
                f"peak memory decoding the {name} (tracemalloc)",
                f"peak {peak:.1f} MB (the parsed JSON included)",
                f"parsed JSON {parsed:.1f} MB: {peak / parsed:.2f}x",
                "within 2x of the parsed JSON",
                verdict(peak <= 2 * parsed),
            )
        )
    return out
