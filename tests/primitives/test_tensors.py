"""Executor TensorModels decode as qiskit-ibm-runtime's schemas package reads them
(qiskit/executor_tensors.json, written by qiskit/produce.py)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper.primitives import ResultFormatError
from iqp_wrapper.primitives.tensors import ExecutorResult, decode_tensor

CASES: dict[str, Any] = json.loads((Path(__file__).parent / "qiskit" / "executor_tensors.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_tensor_values_match_qiskit(name: str) -> None:
    case = CASES[name]
    tensor = decode_tensor(case["model"])
    values = tensor.tolist()
    if tensor.dtype == "c128":
        assert isinstance(values, list)
        values = [[z.real, z.imag] for z in values]  # type: ignore[union-attr]
    assert values == case["values"]
    assert list(tensor.shape) == case["model"]["shape"]


def test_measurement_tensor_counts_match_qiskit() -> None:
    case = CASES["meas"]
    result = ExecutorResult.from_json(
        {
            "schema_version": "v0.1",
            "data": [{"results": {"meas": case["model"]}, "metadata": None}],
            "metadata": {},
        }
    )
    bits = result[0].results["meas"].to_bit_array()
    assert bits.get_counts() == case["counts"]
    assert [bits.get_counts(i) for i in range(2)] == case["counts_per_point"]


@pytest.mark.parametrize(
    "model",
    [
        {"data": "!!", "shape": [1], "dtype": "u8"},
        {"data": base64.b64encode(b"\0" * 7).decode(), "shape": [1], "dtype": "f64"},
        {"data": "AA==", "shape": [1], "dtype": "i32"},
        {"data": "AA==", "shape": [20], "dtype": "bool"},
        {"data": "AA==", "shape": "1", "dtype": "u8"},
    ],
)
def test_malformed_tensor_names_item_and_output(model: dict[str, Any]) -> None:
    with pytest.raises(ResultFormatError) as caught:
        ExecutorResult.from_json({"data": [{"results": {"out": model}}], "metadata": {}})
    assert (caught.value.pub, caught.value.field) == (0, "out")
