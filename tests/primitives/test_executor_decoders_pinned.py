"""Executor results and tensors, and the bit conversions under them: behaviour that
mutation testing found unpinned (docs/mutation.md).

Passthrough tensors (plain and compressed, nested in objects and lists) and the output they
are reported against, the legacy import path of ExecutorResult, empty tensors nested as
numpy nests them, and the packed-row conversions for every row count and width.
"""

from __future__ import annotations

import base64
import importlib
import struct
import zlib
from typing import Any

import pytest

from iqp_wrapper.primitives import ExecutorResult, ResultFormatError, Tensor
from iqp_wrapper.primitives import executor_results as executor_results_module
from iqp_wrapper.primitives.bitarray import BitArray
from iqp_wrapper.primitives.executor_bits import bool_rows_to_packed, bool_rows_to_strings, xor_flips
from iqp_wrapper.primitives.tensors import decode_compressed_tensor, decode_tensor


def _plain(raw: bytes, shape: list[int], dtype: str) -> dict[str, Any]:
    return {"data": base64.b64encode(raw).decode(), "shape": shape, "dtype": dtype}


def _compressed(raw: bytes, shape: list[int], dtype: str) -> dict[str, Any]:
    return {"data": base64.b64encode(zlib.compress(raw)).decode(), "shape": shape, "dtype": dtype}


F64 = struct.pack("<2d", 0.5, -1.5)


# -- passthrough data ------------------------------------------------------------------


@pytest.mark.parametrize(("version", "model"), [("v1.1", _plain), ("v2.0", _compressed)])
def test_passthrough_tensors_are_decoded_at_any_depth(version: str, model: Any) -> None:
    passthrough: Any = {"a": [1, model(F64, [2], "f64")], "b": {"c": model(F64, [2], "f64")}, "s": "x"}
    result = ExecutorResult.from_json(
        {"schema_version": version, "data": [], "passthrough_data": passthrough}
    )
    tree: Any = result.passthrough()
    assert tree["a"][0] == 1 and tree["s"] == "x"
    assert tree["a"][1].values == [0.5, -1.5] and tree["b"]["c"].values == [0.5, -1.5]
    assert tree["a"][1] == Tensor("f64", (2,), F64)


@pytest.mark.parametrize(("version", "model"), [("v1.1", _plain), ("v2.0", _compressed)])
@pytest.mark.parametrize(
    ("where", "field"),
    [
        (lambda t: t, "passthrough_data"),
        (lambda t: {"x": {"y": t}}, "passthrough_data.x.y"),
        (lambda t: {"x": [0, t]}, "passthrough_data.x[1]"),
    ],
)
def test_a_bad_passthrough_tensor_names_where_it_is(version: str, model: Any, where: Any, field: str) -> None:
    bad = model(F64[:7], [2], "f64")
    result = ExecutorResult.from_json({"schema_version": version, "data": [], "passthrough_data": where(bad)})
    with pytest.raises(ResultFormatError) as caught:
        result.passthrough()
    assert caught.value.field == field


def test_a_semantic_role_that_is_not_a_string_is_no_role() -> None:
    result = ExecutorResult.from_json({"schema_version": "v2.0", "data": [], "semantic_role": 7})
    assert result.semantic_role is None


def test_the_legacy_import_path_gives_the_same_classes() -> None:
    tensors = importlib.import_module("iqp_wrapper.primitives.tensors")
    assert tensors.ExecutorResult is executor_results_module.ExecutorResult
    assert tensors.ExecutorItemResult is executor_results_module.ExecutorItemResult
    with pytest.raises(AttributeError):
        tensors.NoSuchName  # noqa: B018


# -- tensors -----------------------------------------------------------------------------


def test_tensors_compare_by_dtype_shape_and_bytes() -> None:
    one = Tensor("f64", (2,), F64)
    assert one == Tensor("f64", (2,), lambda: F64)
    assert one != Tensor("f64", (1, 2), F64)
    assert one != Tensor("i64", (2,), F64)
    assert one != Tensor("f64", (2,), F64[::-1])
    assert one != F64


