"""The pure-Python .npy reader: behaviour mutation testing found unpinned (docs/mutation.md).

Complex values with imaginary parts, native byte order, empty dimensions, and the headers and
base64 it refuses.
"""

from __future__ import annotations

import base64
import struct
import sys
import zlib

import pytest

from iqp_wrapper.primitives.npy import NpyError, decode_encoded_ndarray, peek_encoded_ndarray, read_npy


def _npy(header: str, body: bytes, version: int = 1) -> bytes:
    header += " " * (-(12 + len(header) + 1) % 64) + "\n"
    if version == 1:
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin-1") + body
    return b"\x93NUMPY" + bytes([version, 0]) + struct.pack("<I", len(header)) + header.encode() + body


def _header(descr: str, shape: tuple[int, ...], fortran: bool = False) -> str:
    return f"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape!r}, }}"


def _encoded(raw: bytes) -> str:
    return base64.b64encode(zlib.compress(raw)).decode()


@pytest.mark.parametrize("order", ["<", ">"])
def test_complex_values_keep_their_imaginary_parts(order: str) -> None:
    body = struct.pack(f"{order}4d", 1.0, 2.0, -3.0, 0.5)
    array = read_npy(_npy(_header(f"{order}c16", (2,)), body))
    assert array.flat() == [complex(1.0, 2.0), complex(-3.0, 0.5)]


def test_native_byte_order_is_this_machines() -> None:
    native = "<" if sys.byteorder == "little" else ">"
    body = struct.pack(f"{native}2d", 1.5, -2.0)
    assert read_npy(_npy(_header("=f8", (2,)), body)).tolist() == [1.5, -2.0]


@pytest.mark.parametrize("shape", [(0,), (0, 3)])
def test_empty_dimensions_are_read(shape: tuple[int, ...]) -> None:
    array = read_npy(_npy(_header("<f8", shape), b""))
    assert array.shape == shape and array.flat() == []


def test_version_2_and_3_headers_are_read() -> None:
    body = struct.pack("<2d", 1.0, 2.0)
    for version in (2, 3):
        assert read_npy(_npy(_header("<f8", (2,)), body, version=version)).tolist() == [1.0, 2.0]


@pytest.mark.parametrize(
    "raw",
    [
        b"\x93NUMPX\x01\x00" + b"\0" * 60,  # wrong magic, long enough
        b"\x93NUMPY\x01",  # too short
        _npy(_header("<f8", (1,)), b"\0" * 8, version=4),
        _npy("{'descr': '<f8', 'shape': (1,), }", b"\0" * 8),  # no fortran_order
        _npy("{'descr': '<f8', 'fortran_order': False, 'shape': [1], }", b"\0" * 8),  # shape a list
        _npy(_header("<f8", (-1,)), b""),
        _npy("{'descr': '<f8', 'fortran_order': False, 'shape': ('1',), }", b"\0" * 8),
        _npy(_header("f8", (1,)), b"\0" * 8),  # no byte order
        _npy(_header("<f", (1,)), b"\0" * 8),
        _npy(_header("<fx", (1,)), b"\0" * 8),
        _npy(_header("<f8", (2,)), b"\0" * 8),  # too few bytes
        _npy("[1, 2]", b""),
    ],
)
def test_malformed_npy_is_refused(raw: bytes) -> None:
    with pytest.raises(NpyError):
        read_npy(raw)


GOOD = _encoded(_npy(_header("<f8", (1,)), b"\0" * 8))


@pytest.mark.parametrize("text", [GOOD[:8] + "!" + GOOD[8:], GOOD[:8] + "\n" + GOOD[8:], "not base64"])
def test_only_strict_base64_is_read(text: str) -> None:
    # A lenient decoder would drop the stray character and read the array.
    assert decode_encoded_ndarray(GOOD).tolist() == [0.0]
    for read in (decode_encoded_ndarray, peek_encoded_ndarray):
        with pytest.raises(NpyError):
            read(text)


def test_peek_reads_the_header_of_a_large_array() -> None:
    raw = _npy(_header("|u1", (100_000, 2)), bytes(200_000))
    peeked = peek_encoded_ndarray(_encoded(raw))
    assert (peeked.descr, peeked.shape, peeked.kind, peeked.itemsize) == ("|u1", (100_000, 2), "u", 1)
