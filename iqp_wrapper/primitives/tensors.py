"""Executor tensors, typed and decoded without numpy.

Two wire forms, both ``{"data": <base64>, "shape": [...], "dtype": ...}`` holding
little-endian values in C order, booleans packed eight to a byte with the first value in
the lowest bit:
- TensorModel (executor results v0.1 to v1.1): the bytes as they are; dtype one of
  ``f64``, ``bool``, ``u8``, ``c128``;
- CompressedTensorModel (v2.0): the bytes zlib-compressed; dtype also ``f16``, ``f32``,
  ``i8`` to ``i64``, ``u16`` to ``u64``, ``c64``.

A Tensor keeps its bytes (or a function that inflates them again) and turns them into
Python values only when asked, so a large result costs memory only for what is read. A
measurement tensor (bool, shape ``(..., shots, bits)``, bit 0 in column 0) reads as a
BitArray, so it counts like a Sampler register.
"""

from __future__ import annotations

import base64
import binascii
import math
import struct
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from iqp_wrapper.primitives.bitarray import BitArray
from iqp_wrapper.primitives.errors import ResultFormatError
from iqp_wrapper.primitives.executor_bits import bool_rows_to_strings
from iqp_wrapper.primitives.json_types import JSON
from iqp_wrapper.primitives.nested import Nested, Scalar, nest

if TYPE_CHECKING:  # numpy is optional: imported only inside to_numpy()
    import numpy  # type: ignore[import-not-found, unused-ignore]

# dtype -> (struct code of one value, bytes per value); complex values are two floats.
# Booleans are bits: their byte count is worked out apart.
DTYPES: dict[str, tuple[str, int]] = {
    "bool": ("?", 0),
    "f16": ("e", 2),
    "f32": ("f", 4),
    "f64": ("d", 8),
    "i8": ("b", 1),
    "i16": ("h", 2),
    "i32": ("i", 4),
    "i64": ("q", 8),
    "u8": ("B", 1),
    "u16": ("H", 2),
    "u32": ("I", 4),
    "u64": ("Q", 8),
    "c64": ("f", 8),
    "c128": ("d", 16),
}
"""Every dtype a CompressedTensorModel may have (ibm-quantum-schemas ``SupportedDtypesExtended``)."""

PLAIN_DTYPES = frozenset({"f64", "bool", "u8", "c128"})
"""The dtypes of an uncompressed TensorModel (``SupportedDtypes``)."""


def byte_count(dtype: str, size: int) -> int:
    """Bytes that ``size`` values of ``dtype`` take on the wire."""
    return (size + 7) // 8 if dtype == "bool" else size * DTYPES[dtype][1]


class Tensor:
    """One decoded tensor.

    Attributes:
        dtype: the wire name of the element type (``f64``, ``bool``, ``i32``...).
        shape: the tensor's shape; ``()`` for a single value.
    """

    __slots__ = ("_data", "dtype", "shape")

    def __init__(self, dtype: str, shape: tuple[int, ...], data: bytes | Callable[[], bytes]) -> None:
        if dtype not in DTYPES:
            raise ResultFormatError(f"tensor dtype {dtype!r} is none of {', '.join(DTYPES)}")
        self.dtype = dtype
        self.shape = shape
        self._data = data

    @property
    def size(self) -> int:
        """Number of values (1 for shape ``()``)."""
        return math.prod(self.shape)

    def data(self) -> bytes:
        """The values' bytes as sent (inflated): little-endian, C order, booleans packed."""
        return self._data if isinstance(self._data, bytes) else self._data()

    def flat(self) -> list[Scalar]:
        """Every value in C order: bool, int, float or complex by dtype."""
        raw, size, dtype = self.data(), self.size, self.dtype
        if dtype == "bool":
            return [bool(raw[i >> 3] >> (i & 7) & 1) for i in range(size)]
        code = DTYPES[dtype][0]
        if dtype.startswith("c"):
            parts = struct.unpack(f"<{2 * size}{code}", raw)
            return [complex(parts[i], parts[i + 1]) for i in range(0, 2 * size, 2)]
        values: list[Scalar] = list(struct.unpack(f"<{size}{code}", raw))
        return values

    @property
    def values(self) -> Scalar | Nested:
        """The values as nested lists of ``shape`` (a bare value for shape ``()``)."""
        flat = self.flat()
        if not self.shape:
            return flat[0]
        return nest(flat, self.shape) if flat else _empty(self.shape)

    def tolist(self) -> Scalar | Nested:
        return self.values

    def to_bit_array(self) -> BitArray:
        """A measurement tensor (bool, shape ``(..., shots, bits)``) as a BitArray: column 0
        is bit 0, the rightmost character of a bit string."""
        if self.dtype != "bool" or len(self.shape) < 2:
            raise ResultFormatError(f"a {self.dtype} tensor of shape {self.shape} holds no shots")
        num_bits, rows = self.shape[-1], math.prod(self.shape[:-1])
        return BitArray.from_bit_strings(
            bool_rows_to_strings(self.data(), rows, num_bits),
            shape=self.shape[:-2],
            num_shots=self.shape[-2],
            num_bits=num_bits,
        )

    def to_numpy(self) -> numpy.ndarray:  # type: ignore[type-arg, unused-ignore]
        """The tensor as a numpy array of its dtype. Needs numpy (an optional dependency)."""
        import numpy  # type: ignore[import-not-found, unused-ignore]

        raw = self.data()
        if self.dtype == "bool":
            bits = numpy.unpackbits(numpy.frombuffer(raw, dtype=numpy.uint8), bitorder="little")
            return bits[: self.size].astype(bool).reshape(self.shape)
        # numpy's own names: kind letter and bytes per value (f8, i2, u1, c16...).
        dtype = f"<{self.dtype[0]}{DTYPES[self.dtype][1]}"
        # numpy types a frombuffer of a dtype chosen at run time as Any.
        return numpy.frombuffer(raw, dtype=dtype).reshape(self.shape).copy()  # type: ignore[no-any-return, unused-ignore]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tensor):
            return NotImplemented
        return (self.dtype, self.shape, self.data()) == (other.dtype, other.shape, other.data())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Tensor(dtype={self.dtype!r}, shape={self.shape})"


