"""ExecutorResult: an executor job's result (schema v0.1 to v2.0), tensors typed.

The result's ``schema_version`` decides how tensors are read: v0.1 to v1.1 send
TensorModels, v2.0 CompressedTensorModels (zlib, more dtypes). ``sampler_result()``
turns classified measurement tensors into a SamplerResult, as qiskit-ibm-runtime's
executor Sampler post-processes a ``sampler_v2`` result (bit flips of measurement
twirling undone, randomizations merged into the shots).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from iqp_wrapper.primitives.errors import ResultFormatError
from iqp_wrapper.primitives.executor_sampler import sampler_result_of
from iqp_wrapper.primitives.json_types import JSON, JSONObject
from iqp_wrapper.primitives.results import SamplerResult
from iqp_wrapper.primitives.tensors import Tensor, decode_compressed_tensor, decode_tensor, is_tensor_model

PLAIN_VERSIONS = ("v0.1", "v0.2", "v1.0", "v1.1")
"""Result schema versions whose tensors are uncompressed TensorModels."""
COMPRESSED_VERSIONS = ("v2.0",)
"""Result schema versions whose tensors are CompressedTensorModels."""

PassthroughTree = (
    Tensor | str | int | float | bool | None | list["PassthroughTree"] | dict[str, "PassthroughTree"]
)
"""Passthrough data with its tensors decoded."""


@dataclass(frozen=True)
class ExecutorItemResult:
    """The outputs of one program item, by name (classical registers and other outputs),
    and the item's metadata as received (scheduler timing, stretch values)."""

    results: dict[str, Tensor]
    metadata: JSON

    def __getitem__(self, name: str) -> Tensor:
        return self.results[name]


@dataclass(frozen=True)
class ExecutorResult:
    """An executor job's result, tensors decoded.

    Attributes:
        items: one ExecutorItemResult per program item, in the order sent.
        schema_version: the result's schema version (``""`` when it has none).
        metadata: the job's execution metadata as received (``chunk_timing``...).
        passthrough_data: the data the program passed through, as received (JSON);
            ``passthrough()`` gives it with tensors decoded.
        semantic_role: how the result is meant to be read (``sampler_v2``...), or None.
    """

    items: list[ExecutorItemResult]
    schema_version: str
    metadata: JSONObject
    passthrough_data: JSON = None
    semantic_role: str | None = None

    def __getitem__(self, index: int) -> ExecutorItemResult:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def passthrough(self) -> PassthroughTree:
        """The passthrough data with every tensor (v2.0: CompressedTensorModel) decoded."""
        compressed = self.schema_version in COMPRESSED_VERSIONS
        return _tree(self.passthrough_data, compressed, "passthrough_data")

    def sampler_result(self) -> SamplerResult:
        """The classified measurements as a SamplerResult: one PUB per item, one BitArray
        per register. A ``sampler_v2`` result is post-processed as its passthrough data
        says (twirling undone); a result without a role reads every bool tensor of shape
        ``(..., shots, bits)`` as a register."""
        return sampler_result_of(self.items, self.semantic_role, self.passthrough_data, self.metadata)

    @classmethod
    def from_json(cls, data: JSON | str | bytes) -> ExecutorResult:
        """Read an executor result: its JSON object (``job_results(...)`` data), or its text.

        Raises:
            ResultFormatError: the result does not have an executor result's layout, or a
                tensor is malformed (the error names the item and the output).
        """
        if isinstance(data, (str, bytes)):
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise ResultFormatError(f"the result is not JSON ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise ResultFormatError("an executor result is an object with a 'data' list of items")
        version = data.get("schema_version")
        if version is not None and version not in PLAIN_VERSIONS + COMPRESSED_VERSIONS:
            raise ResultFormatError(
                f"schema_version {version!r} is not one this client reads "
                f"({', '.join(PLAIN_VERSIONS + COMPRESSED_VERSIONS)}); upgrade iqp-wrapper",
                field="schema_version",
            )
        compressed = version in COMPRESSED_VERSIONS
        items = []
        for index, item in enumerate(data["data"]):  # type: ignore[arg-type]
            if not isinstance(item, dict) or not isinstance(item.get("results"), dict):
                raise ResultFormatError("an item needs a 'results' object", item=index, field="results")
            outputs = item["results"]
            assert isinstance(outputs, dict)
            tensors = {
                name: (decode_compressed_tensor if compressed else decode_tensor)(
                    model, where=name, item=index
                )
                for name, model in outputs.items()
            }
            items.append(ExecutorItemResult(tensors, item.get("metadata")))
        metadata = data.get("metadata")
        role = data.get("semantic_role")
        return cls(
            items,
            version if isinstance(version, str) else "",
            metadata if isinstance(metadata, dict) else {},
            data.get("passthrough_data"),
            role if isinstance(role, str) else None,
        )


def _tree(value: JSON, compressed: bool, where: str) -> PassthroughTree:
    # IBM's DataTree tries a tensor before a plain dict: an object with exactly a tensor's
    # keys is a tensor.
    if is_tensor_model(value):
        if compressed:
            return decode_compressed_tensor(value, where=where, keep=True)
        return decode_tensor(value, where=where)
    if isinstance(value, dict):
        return {k: _tree(v, compressed, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_tree(v, compressed, f"{where}[{i}]") for i, v in enumerate(value)]
    return value
