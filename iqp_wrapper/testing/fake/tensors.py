"""The tensors of IBM's program schemas (ibm-quantum-schemas ``TensorModel`` and
``CompressedTensorModel``), written and read in pure Python.

``{"data": <base64>, "shape": [...], "dtype": "f64" | "bool" | "u8" | "c128" | ...}``:
little-endian, C order, bools packed eight to a byte (least significant bit first); the
compressed form zlib-compresses the bytes before base64.
"""

from __future__ import annotations

import base64
import binascii
import math
import struct
import zlib
from collections.abc import Sequence
from typing import Any

_FORMATS = {
    "f16": "e", "f32": "f", "f64": "d", "i8": "b", "i16": "h", "i32": "i", "i64": "q",
    "u8": "B", "u16": "H", "u32": "I", "u64": "Q",
}  # fmt: skip


class TensorError(ValueError):
    """A tensor that does not hold what its shape and dtype say."""


def encode_bools(shape: Sequence[int], bits: Sequence[int], *, compressed: bool) -> dict[str, Any]:
    """A bool tensor (``bits`` are 0/1, flat in C order)."""
    packed = bytearray((len(bits) + 7) // 8)
    for index, bit in enumerate(bits):
        if bit:
            packed[index >> 3] |= 1 << (index & 7)
    return _tensor(bytes(packed), shape, "bool", compressed)


def encode_numbers(
    shape: Sequence[int], values: Sequence[complex], dtype: str, *, compressed: bool
) -> dict[str, Any]:
    """A numeric tensor of ``dtype`` (``f64``, ``u8``... or ``c128``)."""
    if dtype == "c128":
        raw = b"".join(struct.pack("<dd", complex(v).real, complex(v).imag) for v in values)
    else:
        code = _FORMATS[dtype]
        items = [v.real if code in "efd" else int(v.real) for v in values]
        raw = struct.pack(f"<{len(items)}{code}", *items)
    return _tensor(raw, shape, dtype, compressed)


def decode_numbers(tensor: Any, *, compressed: bool) -> tuple[tuple[int, ...], list[float]]:
    """Shape and values of a real numeric tensor; TensorError if it is not one."""
    if not isinstance(tensor, dict) or not isinstance(tensor.get("data"), str):
        raise TensorError("a tensor is an object with data, shape and dtype")
    shape = tuple(int(n) for n in tensor.get("shape") or [])
    code = _FORMATS.get(str(tensor.get("dtype")))
    if code is None:
        raise TensorError(f"dtype {tensor.get('dtype')!r} is not a real number type")
    try:
        raw = base64.b64decode(tensor["data"], validate=True)
        if compressed:
            raw = zlib.decompress(raw)
    except (binascii.Error, ValueError, zlib.error) as error:
        raise TensorError(f"tensor data is not {'compressed ' if compressed else ''}base64") from error
    count = math.prod(shape)
    if len(raw) != count * struct.calcsize(code):
        raise TensorError(
            f"tensor data holds {len(raw)} bytes, not the {count} values of shape {list(shape)}"
        )
    return shape, [float(v) for v in struct.unpack(f"<{count}{code}", raw)]


def _tensor(raw: bytes, shape: Sequence[int], dtype: str, compressed: bool) -> dict[str, Any]:
    data = zlib.compress(raw) if compressed else raw
    return {"data": base64.b64encode(data).decode("ascii"), "shape": list(shape), "dtype": dtype}
