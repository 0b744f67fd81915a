"""How a BitArray counts, and what it refuses (docs/mutation.md, issue 23).

Counting picks one of two strategies from a sample of the shots (``_mostly_distinct``): both
give the same counts, so the choice is pinned where it is made, at its thresholds. The rest
pins refusals whose fields a caller reads: the PUB and register a BitArray was told, or none.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from iqp_wrapper.primitives import BitArray, ResultFormatError
from iqp_wrapper.primitives.bitarray import _PROBE, _mostly_distinct, _rekey

# -- the choice of counting strategy ------------------------------------------------------


def _shots(total: int, distinct: int) -> list[int]:
    """``total`` shots holding ``distinct`` outcomes, the repeats last."""
    return [i if i < distinct else 0 for i in range(total)]


@pytest.mark.parametrize(
    ("total", "distinct", "expected"),
    [
        (511, 511, False),  # too few shots to judge: counted raw, however distinct
        (512, 512, True),
        (512, 257, True),  # more than half distinct
        (512, 256, False),  # exactly half is not more than half
        (512, 200, False),
        (512, 1, False),
        (0, 0, False),
    ],
)
def test_convert_every_shot_only_when_the_probe_is_mostly_distinct(
    total: int, distinct: int, expected: bool
) -> None:
    shots = _shots(total, distinct)
    assert _mostly_distinct(shots) is expected
    # Packed shots are probed as machine words (a memoryview), hex shots as a list.
    words = memoryview(b"".join(v.to_bytes(2, "big") for v in shots)).cast("H")
    assert _mostly_distinct(words) is expected


def test_only_the_first_512_shots_are_probed() -> None:
    repeated_then_distinct = [0] * _PROBE + list(range(1, 2 * _PROBE))
    assert not _mostly_distinct(repeated_then_distinct)
    distinct_then_repeated = list(range(_PROBE)) + [0] * (4 * _PROBE)
    assert _mostly_distinct(distinct_then_repeated)


@pytest.mark.parametrize("distinct", [256, 257, 512])
def test_both_sides_of_the_threshold_count_alike(distinct: int) -> None:
    # Whichever strategy the probe picks, the counts are the plain count of the shots.
    values = _shots(600, distinct)
    strings = [format(v, "010b") for v in values]
    packed = BitArray.from_packed(
        b"".join(v.to_bytes(2, "big") for v in values), shape=(), num_shots=600, num_bits=10
    )
    hexed = BitArray.from_hex([[hex(v) for v in values]], shape=(), num_bits=10)
    for bits in (packed, hexed):
        assert bits.get_counts() == dict(Counter(strings))
        assert bits.get_int_counts() == dict(Counter(values))


def test_rekey_refuses_a_conversion_that_loses_keys() -> None:
    # Converting the counted keys all at once must give one key per key: a converter that
    # gave fewer would otherwise drop the counts of the rest without a word.
    counted = Counter("aab")
    assert _rekey(counted, lambda keys: [key.upper() for key in keys]) == {"A": 2, "B": 1}
    with pytest.raises(ValueError):
        _rekey(counted, lambda keys: keys[:1])
    with pytest.raises(ValueError):
        _rekey(counted, lambda keys: [*keys, "c"])


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
