"""What a BitArray refuses (docs/mutation.md, issue 23): refusals whose fields a caller
reads, naming the PUB and register a BitArray was told, or none.
"""

from __future__ import annotations

from typing import Any

import pytest

from iqp_wrapper.primitives import BitArray, ResultFormatError

# -- bit strings: as many as the shape and shots say ---------------------------------------


def _reads(bits: BitArray) -> list[Any]:
    return [bits.get_counts, bits.get_int_counts, bits.get_bitstrings, lambda: bits.get_counts((0,))]


@pytest.mark.parametrize("count", [5, 7, 0], ids=["one-short", "one-over", "none"])
@pytest.mark.parametrize("as_function", [False, True], ids=["list", "function"])
def test_bit_strings_of_the_wrong_number_are_refused_naming_pub_and_register(
    count: int, as_function: bool
) -> None:
    strings = ["01", "10", "11"] * 3
    given = strings[:count]
    data: Any = (lambda: given) if as_function else given
    bits = BitArray.from_bit_strings(data, shape=(2,), num_shots=3, num_bits=2, pub=4, register="meas")
    for read in _reads(bits):
        with pytest.raises(ResultFormatError) as refused:
            read()
        assert (refused.value.pub, refused.value.field) == (4, "meas")


def test_bit_strings_made_without_names_report_none() -> None:
    bits = BitArray.from_bit_strings(["01"], shape=(2,), num_shots=1, num_bits=2)
    with pytest.raises(ResultFormatError) as refused:
        bits.get_counts()
    assert (refused.value.pub, refused.value.field) == (None, "")


def test_bit_strings_of_the_right_number_are_read_per_element() -> None:
    bits = BitArray.from_bit_strings(
        ["01", "10", "11", "00", "00", "01"], shape=(2,), num_shots=3, num_bits=2
    )
    assert bits.get_counts((1,)) == {"00": 2, "01": 1}
    assert bits.get_int_counts() == {1: 2, 2: 1, 3: 1, 0: 2}
    assert bits.get_bitstrings((0,)) == ["01", "10", "11"]


def test_a_bit_array_made_directly_without_names_reports_none() -> None:
    bits = BitArray(num_bits=2, shape=(), num_shots=1, hex_shots=[["0x7"]])
    with pytest.raises(ResultFormatError) as refused:
        bits.get_int_counts()
    assert (refused.value.pub, refused.value.field) == (None, "")


# -- registers wider than a machine word -----------------------------------------------------


@pytest.mark.parametrize("num_bits", [65, 70, 71])
def test_a_wide_shot_with_bits_beyond_num_bits_is_refused_by_every_count(num_bits: int) -> None:
    # 9 bytes a shot: bit 71 is beyond any of these registers.
    packed = (1).to_bytes(9, "big") + (1 << 71).to_bytes(9, "big")
    bits = BitArray.from_packed(packed, shape=(), num_shots=2, num_bits=num_bits, pub=1, register="c")
    for read in (bits.get_counts, bits.get_int_counts):
        with pytest.raises(ResultFormatError) as refused:
            read()
        assert (refused.value.pub, refused.value.field) == (1, "c")


def test_a_wide_shot_using_every_bit_is_counted() -> None:
    top = 1 << 71
    packed = top.to_bytes(9, "big") + (top | 1).to_bytes(9, "big")
    bits = BitArray.from_packed(packed, shape=(), num_shots=2, num_bits=72)
    assert bits.get_int_counts() == {top: 1, top | 1: 1}
    assert bits.get_counts() == {"1" + "0" * 71: 1, "1" + "0" * 70 + "1": 1}
