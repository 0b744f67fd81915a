"""Executor results (format v0.1 and v0.2): every TensorModel as nested lists.

A TensorModel is ``{"data": <base64>, "shape": [...], "dtype": "f64" | "bool" | "u8" |
"c128"}``: little-endian values in C order, booleans packed eight to a byte with the first
value in the lowest bit. A measurement tensor (bool, shape ``(..., shots, bits)``, bit 0 in
column 0) reads as a BitArray, so it counts like a Sampler register.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass, field

from iqp_wrapper.primitives.bitarray import BitArray
from iqp_wrapper.primitives.errors import ResultFormatError
from iqp_wrapper.primitives.json_types import JSON, JSONObject
from iqp_wrapper.primitives.nested import Nested, Scalar, nest

_ITEM_BYTES = {"f64": 8, "u8": 1, "c128": 16}


@dataclass(frozen=True)
class Tensor:
    """One decoded tensor: ``values`` is a bare value for shape ``()``, nested lists otherwise."""

    dtype: str
    shape: tuple[int, ...]
    values: Scalar | Nested
    _flat: list[Scalar] = field(repr=False, compare=False, default_factory=list)

    def tolist(self) -> Scalar | Nested:
        return self.values

    def to_bit_array(self) -> BitArray:
        """A measurement tensor (bool, shape ``(..., shots, bits)``) as a BitArray."""
        if self.dtype != "bool" or len(self.shape) < 2:
            raise ResultFormatError(f"a {self.dtype} tensor of shape {self.shape} holds no shots")
        num_bits = self.shape[-1]
        nb = (num_bits + 7) // 8
        text = "".join("1" if b else "0" for b in self._flat)
        # Column 0 is bit 0, the rightmost character of a bit string: reverse each shot.
        packed = (
            b"".join(
                int(text[i : i + num_bits][::-1] or "0", 2).to_bytes(nb, "big")
                for i in range(0, len(text), num_bits or 1)
            )
            if num_bits
            else b""
        )
        return BitArray.from_packed(
            packed, shape=self.shape[:-2], num_shots=self.shape[-2], num_bits=num_bits
        )


def decode_tensor(model: JSON, *, where: str = "") -> Tensor:
    """Decode one TensorModel given as its JSON object."""
    if not isinstance(model, dict):
        raise ResultFormatError("a tensor must be an object with data, shape and dtype", field=where)
    data, shape, dtype = model.get("data"), model.get("shape"), model.get("dtype")
    if not isinstance(data, str) or not isinstance(dtype, str):
        raise ResultFormatError("a tensor needs string 'data' and 'dtype'", field=where)
    if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
        raise ResultFormatError(f"tensor shape {shape!r} is not a list of sizes", field=where)
    dims: tuple[int, ...] = tuple(shape)  # type: ignore[arg-type]
    size = 1
    for d in dims:
        size *= d
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ResultFormatError("tensor data is not base64", field=where) from None
    flat: list[Scalar]
    if dtype == "bool":
        if len(raw) != (size + 7) // 8:
            raise ResultFormatError(f"{len(raw)} bytes cannot hold {size} packed booleans", field=where)
        flat = [bool(raw[i >> 3] >> (i & 7) & 1) for i in range(size)]
    elif dtype in _ITEM_BYTES:
        if len(raw) != size * _ITEM_BYTES[dtype]:
            raise ResultFormatError(f"{len(raw)} bytes do not hold {size} {dtype} values", field=where)
        if dtype == "u8":
            flat = list(raw)
        elif dtype == "f64":
            flat = list(struct.unpack(f"<{size}d", raw))
        else:
            parts = struct.unpack(f"<{2 * size}d", raw)
            flat = [complex(parts[i], parts[i + 1]) for i in range(0, len(parts), 2)]
    else:
        raise ResultFormatError(f"tensor dtype {dtype!r} is none of f64, bool, u8, c128", field=where)
    return Tensor(dtype, dims, nest(flat, dims) if size or not dims else [], flat)


@dataclass(frozen=True)
class ExecutorItemResult:
    """The outputs of one program item, by name (classical registers and other outputs)."""

    results: dict[str, Tensor]
    metadata: JSON


@dataclass(frozen=True)
class ExecutorResult:
    """An Executor job's result (format v0.1 or v0.2), tensors decoded."""

    items: list[ExecutorItemResult]
    schema_version: str
    metadata: JSONObject
    passthrough_data: JSON = None

    def __getitem__(self, index: int) -> ExecutorItemResult:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    @classmethod
    def from_json(cls, data: JSON) -> ExecutorResult:
        """Read an Executor result from its JSON object (``job_results(...).to_dict()``)."""
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise ResultFormatError("an Executor result is an object with a 'data' list of items")
        items = []
        for index, item in enumerate(data["data"]):  # type: ignore[arg-type]
            if not isinstance(item, dict) or not isinstance(item.get("results"), dict):
                raise ResultFormatError("an item needs a 'results' object", pub=index, field="results")
            outputs = item["results"]
            assert isinstance(outputs, dict)
            tensors = {}
            for name, model in outputs.items():
                try:
                    tensors[name] = decode_tensor(model, where=name)
                except ResultFormatError as exc:
                    raise ResultFormatError(str(exc).split(": ", 1)[-1], pub=index, field=name) from None
            items.append(ExecutorItemResult(tensors, item.get("metadata")))
        metadata = data.get("metadata")
        version = data.get("schema_version")
        return cls(
            items,
            version if isinstance(version, str) else "",
            metadata if isinstance(metadata, dict) else {},
            data.get("passthrough_data"),
        )
