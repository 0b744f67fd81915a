"""Executor tensors: decoding behaviour that mutation testing found unpinned (docs/mutation.md).

Which output and item a malformed tensor is reported against, what the result keeps besides
the tensors, which shapes and base64 are refused, and measurement tensors of any width.
"""

from __future__ import annotations

import base64
import struct
from typing import Any

import pytest

from iqp_wrapper.primitives import ResultFormatError
from iqp_wrapper.primitives.tensors import ExecutorResult, decode_tensor


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _bool_tensor(rows: list[list[int]]) -> dict[str, Any]:
    """A bool TensorModel of shape (shots, bits): packed eight to a byte, first value lowest."""
    flat = [b for row in rows for b in row]
    packed = bytearray((len(flat) + 7) // 8)
    for i, bit in enumerate(flat):
        packed[i >> 3] |= bit << (i & 7)
    return {"data": _b64(bytes(packed)), "shape": [len(rows), len(rows[0])], "dtype": "bool"}


F64: Any = {"data": _b64(struct.pack("<2d", 0.5, -1.5)), "shape": [2], "dtype": "f64"}


def test_the_result_keeps_version_metadata_passthrough_and_item_metadata() -> None:
    data: Any = {
        "schema_version": "v0.2",
        "data": [{"results": {"evs": F64}, "metadata": {"shots": 10}}, {"results": {}}],
        "metadata": {"execution": {"spans": []}},
        "passthrough_data": {"mine": [1, 2]},
    }
    result = ExecutorResult.from_json(data)
    assert result.schema_version == "v0.2"
    assert result.metadata == {"execution": {"spans": []}}
    assert result.passthrough_data == {"mine": [1, 2]}
    assert len(result) == 2
    assert result[0].metadata == {"shots": 10} and result[1].metadata is None
    assert result[0].results["evs"].tolist() == [0.5, -1.5]


def test_absent_or_odd_envelope_fields_have_plain_defaults() -> None:
    result = ExecutorResult.from_json({"data": [], "metadata": [1]})
    assert (result.schema_version, result.metadata, result.passthrough_data) == ("", {}, None)


@pytest.mark.parametrize("version", [2, "v9.9", "2.0"])
def test_a_schema_version_this_client_does_not_read_is_refused(version: Any) -> None:
    # The version decides how tensors are read (plain or compressed): guessing would misread.
    with pytest.raises(ResultFormatError) as caught:
        ExecutorResult.from_json({"data": [], "schema_version": version})
    assert (caught.value.pub, caught.value.field) == (None, "schema_version")


@pytest.mark.parametrize("data", [[], {"data": {}}, {"items": []}, "x"])
def test_not_an_executor_result(data: Any) -> None:
    with pytest.raises(ResultFormatError) as caught:
        ExecutorResult.from_json(data)
    assert caught.value.pub is None


@pytest.mark.parametrize("item", [[], {"results": []}, {"metadata": {}}])
def test_an_item_without_results_names_the_item(item: Any) -> None:
    with pytest.raises(ResultFormatError) as caught:
        ExecutorResult.from_json({"data": [{"results": {"ok": F64}}, item]})
    assert (caught.value.pub, caught.value.field) == (1, "results")


@pytest.mark.parametrize(
    "model",
    [
        [],
        {"data": 3, "shape": [1], "dtype": "u8"},
        {"data": "AA==", "shape": [1], "dtype": 8},
        {"data": "AA==", "shape": [-1], "dtype": "u8"},
        {"data": "AA==", "shape": ["1"], "dtype": "u8"},
        {"data": "AA==", "shape": [1.0], "dtype": "u8"},
        {"data": "AA=\n=", "shape": [1], "dtype": "u8"},  # not strict base64
        {"data": "A A==", "shape": [1], "dtype": "u8"},
        {"data": "AA==", "shape": [9], "dtype": "bool"},
        {"data": "AAA=", "shape": [1], "dtype": "u8"},
        {"data": "AA==", "shape": [1], "dtype": "f32"},
    ],
)
def test_a_malformed_tensor_names_the_item_and_the_output(model: Any) -> None:
    with pytest.raises(ResultFormatError) as caught:
        ExecutorResult.from_json({"data": [{"results": {"ok": F64}}, {"results": {"out": model}}]})
    assert (caught.value.pub, caught.value.field) == (1, "out")
    assert str(caught.value).count("item 1") == 1  # said once, not nested
    assert "PUB" not in str(caught.value)  # an executor result has items, not PUBs


def test_decode_tensor_alone_names_the_output_it_was_told() -> None:
    with pytest.raises(ResultFormatError) as caught:
        decode_tensor({"data": "AA==", "shape": [3], "dtype": "u8"}, where="meas")
    assert caught.value.field == "meas"


@pytest.mark.parametrize(("shape", "nested"), [([0], []), ([0, 3], []), ([2, 0], [[], []])])
def test_an_empty_tensor_is_accepted(shape: Any, nested: Any) -> None:
    tensor = decode_tensor({"data": "", "shape": shape, "dtype": "f64"})
    assert tensor.shape == tuple(shape)
    assert tensor.tolist() == nested  # as numpy's tolist() nests it


@pytest.mark.parametrize("num_bits", [1, 7, 8, 9, 16, 17])
def test_a_two_dimensional_measurement_tensor_counts_like_a_register(num_bits: int) -> None:
    # Column 0 is bit 0: the rightmost character of each bit string.
    values = [0, 1, (1 << num_bits) - 1, 1 << (num_bits - 1), 1]
    rows = [[(v >> column) & 1 for column in range(num_bits)] for v in values]
    bits = decode_tensor(_bool_tensor(rows)).to_bit_array()
    assert (bits.shape, bits.num_shots, bits.num_bits) == ((), 5, num_bits)
    assert bits.get_bitstrings() == [format(v, f"0{num_bits}b") for v in values]
    assert bits.get_int_counts() == {v: values.count(v) for v in values}


@pytest.mark.parametrize(
    "model",
    [
        F64,
        {"data": _b64(b"\x01"), "shape": [3], "dtype": "bool"},
        {"data": _b64(b"\x01\x02"), "shape": [2, 1], "dtype": "u8"},
    ],
)
def test_only_a_bool_tensor_of_shots_and_bits_is_a_bit_array(model: dict[str, Any]) -> None:
    with pytest.raises(ResultFormatError):
        decode_tensor(model).to_bit_array()


@pytest.mark.parametrize(
    "model",
    [
        "not an object",
        {"data": 3, "shape": [1], "dtype": "u8"},
        {"data": "AA==", "shape": "1", "dtype": "u8"},
        {"data": "@@", "shape": [1], "dtype": "u8"},
        {"data": "AA==", "shape": [9], "dtype": "bool"},
        {"data": "AA==", "shape": [3], "dtype": "f64"},
        {"data": "AA==", "shape": [1], "dtype": "i32"},
    ],
)
def test_decode_tensor_alone_names_the_output_in_every_refusal(model: Any) -> None:
    with pytest.raises(ResultFormatError) as caught:
        decode_tensor(model, where="meas")
    assert (caught.value.pub, caught.value.field) == (None, "meas")
