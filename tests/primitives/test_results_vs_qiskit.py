"""qiskit-ibm-runtime's own results decode to what qiskit computes from them.

The expected values in qiskit/expected.json were written by qiskit/produce.py running
qiskit-ibm-runtime's RuntimeDecoder over the same payloads (see its docstring).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper.primitives import EstimatorResult, SamplerResult

HERE = Path(__file__).resolve().parent / "qiskit"
CORPUS = HERE.parents[1] / "realworld" / "qiskit" / "results"
EXPECTED: dict[str, Any] = json.loads((HERE / "expected.json").read_text())


def _payload(name: str) -> str:
    path = CORPUS / name if (CORPUS / name).exists() else HERE / name
    return path.read_text()


SAMPLER_FILES = [name for name in EXPECTED if "sampler" in name]
ESTIMATOR_FILES = [name for name in EXPECTED if "estimator" in name]


def test_every_qiskit_corpus_result_has_expectations() -> None:
    corpus = {path.name for path in CORPUS.glob("*.json")}
    assert corpus and corpus <= set(EXPECTED)


@pytest.mark.parametrize("name", SAMPLER_FILES)
def test_sampler_counts_match_qiskit(name: str) -> None:
    result = SamplerResult.from_json(_payload(name))
    assert result.encoded
    assert len(result) == len(EXPECTED[name])
    for pub, expected in zip(result, EXPECTED[name], strict=True):
        assert sorted(pub.data) == sorted(expected)
        for register, want in expected.items():
            bits = pub.data[register]
            assert bits is getattr(pub.data, register)
            assert bits.get_counts() == want["counts"]
            assert bits.get_int_counts() == {int(k): v for k, v in want["int_counts"].items()}
            assert bits.get_bitstrings() == want["bitstrings"]
            assert (bits.num_shots, bits.num_bits, list(bits.shape)) == (
                want["num_shots"],
                want["num_bits"],
                want["shape"],
            )
            for point, counts in want["counts_per_point"].items():
                loc = tuple(int(i) for i in point.split(",")) if point else ()
                assert bits.get_counts(loc) == counts


@pytest.mark.parametrize("name", ESTIMATOR_FILES)
def test_estimator_values_match_qiskit(name: str) -> None:
    result = EstimatorResult.from_json(json.loads(_payload(name)))
    for pub, expected in zip(result, EXPECTED[name], strict=True):
        assert list(pub.data.shape) == expected["evs"]["shape"]
        assert pub.data.evs == expected["evs"]["values"]
        assert pub.data.stds == expected["stds"]["values"]
        assert pub.data.ensemble_standard_error == expected["ensemble_standard_error"]["values"]
        if not pub.data.shape:
            assert isinstance(pub.data.evs, float)


def test_to_numpy_matches_the_packed_layout() -> None:
    numpy = pytest.importorskip("numpy")
    result = SamplerResult.from_json(_payload("sampler_generated.json"))
    c, f = result[1].data.c.to_numpy(), result[1].data.f.to_numpy()
    assert c.shape == (2, 3, 50, 2) and c.dtype == numpy.uint8
    assert (c == f).all()