def test_a_tensor_of_an_unknown_dtype_is_refused() -> None:
    with pytest.raises(ResultFormatError):
        Tensor("f128", (1,), b"\0" * 16)


@pytest.mark.parametrize(
    ("shape", "nested"),
    [((1, 0), [[]]), ((2, 3, 0), [[[], [], []], [[], [], []]]), ((2, 0, 3), [[], []]), ((0, 2), [])],
)
def test_an_empty_tensor_nests_as_numpy_does(shape: tuple[int, ...], nested: Any) -> None:
    tensor = Tensor("f64", shape, b"")
    assert tensor.values == nested
    numpy = pytest.importorskip("numpy")
    assert numpy.zeros(shape).tolist() == nested


def test_a_bool_tensor_to_numpy_is_bool() -> None:
    numpy = pytest.importorskip("numpy")
    array = Tensor("bool", (2, 3), bytes([0b101011])).to_numpy()
    assert array.dtype == numpy.bool_
    assert array.tolist() == [[True, True, False], [True, False, True]]


@pytest.mark.parametrize("decode", [decode_tensor, decode_compressed_tensor])
def test_without_where_a_refusal_names_no_field(decode: Any) -> None:
    model = _plain(b"\0", [2], "f64") if decode is decode_tensor else _compressed(b"\0", [2], "f64")
    with pytest.raises(ResultFormatError) as caught:
        decode(model)
    assert (caught.value.pub, caught.value.field) == (None, "")


# -- packed rows -------------------------------------------------------------------------


