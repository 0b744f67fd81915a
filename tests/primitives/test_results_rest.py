"""The REST form (jobs sent as OpenQASM 3), from the corpus and hand-made edge cases."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from iqp_wrapper.errors import IQPError
from iqp_wrapper.primitives import EstimatorResult, ResultFormatError, SamplerResult
from tests.realworld.corpus import load


def _sampler(samples: Any, num_bits: int, register: str = "meas") -> dict[str, Any]:
    return {"results": [{"data": {register: {"samples": samples, "num_bits": num_bits}}, "metadata": {}}]}


def test_corpus_sampler_counts_are_the_samples_counted() -> None:
    data = load("rest/results/sampler_qasm3.json")
    result = SamplerResult.from_json(data)
    assert not result.encoded
    for pub, raw in zip(result, data["results"], strict=True):
        for name, register in raw["data"].items():
            samples = register["samples"]
            flat = [s for row in samples for s in row] if isinstance(samples[0], list) else samples
            n = register["num_bits"]
            want = Counter(format(int(s, 16), f"0{n}b") for s in flat)
            assert pub.data[name].get_counts() == dict(want)
            assert pub.data[name].get_bitstrings() == [format(int(s, 16), f"0{n}b") for s in flat]


def test_corpus_estimator_values() -> None:
    result = EstimatorResult.from_json(load("rest/results/estimator_qasm3.json"))
    assert result[0].data.evs == 0.9521 and result[0].data.shape == ()
    assert result[1].data.shape == (2, 3)
    assert result[1].data.stds == [[0.01, 0.012, 0.011], [0.0, 0.015, 0.009]]
    assert result[0].metadata.shots == 4096 and result[0].metadata.num_randomizations == 32
    assert result.metadata["version"] == 2


@pytest.mark.parametrize("num_bits", [1, 3, 4, 7, 8, 9, 16, 20, 33])
def test_hex_counts_for_any_width(num_bits: int) -> None:
    values = [0, 1, (1 << num_bits) - 1, (1 << num_bits) // 3, 1, 0]
    samples = [hex(v) for v in values]
    bits = SamplerResult.from_json(_sampler(samples, num_bits))[0].data.meas
    assert bits.get_counts() == dict(Counter(format(v, f"0{num_bits}b") for v in values))
    assert bits.get_int_counts() == dict(Counter(values))


def test_sweep_samples_give_a_shape_and_counts_per_point() -> None:
    samples = [
        [["0x0", "0x1"], ["0x1", "0x1"], ["0x3", "0x0"]],
        [["0x2", "0x2"], ["0x0", "0x0"], ["0x1", "0x3"]],
    ]
    bits = SamplerResult.from_json(json.dumps(_sampler(samples, 2)))[0].data.meas
    assert (bits.shape, bits.num_shots) == ((2, 3), 2)
    assert bits.get_counts((1, 0)) == {"10": 2}
    assert bits.get_counts((0, 2)) == {"11": 1, "00": 1}
    assert sum(bits.get_counts().values()) == 12


@pytest.mark.parametrize(
    ("data", "pub", "field"),
    [
        (_sampler(["0x0", "zz"], 2), 0, "meas"),
        (_sampler(["0x0", 3], 2), 0, "meas"),
        (_sampler(["0x0", "0x10"], 2), 0, "meas"),
        (_sampler(["0x0"], -1), 0, "meas"),
        (_sampler("0x0", 2), 0, "meas"),
        (_sampler([["0x0"], ["0x1", "0x2"]], 2), 0, "meas"),
        ({"results": [{"data": {"evs": [1.0, [2.0]], "stds": 0.0}}]}, 0, "evs"),
        ({"results": [{"data": {"evs": 1.0}}]}, 0, "stds"),
        ({"results": [{"data": {"evs": [1.0, 2.0], "stds": [0.1]}}]}, 0, "stds"),
    ],
)
def test_malformed_data_names_the_pub_and_field(data: Any, pub: int, field: str) -> None:
    decode = EstimatorResult.from_json if "evs" in json.dumps(data) else SamplerResult.from_json
    with pytest.raises(ResultFormatError) as caught:
        result = decode(data)
        for p in result:  # counting is lazy: a bad sample shows when counted
            for bits in getattr(p.data, "values", lambda: [])():
                bits.get_counts()
    assert isinstance(caught.value, IQPError)
    assert (caught.value.pub, caught.value.field) == (pub, field)
    assert f"PUB {pub}" in str(caught.value)


@pytest.mark.parametrize("data", [[], "not json", {"other": 1}, {"results": {}}])
def test_not_a_result_at_all(data: Any) -> None:
    with pytest.raises(ResultFormatError):
        SamplerResult.from_json(data)


def test_unknown_register_attribute_says_which_exist() -> None:
    result = SamplerResult.from_json(_sampler(["0x1"], 1, register="c"))
    with pytest.raises(AttributeError, match=r"\['c'\]"):
        result[0].data.meas  # noqa: B018


@pytest.mark.parametrize("num_bits", [3, 12, 20, 40])
def test_many_shots_both_counting_strategies(num_bits: int) -> None:
    # Few distinct outcomes (3 bits) and nearly all distinct (20, 40 bits) take different
    # counting paths; both must give the plain count.
    import random

    rng = random.Random(num_bits)
    values = [rng.getrandbits(num_bits) for _ in range(3000)]
    samples = [[hex(v) for v in values[:1500]], [hex(v) for v in values[1500:]]]
    bits = SamplerResult.from_json(_sampler(samples, num_bits))[0].data.meas
    strings = [format(v, f"0{num_bits}b") for v in values]
    assert bits.get_counts() == dict(Counter(strings))
    assert bits.get_counts((1,)) == dict(Counter(strings[1500:]))
    assert bits.get_bitstrings() == strings
    assert bits.get_int_counts() == dict(Counter(values))
