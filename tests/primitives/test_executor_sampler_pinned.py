"""Executor results read as a Sampler's: behaviour that mutation testing found unpinned.

Twirled registers are checked against a plain reference written here from the layout
qiskit-ibm-runtime documents (``(randomizations, *sweep, shots, bits)``, bit flips of
``(randomizations, *sweep, 1 or shots, bits)`` XORed in, randomizations merged into the
shots of their sweep point); the recorded qiskit payloads (test_executor_v2_results.py)
cover the common shapes, these the others: two randomizations, per-shot flips, flips without
twirling, eight-bit registers, and every refusal with the item and field it names.
"""

from __future__ import annotations

import base64
import math
import random
import zlib
from collections import Counter
from typing import Any

import pytest

from iqp_wrapper.primitives import ExecutorResult, ResultFormatError

POST = "passthrough_data.post_processor"


def _model(bits: list[int], shape: list[int], dtype: str = "bool") -> dict[str, Any]:
    """A CompressedTensorModel of booleans (packed, first value in the lowest bit)."""
    packed = bytearray((len(bits) + 7) // 8)
    for i, bit in enumerate(bits):
        packed[i >> 3] |= bit << (i & 7)
    raw = bytes(packed) if dtype == "bool" else bytes(bits)
    return {"data": base64.b64encode(zlib.compress(raw)).decode(), "shape": shape, "dtype": dtype}


def _random_bits(shape: list[int], seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.randint(0, 1) for _ in range(math.prod(shape))]


def _result(
    items: list[dict[str, Any]],
    *,
    twirling: bool = False,
    role: Any = "sampler_v2",
    item_metadata: Any = None,
    **post: Any,
) -> dict[str, Any]:
    processor = {"version": "v0.1", "twirling": twirling, "meas_type": "classified", "shots": 7}
    processor |= {"options": {"default_shots": 7}} | post
    return {
        "schema_version": "v2.0",
        "data": [{"results": outputs, "metadata": item_metadata} for outputs in items],
        "metadata": {"chunk_timing": ["t"]},
        "passthrough_data": {"post_processor": processor},
        "semantic_role": role,
    }


def _expected_shots(
    reg: list[int], flips: list[int] | None, *, r: int, points: int, shots: int, flip_shots: int, bits: int
) -> list[list[str]]:
    """Bit strings per sweep point: the randomizations' shots one after the other, each
    XORed with its flips, column 0 rightmost."""

    def row(data: list[int], index: int) -> list[int]:
        return data[index * bits : (index + 1) * bits]

    out = []
    for p in range(points):
        strings = []
        for k in range(r):
            for j in range(shots):
                values = row(reg, (k * points + p) * shots + j)
                if flips is not None:
                    mask = row(flips, (k * points + p) * flip_shots + (j if flip_shots == shots else 0))
                    values = [a ^ b for a, b in zip(values, mask, strict=True)]
                strings.append("".join(str(v) for v in reversed(values)))
        out.append(strings)
    return out


@pytest.mark.parametrize(
    ("r", "sweep", "shots", "flip_shots", "bits"),
    [
        (2, [2], 3, 1, 8),  # two randomizations, eight bits: one byte a shot, no spare bit
        (2, [3], 4, 4, 5),  # a flip row for every shot
        (3, [], 2, 2, 9),  # no sweep, per-shot flips over two bytes
        (2, [2, 2], 2, 1, 16),
    ],
)
def test_twirled_registers_match_the_reference(
    r: int, sweep: list[int], shots: int, flip_shots: int, bits: int
) -> None:
    reg_shape, flip_shape = [r, *sweep, shots, bits], [r, *sweep, flip_shots, bits]
    reg, flips = _random_bits(reg_shape, 1), _random_bits(flip_shape, 2)
    data = _result(
        [{"c": _model(reg, reg_shape), "measurement_flips.c": _model(flips, flip_shape)}], twirling=True
    )
    pub = ExecutorResult.from_json(data).sampler_result()[0]
    bits_of = pub.data.c
    points = math.prod(sweep)
    want = _expected_shots(reg, flips, r=r, points=points, shots=shots, flip_shots=flip_shots, bits=bits)
    assert (bits_of.shape, bits_of.num_shots, bits_of.num_bits) == (tuple(sweep), r * shots, bits)
    for p, strings in enumerate(want):
        loc = tuple(int(i) for i in _unravel(p, sweep))
        assert bits_of.get_bitstrings(loc) == strings
        assert bits_of.get_counts(loc) == dict(Counter(strings))
    assert bits_of.get_int_counts() == dict(Counter(int(s, 2) for ss in want for s in ss))
    assert pub.metadata.num_randomizations == r


def _unravel(flat: int, shape: list[int]) -> list[int]:
    index = []
    for d in reversed(shape):
        index.append(flat % d)
        flat //= d
    return list(reversed(index))


@pytest.mark.parametrize("flip_shots", [1, 3])
def test_bit_flips_without_twirling_are_undone_too(flip_shots: int) -> None:
    reg, flips = _random_bits([2, 3, 6], 3), _random_bits([2, flip_shots, 6], 4)
    outputs = {"m": _model(reg, [2, 3, 6]), "measurement_flips.m": _model(flips, [2, flip_shots, 6])}
    bits = ExecutorResult.from_json(_result([outputs])).sampler_result()[0].data.m
    want = _expected_shots(reg, flips, r=1, points=2, shots=3, flip_shots=flip_shots, bits=6)
    assert [bits.get_bitstrings(p) for p in range(2)] == want


def test_no_randomizations_give_no_shots() -> None:
    data = _result([{"c": _model([], [0, 4, 3])}], twirling=True)
    bits = ExecutorResult.from_json(data).sampler_result()[0].data.c
    assert (bits.num_shots, bits.get_counts(), bits.get_bitstrings()) == (0, {}, [])


def test_the_result_and_pub_metadata() -> None:
    data = _result(
        [{"c": _model([1, 0], [1, 2])}],
        item_metadata={"scheduler_timing": None, "stretch_values": {"s": [1.5]}},
        circuits_metadata=[{"name": "bell"}],
    )
    sampler = ExecutorResult.from_json(data).sampler_result()
    assert sampler.metadata == {
        "executor": {"chunk_timing": ["t"]},
        "options": {"default_shots": 7},
        "shots": 7,
    }
    assert sampler[0].metadata.raw == {
        "circuit_metadata": {"name": "bell"},
        "compilation": {"stretch_values": {"s": [1.5]}},
    }
    assert sampler[0].metadata.num_randomizations is None


def test_a_result_without_a_role_keeps_only_the_job_metadata() -> None:
    outputs = {"c": _model([1, 0], [1, 2]), "table": _model([1, 2, 3, 4], [2, 2], "u8")}
    sampler = ExecutorResult.from_json(_result([outputs], role=None)).sampler_result()
    assert sampler.metadata == {"executor": {"chunk_timing": ["t"]}}
    # The u8 output with two axes is not a register: only bool tensors of shots are.
    assert list(sampler[0].data) == ["c"]
    assert sampler[0].metadata.raw == {"circuit_metadata": {}}


def _refusal(data: dict[str, Any]) -> ResultFormatError:
    with pytest.raises(ResultFormatError) as caught:
        ExecutorResult.from_json(data).sampler_result()
    return caught.value


def _with_post(**changes: Any) -> dict[str, Any]:
    data = _result([{"c": _model([1, 0], [1, 2])}])
    data["passthrough_data"]["post_processor"] |= changes
    return data


@pytest.mark.parametrize(
    "data",
    [
        {**_result([{"c": _model([1, 0], [1, 2])}]), "passthrough_data": None},
        {**_result([{"c": _model([1, 0], [1, 2])}]), "passthrough_data": {"other": 1}},
        _with_post(version="v9"),
        _with_post(meas_type="kerneled"),
        _with_post(twirling="yes"),
    ],
)
def test_bad_post_processing_data_names_the_post_processor(data: dict[str, Any]) -> None:
    error = _refusal(data)
    assert (error.pub, error.field) == (None, POST)


def test_circuit_metadata_for_another_number_of_items_is_refused() -> None:
    error = _refusal(_with_post(circuits_metadata=[{}, {}]))
    assert (error.pub, error.field) == (None, POST + ".circuits_metadata")


def test_another_role_names_the_role() -> None:
    error = _refusal(_result([{"c": _model([1, 0], [1, 2])}], role="estimator_v2"))
    assert (error.pub, error.field) == (None, "semantic_role")


GOOD = _model([1, 0, 1, 1], [2, 2])
TWIRLED = _model([0] * 12, [2, 3, 2])


@pytest.mark.parametrize(
    ("outputs", "twirling", "field"),
    [
        ({}, False, "results"),
        ({"c": GOOD, "measurement_flips.d": GOOD}, False, "measurement_flips.d"),
        ({"c": GOOD, "u": _model([1, 2, 3, 4], [2, 2], "u8")}, False, "u"),
        ({"c": TWIRLED, "flat": GOOD}, True, "flat"),
        # registers that disagree on the sweep (first, last axis) or on randomizations
        ({"a": _model([0] * 4, [2, 1, 2]), "b": _model([0] * 6, [3, 1, 2])}, False, "results"),
        ({"a": _model([0] * 8, [2, 2, 1, 2]), "b": _model([0] * 12, [2, 3, 1, 2])}, False, "results"),
        ({"a": _model([0] * 8, [2, 2, 1, 2]), "b": _model([0] * 12, [2, 3, 1, 2])}, True, "results"),
        ({"a": _model([0] * 8, [2, 2, 1, 2]), "b": _model([0] * 16, [4, 2, 1, 2])}, True, "results"),
        # flips whose shot axis is neither 1 nor the register's shots
        ({"c": TWIRLED, "measurement_flips.c": _model([0] * 8, [2, 2, 2])}, True, "measurement_flips.c"),
    ],
)
def test_a_bad_register_names_the_item_and_the_output(
    outputs: dict[str, Any], twirling: bool, field: str
) -> None:
    data = _result([{"c": GOOD} if not twirling else {"c": TWIRLED}, outputs], twirling=twirling)
    error = _refusal(data)
    assert (error.pub, error.field) == (1, field)
