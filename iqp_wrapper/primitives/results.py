"""SamplerResult and EstimatorResult: a job's result read from either wire form.

- REST form (jobs sent as OpenQASM 3): ``{"results": [{"data": ..., "metadata": ...}],
  "metadata": ...}``; Sampler registers as ``{"samples": ["0x3", ...], "num_bits": 2}``,
  Estimator ``evs``/``stds``/``ensemble_standard_error`` as numbers or nested lists.
- qiskit's encoded form (jobs sent by qiskit-ibm-runtime): ``{"__type__":
  "PrimitiveResult", "__value__": {"pub_results": [...], "metadata": ...}}`` with
  ``DataBin``, ``BitArray`` and ``ndarray`` (base64 of zlib-compressed ``.npy``) inside.

Anything else is a ResultFormatError naming the PUB and the field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar, overload

from iqp_wrapper._json import loads as strict_json
from iqp_wrapper.primitives.bitarray import BitArray
from iqp_wrapper.primitives.errors import ResultFormatError
from iqp_wrapper.primitives.json_types import JSON, JSONObject
from iqp_wrapper.primitives.metadata import PubMetadata
from iqp_wrapper.primitives.nested import FloatArray, flatten, nest, shape_of
from iqp_wrapper.primitives.npy import NpyError, decode_encoded_ndarray, peek_encoded_ndarray

_REQUIRED_FIELDS = ("evs", "stds")


class SamplerData(Mapping[str, BitArray]):
    """The registers of one Sampler PUB: ``data.meas`` or ``data["meas"]``."""

    def __init__(self, registers: dict[str, BitArray]) -> None:
        self._registers = registers

    def __getitem__(self, name: str) -> BitArray:
        return self._registers[name]

    def __getattr__(self, name: str) -> BitArray:
        registers = self.__dict__.get("_registers", {})
        if name in registers:
            return registers[name]  # type: ignore[no-any-return]
        raise AttributeError(f"no classical register {name!r}; the PUB has {sorted(registers)}")

    def __iter__(self) -> Iterator[str]:
        return iter(self._registers)

    def __len__(self) -> int:
        return len(self._registers)

    def __repr__(self) -> str:
        return f"SamplerData({self._registers!r})"


@dataclass(frozen=True)
class EstimatorData:
    """The expectation values of one Estimator PUB.

    ``evs``, ``stds`` and ``ensemble_standard_error`` are a ``float`` when the PUB has a
    single value (``shape == ()``), nested lists of floats of ``shape`` otherwise.
    ``ensemble_standard_error`` is None when the result does not carry it.
    """

    evs: float | FloatArray
    stds: float | FloatArray
    ensemble_standard_error: float | FloatArray | None
    shape: tuple[int, ...]

    def item(
        self, field: Literal["evs", "stds", "ensemble_standard_error"], index: int | tuple[int, ...] = ()
    ) -> float:
        """One value of ``evs``, ``stds`` or ``ensemble_standard_error`` at ``index`` (a tuple
        of one index per axis of ``shape``; ``()`` for a single value), typed as a float."""
        value: float | FloatArray | None = getattr(self, field)
        where = (index,) if isinstance(index, int) else index
        if value is None:
            raise ResultFormatError("the result carries no values", field=field)
        if len(where) != len(self.shape):
            raise IndexError(f"index {index!r} does not index shape {self.shape}")
        for i in where:
            assert isinstance(value, list)
            value = value[i]
        assert isinstance(value, float)
        return value


@dataclass(frozen=True)
class SamplerPubResult:
    data: SamplerData
    metadata: PubMetadata


@dataclass(frozen=True)
class EstimatorPubResult:
    data: EstimatorData
    metadata: PubMetadata


P = TypeVar("P", SamplerPubResult, EstimatorPubResult)


@dataclass(frozen=True)
class _PrimitiveResult(Sequence[P], Generic[P]):
    pub_results: list[P]
    metadata: JSONObject = field(default_factory=dict)
    encoded: bool = False
    """True when the result came in qiskit's encoded form, False for the REST form."""

    @overload
    def __getitem__(self, index: int) -> P: ...
    @overload
    def __getitem__(self, index: slice) -> list[P]: ...
    def __getitem__(self, index: int | slice) -> P | list[P]:
        return self.pub_results[index]

    def __len__(self) -> int:
        return len(self.pub_results)