def _empty(shape: tuple[int, ...]) -> Nested:
    """Nested lists of a shape with a zero somewhere: lists down to the first zero axis."""
    if not shape or shape[0] == 0:
        return []
    return [_empty(shape[1:]) for _ in range(shape[0])]


def _header(model: JSON, where: str, item: int | None) -> tuple[str, str, tuple[int, ...]]:
    if not isinstance(model, dict):
        raise ResultFormatError(
            "a tensor must be an object with data, shape and dtype", item=item, field=where
        )
    data, shape, dtype = model.get("data"), model.get("shape"), model.get("dtype")
    if not isinstance(data, str) or not isinstance(dtype, str):
        raise ResultFormatError("a tensor needs string 'data' and 'dtype'", item=item, field=where)
    if not isinstance(shape, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape
    ):
        raise ResultFormatError(f"tensor shape {shape!r} is not a list of sizes", item=item, field=where)
    return data, dtype, tuple(shape)  # type: ignore[arg-type]


def _bytes(text: str, where: str, item: int | None) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ResultFormatError("tensor data is not base64", item=item, field=where) from None


def _check_length(got: int, dtype: str, shape: tuple[int, ...], where: str, item: int | None) -> None:
    size = math.prod(shape)
    want = byte_count(dtype, size)
    if got != want:
        raise ResultFormatError(
            f"{got} bytes do not hold {size} {dtype} values of shape {list(shape)} ({want} bytes)",
            item=item,
            field=where,
        )


def decode_tensor(model: JSON, *, where: str = "", item: int | None = None) -> Tensor:
    """Decode one TensorModel (uncompressed; executor results v0.1 to v1.1)."""
    text, dtype, shape = _header(model, where, item)
    if dtype not in PLAIN_DTYPES:
        raise ResultFormatError(
            f"tensor dtype {dtype!r} is none of {', '.join(sorted(PLAIN_DTYPES))}", item=item, field=where
        )
    raw = _bytes(text, where, item)
    _check_length(len(raw), dtype, shape, where, item)
    return Tensor(dtype, shape, raw)


def decode_compressed_tensor(
    model: JSON, *, where: str = "", item: int | None = None, keep: bool = False
) -> Tensor:
    """Decode one CompressedTensorModel (executor v2.0): base64, then zlib.

    The data is inflated once here to check it; with ``keep=False`` (the default) the
    Tensor inflates it again on each use instead of holding the inflated bytes.
    """
    text, dtype, shape = _header(model, where, item)
    if dtype not in DTYPES:
        raise ResultFormatError(
            f"tensor dtype {dtype!r} is none of {', '.join(DTYPES)}", item=item, field=where
        )

    def inflate() -> bytes:
        try:
            return zlib.decompress(_bytes(text, where, item))
        except zlib.error as exc:
            raise ResultFormatError(f"tensor data does not inflate ({exc})", item=item, field=where) from None

    raw = inflate()
    _check_length(len(raw), dtype, shape, where, item)
    return Tensor(dtype, shape, raw if keep else inflate)


def is_tensor_model(value: JSON) -> bool:
    """Whether ``value`` has the keys of a tensor model (data, shape, dtype) and no others."""
    return isinstance(value, dict) and set(value) == {"data", "shape", "dtype"}


def __getattr__(name: str) -> Any:
    # ExecutorResult and ExecutorItemResult lived here before results v2.0: importing them
    # from here keeps working (loaded on first use, so the modules do not import each other).
    if name in ("ExecutorResult", "ExecutorItemResult"):
        from iqp_wrapper.primitives import executor_results

        return getattr(executor_results, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
