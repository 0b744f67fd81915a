"""Read NumPy's ``.npy`` format in pure Python: the arrays of qiskit's encoded results.

qiskit-ibm-runtime encodes an ``ndarray`` as base64 of zlib-compressed ``numpy.save``
output. Only what the service sends is read: booleans, unsigned and signed integers,
floats and complex numbers, either byte order, C or Fortran layout, any shape.
Object arrays (pickles) are refused: reading them would run code from the payload.
"""

from __future__ import annotations

import ast
import base64
import binascii
import math
import struct
import sys
import zlib
from dataclasses import dataclass

from iqp_wrapper.primitives.nested import Nested, Scalar, nest

_MAGIC = b"\x93NUMPY"

# dtype kind + size -> struct format letter
_FORMATS = {
    ("b", 1): "?",
    ("u", 1): "B",
    ("u", 2): "H",
    ("u", 4): "I",
    ("u", 8): "Q",
    ("i", 1): "b",
    ("i", 2): "h",
    ("i", 4): "i",
    ("i", 8): "q",
    ("f", 2): "e",
    ("f", 4): "f",
    ("f", 8): "d",
    ("c", 8): "f",
    ("c", 16): "d",
}


class NpyError(ValueError):
    """The bytes are not an ``.npy`` array this reader supports."""


@dataclass(frozen=True)
class NpyArray:
    """A decoded ``.npy`` array: its raw element bytes and how to read them.

    Attributes:
        descr: NumPy's type string, e.g. ``'|u1'`` or ``'<f8'``.
        shape: length of each dimension; ``()`` for a single value.
        fortran_order: whether ``data`` is laid out column-major.
        data: the element bytes, exactly ``size * itemsize`` of them.
    """

    descr: str
    shape: tuple[int, ...]
    fortran_order: bool
    data: bytes

    @property
    def kind(self) -> str:
        return self.descr[1]

    @property
    def itemsize(self) -> int:
        return int(self.descr[2:])

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def c_order_data(self) -> bytes:
        """The element bytes in C (row-major) order, whatever the stored layout."""
        if not self.fortran_order or len(self.shape) < 2:
            return self.data
        return _fortran_to_c(self.data, self.shape, self.itemsize)

    def flat(self) -> list[Scalar]:
        """Every element as a Python value, in C order."""
        fmt = _FORMATS[(self.kind, self.itemsize)]
        order = ">" if self.descr[0] == ">" else "<"
        data = self.c_order_data()
        if self.kind == "c":
            parts = struct.unpack(f"{order}{2 * self.size}{fmt}", data)
            return [complex(parts[i], parts[i + 1]) for i in range(0, len(parts), 2)]
        values = struct.unpack(f"{order}{self.size}{fmt}", data)
        return list(values)

    def tolist(self) -> Scalar | Nested:
        """The array as nested lists in C order (a bare value for shape ``()``)."""
        return nest(self.flat(), self.shape)


def decode_encoded_ndarray(text: str) -> NpyArray:
    """Read qiskit's encoded form: base64 text of zlib-compressed ``.npy`` bytes."""
    try:
        raw = zlib.decompress(base64.b64decode(text, validate=True))
    except (binascii.Error, zlib.error, ValueError) as exc:
        raise NpyError(f"not base64 of zlib-compressed data ({exc})") from None
    return read_npy(raw)


def peek_encoded_ndarray(text: str) -> NpyArray:
    """The header of qiskit's encoded form (``data`` left empty), decompressing only its start."""
    try:
        compressed = base64.b64decode(text, validate=True)
        start = zlib.decompressobj().decompress(compressed, 4096)
    except (binascii.Error, zlib.error, ValueError) as exc:
        raise NpyError(f"not base64 of zlib-compressed data ({exc})") from None
    return read_npy(start, header_only=True)


def read_npy(raw: bytes, *, header_only: bool = False) -> NpyArray:
    """Parse ``.npy`` bytes (format versions 1, 2 and 3)."""
    if raw[:6] != _MAGIC or len(raw) < 10:
        raise NpyError("not .npy data (magic string missing)")
    major = raw[6]
    if major == 1:
        header_len = struct.unpack("<H", raw[8:10])[0]
        start = 10
    elif major in (2, 3):
        header_len = struct.unpack("<I", raw[8:12])[0]
        start = 12
    else:
        raise NpyError(f".npy format version {major} is not supported")
    header_text = raw[start : start + header_len].decode("latin-1" if major < 3 else "utf-8")
    try:
        header = ast.literal_eval(header_text)
    except (ValueError, SyntaxError):
        raise NpyError("the .npy header is not a Python literal") from None
    if not isinstance(header, dict):
        raise NpyError("the .npy header is not a dict")
    descr, fortran, shape = header.get("descr"), header.get("fortran_order"), header.get("shape")
    if not isinstance(descr, str) or len(descr) < 3 or descr[0] not in "<>|=":
        raise NpyError(f"dtype {descr!r} is not supported (structured or object arrays are refused)")
    if descr[0] == "=":
        descr = ("<" if sys.byteorder == "little" else ">") + descr[1:]
    if not descr[2:].isdigit() or (descr[1], int(descr[2:])) not in _FORMATS:
        raise NpyError(f"dtype {descr!r} is not supported")
    if not isinstance(fortran, bool) or not isinstance(shape, tuple):
        raise NpyError("the .npy header lacks fortran_order or shape")
    if not all(isinstance(d, int) and d >= 0 for d in shape):
        raise NpyError(f"shape {shape!r} is not a tuple of sizes")
    array = NpyArray(descr, shape, fortran, b"")
    if header_only:
        return array
    body = raw[start + header_len :]
    expected = array.size * array.itemsize
    if len(body) != expected:
        raise NpyError(f"{len(body)} data bytes where shape {shape} of {descr} needs {expected}")
    return NpyArray(descr, shape, fortran, body)


def _fortran_to_c(data: bytes, shape: tuple[int, ...], itemsize: int) -> bytes:
    # Column-major bytes of shape S are the row-major bytes of reversed(S) transposed, so
    # walk the C-order index space and pick each element's Fortran offset.
    n = len(shape)
    strides = [itemsize] * n
    for axis in range(1, n):
        strides[axis] = strides[axis - 1] * shape[axis - 1]
    offsets = [0]
    for axis in range(n):
        step = strides[axis]
        offsets = [o + i * step for o in offsets for i in range(shape[axis])]
    view = memoryview(data)
    return b"".join(view[o : o + itemsize] for o in offsets)
