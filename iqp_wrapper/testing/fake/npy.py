"""NumPy's ``.npy`` format written and read in pure Python (numpy is not a dependency).

qiskit-ibm-runtime encodes an ``ndarray`` as base64 of zlib-compressed ``numpy.save``
output; the fake writes BitArray (uint8) and expectation-value (float64) arrays that way,
and reads the shape of the parameter arrays clients send.
"""

from __future__ import annotations

import ast
import base64
import binascii
import math
import struct
import zlib
from collections.abc import Sequence
from typing import Any

_MAGIC = b"\x93NUMPY"


def npy_bytes(descr: str, shape: Sequence[int], data: bytes) -> bytes:
    """A version 1.0 ``.npy`` file holding ``data`` (C order) of dtype ``descr``."""
    shape_text = "(" + "".join(f"{n}, " for n in shape).rstrip(" ") + ")" if shape else "()"
    if len(shape) > 1:
        shape_text = "(" + ", ".join(str(n) for n in shape) + ")"
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape_text}, }}"
    # Magic (6) + version (2) + length (2) + header + newline, padded to 64 bytes.
    padding = -(10 + len(header) + 1) % 64
    header_bytes = (header + " " * padding + "\n").encode("latin1")
    return _MAGIC + b"\x01\x00" + struct.pack("<H", len(header_bytes)) + header_bytes + data


def encoded_ndarray(descr: str, shape: Sequence[int], data: bytes) -> dict[str, Any]:
    """``{"__type__": "ndarray", "__value__": ...}`` as qiskit-ibm-runtime's encoder writes it."""
    value = base64.b64encode(zlib.compress(npy_bytes(descr, shape, data))).decode("ascii")
    return {"__type__": "ndarray", "__value__": value}


def float64_array(shape: Sequence[int], values: Sequence[float]) -> dict[str, Any]:
    if len(values) != math.prod(shape):
        raise ValueError("values do not fill the shape")
    return encoded_ndarray("<f8", shape, struct.pack(f"<{len(values)}d", *values))


def encoded_shape(value: Any) -> tuple[int, ...] | None:
    """The shape of an encoded ndarray, or None if ``value`` is not one the fake can read."""
    if not (isinstance(value, dict) and value.get("__type__") == "ndarray"):
        return None
    inner = value.get("__value__")
    if isinstance(inner, list):
        return nested_shape(inner)
    if not isinstance(inner, str):
        return None
    try:
        raw = base64.b64decode(inner, validate=True)
        raw = zlib.decompress(raw)
    except (binascii.Error, ValueError, zlib.error):
        return None
    if not raw.startswith(_MAGIC) or len(raw) < 10:
        return None
    major = raw[6]
    size_format, start = ("<H", 10) if major == 1 else ("<I", 12)
    (length,) = struct.unpack(size_format, raw[8:start])
    try:
        header = ast.literal_eval(raw[start : start + length].decode("latin1"))
        return tuple(int(n) for n in header["shape"])
    except (ValueError, SyntaxError, KeyError, TypeError):
        return None


def nested_shape(value: Any) -> tuple[int, ...]:
    """The shape of a nested list (numbers or other leaves), by its first elements."""
    shape: list[int] = []
    while isinstance(value, list):
        shape.append(len(value))
        if not value:
            break
        value = value[0]
    return tuple(shape)


_FORMATS = {"<f8": "d", "<f4": "f", "<i8": "q", "<i4": "i", "<u1": "B", "|u1": "B", "<u8": "Q", "|b1": "?"}


def encoded_values(value: Any) -> tuple[tuple[int, ...], list[float]] | None:
    """Shape and values (C order) of an encoded numeric ndarray, or None if ``value`` is
    not one the fake can read."""
    if not (isinstance(value, dict) and value.get("__type__") == "ndarray"):
        return None
    inner = value.get("__value__")
    if isinstance(inner, list):
        return nested_shape(inner), [float(v) for v in _flatten(inner)]
    if not isinstance(inner, str):
        return None
    try:
        raw = zlib.decompress(base64.b64decode(inner, validate=True))
        header, start = _header(raw)
        code = _FORMATS[header["descr"]]
        shape = tuple(int(n) for n in header["shape"])
    except (binascii.Error, ValueError, SyntaxError, KeyError, TypeError, zlib.error, struct.error):
        return None
    count = math.prod(shape)
    body = raw[start : start + count * struct.calcsize(code)]
    if header.get("fortran_order") or len(body) != count * struct.calcsize(code):
        return None
    return shape, [float(v) for v in struct.unpack(f"<{count}{code}", body)]


def _header(raw: bytes) -> tuple[dict[str, Any], int]:
    if not raw.startswith(_MAGIC) or len(raw) < 10:
        raise ValueError("not an .npy file")
    size_format, start = ("<H", 10) if raw[6] == 1 else ("<I", 12)
    (length,) = struct.unpack(size_format, raw[8:start])
    header = ast.literal_eval(raw[start : start + length].decode("latin1"))
    if not isinstance(header, dict):
        raise ValueError("not an .npy header")
    return header, start + length


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [leaf for item in value for leaf in _flatten(item)]
    return [value]