class SamplerResult(_PrimitiveResult[SamplerPubResult]):
    """A Sampler job's result: one SamplerPubResult per PUB, in the order sent."""

    @classmethod
    def from_json(cls, data: JSON | str | bytes) -> SamplerResult:
        """Read a Sampler result in either wire form (parsed JSON, or its text)."""
        pubs, metadata, encoded = _pubs_of(data)
        return cls([_sampler_pub(i, pub, encoded) for i, pub in enumerate(pubs)], metadata, encoded)


class EstimatorResult(_PrimitiveResult[EstimatorPubResult]):
    """An Estimator job's result: one EstimatorPubResult per PUB, in the order sent."""

    @classmethod
    def from_json(cls, data: JSON | str | bytes) -> EstimatorResult:
        """Read an Estimator result in either wire form (parsed JSON, or its text)."""
        pubs, metadata, encoded = _pubs_of(data)
        return cls([_estimator_pub(i, pub, encoded) for i, pub in enumerate(pubs)], metadata, encoded)


# -- the envelope ------------------------------------------------------------------


def _pubs_of(data: JSON | str | bytes) -> tuple[list[JSON], JSONObject, bool]:
    if isinstance(data, (str, bytes)):
        try:
            data = strict_json(data)
        except ValueError as exc:
            raise ResultFormatError(f"the result is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ResultFormatError(f"the result is a JSON {type(data).__name__}, not an object")
    if data.get("__type__") == "PrimitiveResult":
        value = _object(data.get("__value__"), None, "__value__")
        pubs, metadata = value.get("pub_results"), value.get("metadata")
        encoded = True
    elif "results" in data:
        pubs, metadata = data.get("results"), data.get("metadata")
        encoded = False
    else:
        raise ResultFormatError(
            "the result has neither 'results' (REST form) nor '__type__': 'PrimitiveResult' "
            f"(qiskit's encoded form); its keys are {sorted(data)[:8]}"
        )
    if not isinstance(pubs, list):
        raise ResultFormatError("the list of PUB results is missing", field="results")
    return pubs, metadata if isinstance(metadata, dict) else {}, encoded


def _object(value: JSON, pub: int | None, name: str) -> JSONObject:
    if not isinstance(value, dict):
        raise ResultFormatError(f"expected a JSON object, got {type(value).__name__}", pub=pub, field=name)
    return value


def _unwrap(value: JSON, expected: tuple[str, ...], pub: int, name: str) -> JSONObject:
    """The ``__value__`` of a qiskit-encoded ``{"__type__": ..., "__value__": ...}``."""
    obj = _object(value, pub, name)
    kind = obj.get("__type__")
    if kind not in expected:
        raise ResultFormatError(
            f"expected {' or '.join(expected)}, got __type__={kind!r}", pub=pub, field=name
        )
    return _object(obj.get("__value__"), pub, name)


def _pub_parts(
    index: int, pub: JSON, encoded: bool, kinds: tuple[str, ...]
) -> tuple[JSONObject, PubMetadata]:
    """The data fields and metadata of one PUB result (the encoded form's DataBin shape is
    checked; each field's own array gives its shape)."""
    if encoded:
        value = _unwrap(pub, kinds, index, "pub_results")
        databin = _unwrap(value.get("data"), ("DataBin",), index, "data")
        fields = _object(databin.get("fields"), index, "data.fields")
        shape = databin.get("shape")
        if not isinstance(shape, list) or not all(isinstance(d, int) for d in shape):
            raise ResultFormatError("DataBin shape is not a list of sizes", pub=index, field="data.shape")
        return fields, PubMetadata.from_json(value.get("metadata"))
    obj = _object(pub, index, "results")
    return _object(obj.get("data"), index, "data"), PubMetadata.from_json(obj.get("metadata"))


# -- Sampler -----------------------------------------------------------------------


def _sampler_pub(index: int, pub: JSON, encoded: bool) -> SamplerPubResult:
    fields, metadata = _pub_parts(index, pub, encoded, ("SamplerPubResult", "PubResult"))
    registers = {}
    for name, value in fields.items():
        if encoded:
            registers[name] = _encoded_register(index, name, value)
        else:
            registers[name] = _rest_register(index, name, value)
    return SamplerPubResult(SamplerData(registers), metadata)


def _num_bits(value: JSON, index: int, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ResultFormatError(
            f"num_bits must be a non-negative integer, got {value!r}", pub=index, field=name
        )
    return value


def _rest_register(index: int, name: str, value: JSON) -> BitArray:
    register = _object(value, index, name)
    num_bits = _num_bits(register.get("num_bits"), index, name)
    samples = register.get("samples")
    if not isinstance(samples, list):
        raise ResultFormatError("'samples' is missing or not a list of hex strings", pub=index, field=name)
    # Shots are the innermost level; the levels above are the PUB's parameter sweep.
    depth = 0
    level: JSON = samples
    while isinstance(level, list) and level and isinstance(level[0], list):
        level = level[0]
        depth += 1
    shape: list[int] = []
    level = samples
    for _ in range(depth):
        assert isinstance(level, list)
        shape.append(len(level))
        level = level[0]
    rows = flatten(samples, depth)
    if not all(isinstance(row, list) and len(row) == len(rows[0]) for row in rows):  # type: ignore[arg-type]
        raise ResultFormatError(
            "'samples' is ragged: every sweep point needs the same shots", pub=index, field=name
        )
    return BitArray.from_hex(rows, shape=tuple(shape), num_bits=num_bits, pub=index, register=name)  # type: ignore[arg-type]


def _encoded_register(index: int, name: str, value: JSON) -> BitArray:
    bit_array = _unwrap(value, ("BitArray",), index, name)
    num_bits = _num_bits(bit_array.get("num_bits"), index, name)
    encoded = _object(bit_array.get("array"), index, name)
    if encoded.get("__type__") != "ndarray" or not isinstance(encoded.get("__value__"), str):
        raise ResultFormatError("BitArray.array is not an encoded ndarray", pub=index, field=name)
    text = encoded["__value__"]
    assert isinstance(text, str)
    try:
        npy = peek_encoded_ndarray(text)
    except NpyError as exc:
        raise ResultFormatError(str(exc), pub=index, field=name) from None
    nb = (num_bits + 7) // 8
    if npy.kind != "u" or npy.itemsize != 1 or len(npy.shape) < 2 or npy.shape[-1] != nb:
        raise ResultFormatError(
            f"BitArray.array must be uint8 of shape (..., shots, {nb}), got {npy.descr} {npy.shape}",
            pub=index,
            field=name,
        )

    def packed() -> bytes:
        # Decoded on each use rather than kept: a PUB costs memory only while it is read.
        try:
            return decode_encoded_ndarray(text).c_order_data()
        except NpyError as exc:
            raise ResultFormatError(str(exc), pub=index, field=name) from None

    return BitArray.from_packed(
        packed,
        shape=npy.shape[:-2],
        num_shots=npy.shape[-2],
        num_bits=num_bits,
        pub=index,
        register=name,
    )


# -- Estimator ---------------------------------------------------------------------


def _estimator_pub(index: int, pub: JSON, encoded: bool) -> EstimatorPubResult:
    fields, metadata = _pub_parts(index, pub, encoded, ("EstimatorPubResult", "PubResult"))
    for name in _REQUIRED_FIELDS:
        if name not in fields:
            raise ResultFormatError("missing", pub=index, field=name)
    evs, stds = _floats(index, "evs", fields["evs"]), _floats(index, "stds", fields["stds"])
    ese = None  # not every result carries it
    if "ensemble_standard_error" in fields:
        ese = _floats(index, "ensemble_standard_error", fields["ensemble_standard_error"])
    if stds[1] != evs[1] or (ese is not None and ese[1] != evs[1]):
        raise ResultFormatError(
            f"evs has shape {evs[1]}, stds or ensemble_standard_error another", pub=index, field="stds"
        )
    return EstimatorPubResult(
        EstimatorData(evs[0], stds[0], None if ese is None else ese[0], evs[1]), metadata
    )


def _floats(index: int, name: str, value: JSON) -> tuple[float | FloatArray, tuple[int, ...]]:
    if isinstance(value, dict) and value.get("__type__") == "ndarray":
        inner = value.get("__value__")
        if isinstance(inner, str):
            try:
                npy = decode_encoded_ndarray(inner)
            except NpyError as exc:
                raise ResultFormatError(str(exc), pub=index, field=name) from None
            if npy.kind not in ("f", "i", "u"):  # real numbers: float, signed, unsigned
                raise ResultFormatError(
                    f"expected real numbers, got dtype {npy.descr}", pub=index, field=name
                )
            flat = [float(x) for x in npy.flat()]  # type: ignore[arg-type]
            return nest(flat, npy.shape), npy.shape  # type: ignore[arg-type,return-value]
        value = inner
    try:
        shape = shape_of(value, what=name)
    except ValueError as exc:
        raise ResultFormatError(str(exc), pub=index, field=name) from None
    flat_values = [float(x) for x in flatten(value, len(shape))]  # type: ignore[arg-type]
    return nest(flat_values, shape), shape  # type: ignore[arg-type,return-value]
