"""Decoding behaviour that mutation testing found unpinned (docs/mutation.md, issue 23).

Each test states what a user of a result relies on: which shots a ``loc`` counts, which
``loc`` is refused, what an empty or sparse result decodes to, and which arrays are refused
rather than decoded wrongly.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections import Counter
from typing import Any

import pytest

from iqp_wrapper.primitives import BitArray, EstimatorResult, ResultFormatError, SamplerResult

SWEEP = [
    [["0x0", "0x1"], ["0x1", "0x1"], ["0x3", "0x0"]],
    [["0x2", "0x2"], ["0x0", "0x0"], ["0x1", "0x3"]],
]


def _sampler(samples: Any, num_bits: Any, **extra: Any) -> dict[str, Any]:
    return {"results": [{"data": {"meas": {"samples": samples, "num_bits": num_bits}}, **extra}]}


def _rest_sweep() -> BitArray:
    return SamplerResult.from_json(_sampler(SWEEP, 2))[0].data.meas


def _packed_sweep() -> BitArray:
    # The same shots as SWEEP, packed one byte per shot.
    packed = bytes(int(s, 16) for row in SWEEP for point in row for s in point)
    return BitArray.from_packed(packed, shape=(2, 3), num_shots=2, num_bits=2)


BOTH_FORMS = pytest.mark.parametrize("make", [_rest_sweep, _packed_sweep], ids=["rest", "packed"])


@BOTH_FORMS
def test_int_counts_at_a_loc_count_that_sweep_point_only(make: Any) -> None:
    bits = make()
    assert bits.get_int_counts((1, 2)) == {1: 1, 3: 1}
    assert bits.get_int_counts((0, 1)) == {1: 2}
    assert sum(bits.get_int_counts().values()) == 12


@BOTH_FORMS
def test_negative_loc_counts_from_the_end(make: Any) -> None:
    bits = make()
    assert bits.get_counts((-1, -1)) == bits.get_counts((1, 2)) == {"01": 1, "11": 1}
    assert bits.get_int_counts((-2, 0)) == bits.get_int_counts((0, 0))
    assert bits.get_bitstrings((0, -3)) == bits.get_bitstrings((0, 0)) == ["00", "01"]


@BOTH_FORMS
@pytest.mark.parametrize("loc", [(2, 0), (0, 3), (-3, 0), (0, -4), (0,), (0, 0, 0), 0])
def test_a_loc_outside_the_shape_is_refused(make: Any, loc: Any) -> None:
    bits = make()
    for read in (bits.get_counts, bits.get_int_counts, bits.get_bitstrings):
        with pytest.raises(IndexError) as refused:
            read(loc)
        # What to fix: the loc given and the shape it must index.
        assert repr(loc) in str(refused.value) and "(2, 3)" in str(refused.value)


def test_an_int_loc_indexes_a_one_axis_sweep() -> None:
    bits = SamplerResult.from_json(_sampler([["0x1", "0x1"], ["0x2", "0x0"]], 2))[0].data.meas
    assert bits.get_counts(1) == {"10": 1, "00": 1}
    assert bits.get_counts(-2) == {"01": 2}
    with pytest.raises(IndexError):
        bits.get_counts(2)


def test_empty_samples_decode_to_no_shots() -> None:
    bits = SamplerResult.from_json(_sampler([], 3))[0].data.meas
    assert (bits.num_shots, bits.shape) == (0, ())
    assert bits.get_counts() == {} and bits.get_int_counts() == {} and bits.get_bitstrings() == []


def test_packed_registers_wider_than_a_word_give_integers_and_strings() -> None:
    # 72 bits: no machine word holds a shot, so keys stay bytes (read big-endian).
    values = [1 << 71 | 5, 3, 1 << 71 | 5]
    packed = b"".join(v.to_bytes(9, "big") for v in values)
    bits = BitArray.from_packed(packed, shape=(), num_shots=3, num_bits=72)
    assert bits.get_int_counts() == {1 << 71 | 5: 2, 3: 1}
    assert bits.get_counts() == {format(1 << 71 | 5, "072b"): 2, format(3, "072b"): 1}


def test_num_bits_zero_is_a_register_of_empty_outcomes() -> None:
    bits = SamplerResult.from_json(_sampler(["0x0", "0x0"], 0))[0].data.meas
    assert bits.num_bits == 0
    assert bits.get_int_counts() == {0: 2}


@pytest.mark.parametrize("num_bits", [True, False, 2.0, "2", None])
def test_num_bits_must_be_an_integer_not_a_bool(num_bits: Any) -> None:
    with pytest.raises(ResultFormatError) as caught:
        SamplerResult.from_json(_sampler(["0x1"], num_bits))
    assert (caught.value.pub, caught.value.field) == (0, "meas")


def test_sampler_metadata_is_kept_for_the_job_and_each_pub() -> None:
    data = _sampler(["0x1"], 1, metadata={"circuit_metadata": {"name": "bell"}, "shots": 1})
    data["metadata"] = {"execution": {"execution_spans": []}, "version": 2}
    result = SamplerResult.from_json(data)
    assert result.metadata == {"execution": {"execution_spans": []}, "version": 2}
    assert result[0].metadata.raw == {"circuit_metadata": {"name": "bell"}, "shots": 1}
    assert result[0].metadata.circuit_metadata == {"name": "bell"}


def test_encoded_sampler_metadata_is_kept_for_the_job_and_each_pub() -> None:
    text = _encoded_sampler(_npy_text("|u1", (2, 1), b"\x01\x00"), pub_metadata={"shots": 2})
    result = SamplerResult.from_json(text)
    assert result.encoded
    assert result.metadata == {"version": 2}
    assert result[0].metadata.raw == {"shots": 2}
    assert result[0].data.m.get_counts() == {"01": 1, "00": 1}


def test_estimator_without_ensemble_standard_error() -> None:
    data: Any = {"results": [{"data": {"evs": [0.5, -0.25], "stds": [0.01, 0.02]}, "metadata": {}}]}
    pub = EstimatorResult.from_json(data)[0]
    assert pub.data.ensemble_standard_error is None
    assert (pub.data.evs, pub.data.stds, pub.data.shape) == ([0.5, -0.25], [0.01, 0.02], (2,))
    assert pub.data.item("evs", 1) == -0.25
    with pytest.raises(ResultFormatError):
        pub.data.item("ensemble_standard_error", 0)


def test_estimator_ensemble_standard_error_must_have_the_shape_of_evs() -> None:
    fields = {"evs": [0.5, 0.5], "stds": [0.1, 0.1], "ensemble_standard_error": [0.2]}
    data: Any = {"results": [{"data": fields}]}
    with pytest.raises(ResultFormatError) as caught:
        EstimatorResult.from_json(data)
    assert caught.value.pub == 0


def test_estimator_ensemble_standard_error_of_the_right_shape_is_read() -> None:
    data: Any = {"results": [{"data": {"evs": 0.5, "stds": 0.1, "ensemble_standard_error": 0.2}}]}
    assert EstimatorResult.from_json(data)[0].data.ensemble_standard_error == 0.2


# -- qiskit's encoded form: the dtype of BitArray.array --------------------------------


def _npy_text(descr: str, shape: tuple[int, ...], body: bytes) -> str:
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape!r}, }}"
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    raw = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + body
    return base64.b64encode(zlib.compress(raw)).decode()


def _encoded_sampler(npy_text: str, num_bits: int = 2, pub_metadata: Any = None) -> str:
    array = {"__type__": "ndarray", "__value__": npy_text}
    bit_array = {"__type__": "BitArray", "__value__": {"array": array, "num_bits": num_bits}}
    databin = {
        "__type__": "DataBin",
        "__value__": {"field_names": ["m"], "shape": [], "fields": {"m": bit_array}},
    }
    pub = {"__type__": "SamplerPubResult", "__value__": {"data": databin, "metadata": pub_metadata or {}}}
    body = {"pub_results": [pub], "metadata": {"version": 2}}
    return json.dumps({"__type__": "PrimitiveResult", "__value__": body})


@pytest.mark.parametrize(
    ("descr", "body"),
    [("<u2", b"\x01\x00\x02\x00"), ("|i1", b"\x01\x02"), ("|b1", b"\x01\x00"), ("<f8", b"\0" * 16)],
)
def test_a_bit_array_that_is_not_uint8_is_refused(descr: str, body: bytes) -> None:
    # Read as bytes, a uint16 or int8 array would decode to wrong outcomes without a word.
    shape = (2, 1)
    with pytest.raises(ResultFormatError) as caught:
        SamplerResult.from_json(_encoded_sampler(_npy_text(descr, shape, body)))[0].data.m.get_counts()
    assert (caught.value.pub, caught.value.field) == (0, "m")


@pytest.mark.parametrize("shape", [(2,), (2, 2)])
def test_a_bit_array_of_the_wrong_rank_or_width_is_refused(shape: tuple[int, ...]) -> None:
    body = b"\x01" * (shape[0] * (shape[1] if len(shape) > 1 else 1))
    with pytest.raises(ResultFormatError):
        SamplerResult.from_json(_encoded_sampler(_npy_text("|u1", shape, body)))[0].data.m.get_counts()


def test_a_uint8_bit_array_sweep_decodes_per_point() -> None:
    body = bytes([0, 1, 1, 1, 3, 0, 2, 2, 0, 0, 1, 3])
    bits = SamplerResult.from_json(_encoded_sampler(_npy_text("|u1", (2, 3, 2, 1), body)))[0].data.m
    assert bits.shape == (2, 3) and bits.num_shots == 2
    assert bits.get_int_counts((1, 2)) == {1: 1, 3: 1}
    assert bits.get_counts() == dict(Counter(format(b, "02b") for b in body))


def test_a_sweep_with_no_points_has_no_shots() -> None:
    bits = BitArray.from_hex([], shape=(0,), num_bits=2)
    assert (bits.num_shots, bits.size) == (0, 0)
    assert bits.get_counts() == {} and bits.get_int_counts() == {} and bits.get_bitstrings() == []


def test_a_hex_bit_array_made_without_names_reports_none() -> None:
    bits = BitArray.from_hex([["0x7"]], shape=(), num_bits=2)
    with pytest.raises(ResultFormatError) as caught:
        bits.get_int_counts()
    assert (caught.value.pub, caught.value.field) == (None, "")


@pytest.mark.parametrize("sample", ["0xg", "0x1.5", None])
def test_a_sample_that_is_not_hex_is_refused_with_the_form_expected(sample: Any) -> None:
    bits = SamplerResult.from_json(_sampler([["0x1", sample]], 4))[0].data.meas
    for read in (bits.get_counts, bits.get_int_counts):
        with pytest.raises(ResultFormatError) as refused:
            read()
        # The message shows the form a sample must have, as a sample is written.
        assert "hex" in str(refused.value) and "'0x3'" in str(refused.value)
        assert (refused.value.pub, refused.value.field) == (0, "meas")


@pytest.mark.parametrize("distinct", [False, True], ids=["repeated-shots", "mostly-distinct-shots"])
def test_packed_shots_from_a_function_are_made_once_per_count(distinct: bool) -> None:
    # from_packed's function is called on each use, so a large result is decoded only
    # while it is read: one count must not decode it twice.
    shots = 600  # over the 512 shots counting looks at to choose how to count
    values = [i if distinct else i % 3 for i in range(shots)]
    packed = b"".join(v.to_bytes(2, "big") for v in values)
    calls: list[int] = []

    def source() -> bytes:
        calls.append(1)
        return packed

    bits = BitArray.from_packed(source, shape=(), num_shots=shots, num_bits=10)
    expected = Counter(format(v, "010b") for v in values)
    assert bits.get_counts() == expected
    assert len(calls) == 1
    assert bits.get_counts(()) == expected
    assert len(calls) == 2


def test_a_sample_of_only_x_is_not_hex() -> None:
    bits = SamplerResult.from_json(_sampler([["xx"]], 0))[0].data.meas
    with pytest.raises(ResultFormatError, match="'0x3'"):
        bits.get_counts()
