"""The .npy reader on arrays written by hand from the format's definition (no numpy needed)."""

from __future__ import annotations

import struct

import pytest

from iqp_wrapper.primitives.npy import NpyError, read_npy


def _npy(descr: str, shape: tuple[int, ...], fortran: bool, body: bytes, version: int = 1) -> bytes:
    header = f"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape!r}, }}"
    prefix = 10 if version == 1 else 12
    header += " " * (-(prefix + len(header) + 1) % 64) + "\n"
    size = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode("latin-1") + body


def test_c_order_floats_big_endian() -> None:
    body = struct.pack(">6d", 0, 1, 2, 3, 4, 5)
    assert read_npy(_npy(">f8", (2, 3), False, body)).tolist() == [[0, 1, 2], [3, 4, 5]]


def test_fortran_order_is_transposed_back() -> None:
    # Column-major storage of [[0, 1, 2], [3, 4, 5]] is 0, 3, 1, 4, 2, 5.
    body = struct.pack("<6q", 0, 3, 1, 4, 2, 5)
    assert read_npy(_npy("<i8", (2, 3), True, body)).tolist() == [[0, 1, 2], [3, 4, 5]]
    # Three dimensions: element (i, j, k) sits at i + 2 j + 4 k.
    values = [(i, j, k) for k in range(3) for j in range(2) for i in range(2)]
    body = bytes(100 * i + 10 * j + k for i, j, k in values)
    nested = read_npy(_npy("|u1", (2, 2, 3), True, body, version=2)).tolist()
    assert nested == [[[100 * i + 10 * j + k for k in range(3)] for j in range(2)] for i in range(2)]


def test_complex_bool_and_scalar() -> None:
    assert read_npy(_npy("<c16", (1,), False, struct.pack("<2d", 1.5, -2))).tolist() == [complex(1.5, -2)]
    assert read_npy(_npy("|b1", (3,), False, b"\x01\x00\x01")).tolist() == [True, False, True]
    assert read_npy(_npy("<f8", (), False, struct.pack("<d", 0.25))).tolist() == 0.25


@pytest.mark.parametrize(
    "raw",
    [
        b"not npy at all",
        _npy("|O", (1,), False, b"\x00" * 8),
        _npy("<f8", (2,), False, b"\x00" * 8),
        _npy("<U1", (1,), False, b"\x00" * 4),
        _npy("<f8", (-1,), False, b""),
    ],
)
def test_refused(raw: bytes) -> None:
    with pytest.raises(NpyError):
        read_npy(raw)
