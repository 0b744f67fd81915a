"""An executor result read as a Sampler's: classified registers as BitArrays.

qiskit-ibm-runtime's executor Sampler sends ``semantic_role: "sampler_v2"`` and, in the
passthrough data, ``post_processor`` (version ``v0.1``: ``twirling``, ``meas_type``,
``shots``, ``options``, ``circuits_metadata``). With twirling, a register's tensor has
shape ``(randomizations, *sweep, shots, bits)`` and an output
``measurement_flips.<register>`` of shape ``(randomizations, *sweep, 1, bits)`` holds the
bit flips to undo; the randomizations then count as shots of their sweep point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from iqp_wrapper.primitives.bitarray import BitArray
from iqp_wrapper.primitives.errors import ResultFormatError
from iqp_wrapper.primitives.executor_bits import (
    bool_rows_to_packed,
    bool_rows_to_strings,
    merge_randomizations,
    xor_flips,
)
from iqp_wrapper.primitives.json_types import JSON, JSONObject
from iqp_wrapper.primitives.metadata import PubMetadata
from iqp_wrapper.primitives.results import SamplerData, SamplerPubResult, SamplerResult
from iqp_wrapper.primitives.tensors import Tensor

if TYPE_CHECKING:
    from iqp_wrapper.primitives.executor_results import ExecutorItemResult

SAMPLER_ROLE = "sampler_v2"
FLIPS = "measurement_flips."
POST_PROCESSORS = ("v0.1",)


def sampler_result_of(
    items: Sequence[ExecutorItemResult], role: str | None, passthrough: JSON, metadata: JSONObject
) -> SamplerResult:
    """See ``ExecutorResult.sampler_result``."""
    twirling = False
    circuits_metadata: list[JSON] = [None] * len(items)
    result_metadata: JSONObject = {"executor": metadata}
    if role == SAMPLER_ROLE:
        post = _post_processor(passthrough)
        twirling = post.get("twirling") is True
        given = post.get("circuits_metadata")
        if isinstance(given, list):
            if len(given) != len(items):
                raise ResultFormatError(
                    f"{len(given)} circuit metadata for {len(items)} items",
                    field="passthrough_data.post_processor.circuits_metadata",
                )
            circuits_metadata = given
        result_metadata |= {"options": post.get("options"), "shots": post.get("shots")}
    elif role is not None:
        raise ResultFormatError(
            f"the result's semantic role is {role!r}, not a Sampler's; read its tensors instead",
            field="semantic_role",
        )
    pubs = [
        _pub(index, item, twirling, role is None, circuits_metadata[index])
        for index, item in enumerate(items)
    ]
    return SamplerResult(pubs, result_metadata)


def _post_processor(passthrough: JSON) -> JSONObject:
    where = "passthrough_data.post_processor"
    post = passthrough.get("post_processor") if isinstance(passthrough, dict) else None
    if not isinstance(post, dict):
        raise ResultFormatError("a sampler_v2 result needs post-processing data", field=where)
    version = post.get("version")
    if version not in POST_PROCESSORS:
        raise ResultFormatError(
            f"post-processor version {version!r} is not one this client reads ({', '.join(POST_PROCESSORS)})",
            field=where,
        )
    meas_type = post.get("meas_type")
    if meas_type != "classified":
        raise ResultFormatError(
            f"meas_type is {meas_type!r}: the registers hold IQ data, not bits; read the tensors instead",
            field=where,
        )
    if not isinstance(post.get("twirling"), bool):
        raise ResultFormatError("'twirling' must be true or false", field=where)
    return post


def _pub(
    index: int, item: ExecutorItemResult, twirling: bool, plain: bool, circuit: JSON
) -> SamplerPubResult:
    if not item.results:
        raise ResultFormatError("the item has no outputs", item=index, field="results")
    flips = {name[len(FLIPS) :]: t for name, t in item.results.items() if name.startswith(FLIPS)}
    registers = {name: t for name, t in item.results.items() if not name.startswith(FLIPS)}
    if plain:
        # No role: the classified registers are the bool tensors with a shots axis.
        registers = {name: t for name, t in registers.items() if t.dtype == "bool" and len(t.shape) >= 2}
    for name in flips:
        if name not in registers:
            raise ResultFormatError(
                f"bit flips for a register the item does not have ({sorted(registers)})",
                item=index,
                field=FLIPS + name,
            )
    randomizations = 0
    shapes = set()
    bit_arrays = {}
    for name, tensor in registers.items():
        low = 3 if twirling else 2
        if tensor.dtype != "bool" or len(tensor.shape) < low:
            raise ResultFormatError(
                f"a classified register is a bool tensor of shape ({'randomizations, ' * twirling}"
                "..., shots, bits), "
                f"not {tensor.dtype} {list(tensor.shape)}",
                item=index,
                field=name,
            )
        if twirling:
            randomizations = tensor.shape[0]
        shapes.add(tensor.shape[1 if twirling else 0 : -2])
        bit_arrays[name] = _register(index, name, tensor, flips.get(name), twirling)
    if len(shapes) > 1 or len({t.shape[0] for t in registers.values()} if twirling else {0}) > 1:
        shown = [list(t.shape) for t in registers.values()]
        raise ResultFormatError(
            f"the registers disagree on the sweep shape or randomizations: {shown}",
            item=index,
            field="results",
        )
    raw: JSONObject = {"circuit_metadata": circuit if isinstance(circuit, dict) else {}}
    if randomizations:
        raw["num_randomizations"] = randomizations
    raw |= _compilation(item.metadata)
    return SamplerPubResult(SamplerData(bit_arrays), PubMetadata.from_json(raw))


def _compilation(metadata: JSON) -> JSONObject:
    if not isinstance(metadata, dict):
        return {}
    compilation: JSONObject = {}
    for key in ("scheduler_timing", "stretch_values"):
        if metadata.get(key):
            compilation[key] = metadata[key]
    return {"compilation": compilation} if compilation else {}


def _register(index: int, name: str, tensor: Tensor, flips: Tensor | None, twirling: bool) -> BitArray:
    # A BitArray of booleans never refuses a shot, so it is not told the PUB and register
    # an error would name; the checks here name them.
    shape = tensor.shape
    num_bits, shots = shape[-1], shape[-2]
    nb = (num_bits + 7) // 8
    rows = math.prod(shape[:-1])
    elements = math.prod(shape[:-2])
    if flips is not None and (
        flips.dtype != "bool"
        or flips.shape[:-2] != shape[:-2]
        or flips.shape[-1:] != shape[-1:]
        or flips.shape[-2] not in (1, shots)
    ):
        raise ResultFormatError(
            f"bit flips of {flips.dtype} {list(flips.shape)} do not fit the register's {list(shape)}",
            item=index,
            field=FLIPS + name,
        )
    randomizations = shape[0] if twirling else 1

    shape_out = shape[1:-2] if twirling else shape[:-2]
    if flips is None and randomizations == 1:
        # The common case: bit strings straight from the booleans, the cheapest to count.
        return BitArray.from_bit_strings(
            lambda: bool_rows_to_strings(tensor.data(), rows, num_bits),
            shape=shape_out,
            num_shots=shots,
            num_bits=num_bits,
        )

    def load() -> bytes:
        # Made again on each use rather than kept: a result costs memory only while read.
        packed = bool_rows_to_packed(tensor.data(), rows, num_bits)
        if flips is not None:
            flip_shots = flips.shape[-2]
            mask = bool_rows_to_packed(flips.data(), elements * flip_shots, num_bits)
            packed = xor_flips(packed, mask, elements=elements, shots=shots, flip_shots=flip_shots, nb=nb)
        if randomizations > 1:
            packed = merge_randomizations(
                packed, randomizations=randomizations, points=elements // randomizations, block=shots * nb
            )
        return packed

    source: Callable[[], bytes] = load
    return BitArray.from_packed(
        source,
        shape=shape_out,
        num_shots=shots * randomizations,
        num_bits=num_bits,
    )
