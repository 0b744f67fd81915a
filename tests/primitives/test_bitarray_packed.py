"""Packed shots (qiskit's BitArray layout) for every width, against a plain reference."""

from __future__ import annotations

import base64
import json
import random
import zlib
from collections import Counter

import pytest

from iqp_wrapper.primitives import BitArray, ResultFormatError, SamplerResult


@pytest.mark.parametrize("num_bits", [1, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 63, 64, 65, 70])
def test_counts_and_bitstrings_for_any_width(num_bits: int) -> None:
    rng = random.Random(num_bits)
    nb = (num_bits + 7) // 8
    values = [rng.getrandbits(num_bits) for _ in range(700)] + [0, (1 << num_bits) - 1]
    shape = (2,)
    packed = b"".join(v.to_bytes(nb, "big") for v in values + values[::-1])
    bits = BitArray.from_packed(packed, shape=shape, num_shots=len(values), num_bits=num_bits)
    strings = [format(v, f"0{num_bits}b") for v in values]
    assert bits.get_bitstrings((0,)) == strings
    assert bits.get_bitstrings((1,)) == strings[::-1]
    assert bits.get_counts() == dict(Counter(strings * 2))
    assert bits.get_int_counts((1,)) == dict(Counter(values))


def test_bits_beyond_num_bits_are_an_error() -> None:
    bits = BitArray.from_packed(b"\x05\x01", shape=(), num_shots=2, num_bits=2, pub=3, register="c")
    with pytest.raises(ResultFormatError) as caught:
        bits.get_counts()
    assert (caught.value.pub, caught.value.field) == (3, "c")
    with pytest.raises(ResultFormatError):
        bits.get_int_counts()


def _encoded(npy_text: str, num_bits: int = 2) -> str:
    array = {"__type__": "ndarray", "__value__": npy_text}
    bit_array = {"__type__": "BitArray", "__value__": {"array": array, "num_bits": num_bits}}
    databin = {
        "__type__": "DataBin",
        "__value__": {"field_names": ["m"], "shape": [], "fields": {"m": bit_array}},
    }
    pub = {"__type__": "SamplerPubResult", "__value__": {"data": databin, "metadata": {}}}
    return json.dumps({"__type__": "PrimitiveResult", "__value__": {"pub_results": [pub], "metadata": {}}})


def _npy_text(descr: str, shape: tuple[int, ...], body: bytes) -> str:
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape!r}, }}"
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    raw = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + body
    return base64.b64encode(zlib.compress(raw)).decode()


@pytest.mark.parametrize(
    "text",
    [
        _encoded("@@not base64@@"),
        _encoded(base64.b64encode(b"not zlib").decode()),
        _encoded(_npy_text("<f8", (2, 1), b"\0" * 16)),
        _encoded(_npy_text("|u1", (2, 2), b"\0" * 4)),
        _encoded(_npy_text("|u1", (2, 1), b"\0" * 2), num_bits=-1),
    ],
)
def test_malformed_encoded_registers_name_pub_and_field(text: str) -> None:
    with pytest.raises(ResultFormatError) as caught:
        SamplerResult.from_json(text)[0].data.m.get_counts()
    assert (caught.value.pub, caught.value.field) == (0, "m")


def test_truncated_body_is_reported_when_read() -> None:
    result = SamplerResult.from_json(_encoded(_npy_text("|u1", (4, 1), b"\0" * 3)))
    with pytest.raises(ResultFormatError, match="PUB 0, field 'm'"):
        result[0].data.m.get_counts()