def _pack(bits: list[int]) -> bytes:
    packed = bytearray((len(bits) + 7) // 8)
    for i, bit in enumerate(bits):
        packed[i >> 3] |= bit << (i & 7)
    return bytes(packed)


@pytest.mark.parametrize(("rows", "num_bits"), [(1, 3), (3, 8), (2, 9), (5, 1), (1, 16)])
def test_bool_rows_to_packed_and_to_strings_agree(rows: int, num_bits: int) -> None:
    bits = [(i * 7 + i // 3) % 2 for i in range(rows * num_bits)]
    nb = (num_bits + 7) // 8
    packed = bool_rows_to_packed(_pack(bits), rows, num_bits)
    strings = bool_rows_to_strings(_pack(bits), rows, num_bits)
    assert len(packed) == rows * nb
    for r in range(rows):
        row = bits[r * num_bits : (r + 1) * num_bits]
        value = sum(bit << column for column, bit in enumerate(row))
        assert packed[r * nb : (r + 1) * nb] == value.to_bytes(nb, "big")
        assert strings[r] == format(value, f"0{num_bits}b")


def test_no_rows_or_no_bits_pack_to_nothing() -> None:
    assert bool_rows_to_packed(b"", 0, 5) == b""
    assert bool_rows_to_packed(b"", 4, 0) == b""
    assert bool_rows_to_strings(b"", 0, 5) == []


def test_xor_flips_with_a_flip_row_per_shot_or_per_element() -> None:
    packed = bytes([0b0000_0001, 0b1000_0000, 0b1111_1111, 0])  # 2 elements x 2 shots, 1 byte
    per_shot = bytes([1, 1, 0b1000_0000, 0b10])
    assert xor_flips(packed, per_shot, elements=2, shots=2, flip_shots=2, nb=1) == bytes(
        [0, 0b1000_0001, 0b0111_1111, 0b10]
    )
    per_element = bytes([0b11, 0b1000_0000])
    assert xor_flips(packed, per_element, elements=2, shots=2, flip_shots=1, nb=1) == bytes(
        [0b10, 0b1000_0011, 0b0111_1111, 0b1000_0000]
    )


# -- bit strings (the executor form of a BitArray) ---------------------------------------


def _strings_bit_array(strings: list[str], shape: tuple[int, ...], num_shots: int, num_bits: int) -> BitArray:
    return BitArray.from_bit_strings(strings, shape=shape, num_shots=num_shots, num_bits=num_bits)


def test_bit_strings_to_numpy_is_qiskits_packed_layout() -> None:
    pytest.importorskip("numpy")
    strings = ["000000001", "100000000", "111111111", "000000000", "010000010", "000000011"]
    array = _strings_bit_array(strings, (3,), 2, 9).to_numpy()
    assert array.shape == (3, 2, 2)
    assert [int.from_bytes(bytes(row), "big") for row in array.reshape(6, 2).tolist()] == [
        int(s, 2) for s in strings
    ]


def test_bit_strings_of_no_bits_count_as_zero() -> None:
    bits = _strings_bit_array(["", "", ""], (), 3, 0)
    assert bits.get_int_counts() == {0: 3}
    assert bits.get_counts() == {"": 3}
    numpy = pytest.importorskip("numpy")
    assert bits.to_numpy().shape == (3, 0)
    assert numpy.asarray(bits.to_numpy()).size == 0


def test_bit_strings_int_counts_per_element() -> None:
    bits = _strings_bit_array(["01", "01", "10", "11"], (2,), 2, 2)
    assert bits.get_int_counts(0) == {1: 2}
    assert bits.get_int_counts(1) == {2: 1, 3: 1}
    assert bits.get_int_counts() == {1: 2, 2: 1, 3: 1}


# -- inflating again on use, or keeping the bytes -----------------------------------------


def _count_inflations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    tensors = importlib.import_module("iqp_wrapper.primitives.tensors")
    calls: list[int] = []
    real = zlib.decompress

    def counted(data: bytes) -> bytes:
        calls.append(1)
        return real(data)

    monkeypatch.setattr(tensors.zlib, "decompress", counted)
    return calls


@pytest.mark.parametrize(("keep", "inflations"), [(None, 3), (False, 3), (True, 1)])
def test_a_compressed_tensor_is_inflated_again_on_each_use_unless_kept(
    monkeypatch: pytest.MonkeyPatch, keep: bool | None, inflations: int
) -> None:
    # The documented memory contract: by default the inflated bytes are not held.
    calls = _count_inflations(monkeypatch)
    model = _compressed(F64, [2], "f64")
    tensor = decode_compressed_tensor(model) if keep is None else decode_compressed_tensor(model, keep=keep)
    assert tensor.values == tensor.values == [0.5, -1.5]
    assert len(calls) == inflations


def test_passthrough_tensors_are_kept_inflated(monkeypatch: pytest.MonkeyPatch) -> None:
    # passthrough() decodes the tree once per call; its tensors then hold their bytes.
    calls = _count_inflations(monkeypatch)
    result = ExecutorResult.from_json(
        {"schema_version": "v2.0", "data": [], "passthrough_data": [_compressed(F64, [2], "f64")]}
    )
    tree: Any = result.passthrough()
    assert tree[0].values == tree[0].values == [0.5, -1.5]
    assert len(calls) == 1


# -- counts are plain dicts, whichever way they were counted --------------------------------


@pytest.mark.parametrize(
    "bits",
    [
        BitArray.from_hex([[f"0x{i:x}" for i in range(600)]], shape=(), num_bits=12),  # mostly distinct
        BitArray.from_hex([["0x1"] * 600], shape=(), num_bits=12),
        BitArray.from_packed(bytes(range(256)) * 3, shape=(), num_shots=768, num_bits=8),  # mostly distinct
        BitArray.from_packed(b"\x01" * 600, shape=(), num_shots=600, num_bits=8),
        BitArray.from_bit_strings(["01", "10"], shape=(), num_shots=2, num_bits=2),
    ],
)
def test_an_outcome_never_measured_is_a_key_error_as_in_qiskit(bits: BitArray) -> None:
    # qiskit's BitArray.get_counts returns a dict: a Counter would answer 0 instead.
    for counts in (bits.get_counts(), bits.get_int_counts()):
        assert type(counts) is dict
        with pytest.raises(KeyError):
            counts["never" if isinstance(next(iter(counts)), str) else 1 << 20]  # type: ignore[index]
