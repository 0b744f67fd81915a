"""Executor v2.0 results decode as qiskit-ibm-runtime 0.51 decodes them.

The payloads in qiskit/executor_v2/ were built with IBM's own pydantic models
(ibm-quantum-schemas) and expected.json holds what qiskit-ibm-runtime's executor decoders
gave for them; both written by qiskit/produce_executor.py in the witness venv.
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any

import pytest

from iqp_wrapper.primitives import ExecutorResult, ResultFormatError, Tensor

HERE = Path(__file__).parent / "qiskit" / "executor_v2"
EXPECTED: dict[str, Any] = json.loads((HERE / "expected.json").read_text())
CASES = sorted(EXPECTED)


def _text(case: str) -> str:
    return (HERE / f"{case}.json").read_text()


def _plain(tensor: Tensor) -> object:
    if tensor.dtype.startswith("c"):
        return [[z.real, z.imag] for z in tensor.flat()]  # type: ignore[union-attr]
    return tensor.values


@pytest.mark.parametrize("case", CASES)
def test_every_tensor_matches_qiskit(case: str) -> None:
    result = ExecutorResult.from_json(_text(case))
    assert result.schema_version == "v2.0"
    expected = EXPECTED[case]["items"]
    assert len(result) == len(expected)
    for item, want in zip(result.items, expected, strict=True):
        assert sorted(item.results) == sorted(want)
        for name, tensor in item.results.items():
            assert list(tensor.shape) == want[name]["shape"], name
            if "values" in want[name]:
                assert _plain(tensor) == want[name]["values"], name
            else:
                assert sum(tensor.flat()) == want[name]["true"], name  # type: ignore[arg-type]


def test_every_dtype_the_schema_allows_is_covered() -> None:
    dtypes = {t.dtype for t in ExecutorResult.from_json(_text("every_dtype"))[0].results.values()}
    assert dtypes == {
        "bool",
        "f16",
        "f32",
        "f64",
        "i8",
        "i16",
        "i32",
        "i64",
        "u8",
        "u16",
        "u32",
        "u64",
        "c64",
        "c128",
    }


def test_passthrough_tensors_are_decoded() -> None:
    result = ExecutorResult.from_json(_text("every_dtype"))
    tree = result.passthrough()
    assert isinstance(tree, dict)
    tensor = tree["tensor"]
    assert isinstance(tensor, Tensor)
    assert tensor.values == EXPECTED["every_dtype"]["passthrough_tensor"]["values"]
    assert (tree["n"], tree["s"]) == (3, ["a", None])
    assert result.semantic_role is None


@pytest.mark.parametrize("case", ["sampler", "sampler_twirled"])
def test_sampler_role_counts_match_qiskit(case: str) -> None:
    result = ExecutorResult.from_json(json.loads(_text(case)))
    assert result.semantic_role == "sampler_v2"
    sampler = result.sampler_result()
    expected = EXPECTED[case]["sampler"]
    assert len(sampler) == len(expected)
    for pub, want in zip(sampler, expected, strict=True):
        assert pub.metadata.raw == want["metadata"]
        assert sorted(pub.data) == sorted(k for k in want if k != "metadata")
        for name, bits in pub.data.items():
            w = want[name]
            assert (list(bits.shape), bits.num_shots, bits.num_bits) == (
                w["shape"],
                w["num_shots"],
                w["num_bits"],
            )
            assert bits.get_counts() == w["counts"]
            assert bits.get_bitstrings() == w["bitstrings"]
            for point, counts in w["counts_per_point"].items():
                loc = tuple(int(i) for i in point.split(",") if i)
                assert bits.get_counts(loc) == counts
            assert bits.get_int_counts() == {int(k, 2): n for k, n in w["counts"].items()}


def test_twirled_shots_are_not_the_raw_shots() -> None:
    # The bit flips matter: reading the raw register tensor gives other counts.
    result = ExecutorResult.from_json(_text("sampler_twirled"))
    raw = result[0]["meas"].to_bit_array()
    assert raw.get_counts() != result.sampler_result()[0].data.meas.get_counts()


def test_a_result_without_role_reads_its_bool_registers() -> None:
    data = json.loads(_text("sampler"))
    data["semantic_role"] = None
    data["data"][0]["results"]["iq"] = _compressed(b"\0" * 16, [1], "c128")
    sampler = ExecutorResult.from_json(data).sampler_result()
    assert sorted(sampler[0].data) == ["c2", "meas"]
    assert sampler[0].data.meas.get_counts() == EXPECTED["sampler"]["sampler"][0]["meas"]["counts"]


def test_a_role_of_another_primitive_is_refused() -> None:
    data = json.loads(_text("sampler"))
    data["semantic_role"] = "estimator_v2"
    with pytest.raises(ResultFormatError, match="estimator_v2"):
        ExecutorResult.from_json(data).sampler_result()


def test_v0_results_still_read() -> None:
    model: Any = {"data": base64.b64encode(bytes([5])).decode(), "shape": [1, 3], "dtype": "bool"}
    result = ExecutorResult.from_json(
        {"schema_version": "v0.2", "data": [{"results": {"c": model}}], "metadata": {}}
    )
    assert result[0]["c"].to_bit_array().get_counts() == {"101": 1}


def _compressed(raw: bytes, shape: list[int], dtype: str) -> dict[str, Any]:
    return {"data": base64.b64encode(zlib.compress(raw)).decode(), "shape": shape, "dtype": dtype}


@pytest.mark.parametrize(
    ("model", "words"),
    [
        ({"data": "!!", "shape": [1], "dtype": "u8"}, "base64"),
        ({"data": base64.b64encode(b"\0").decode(), "shape": [1], "dtype": "u8"}, "inflate"),
        (_compressed(b"\0" * 7, [1], "f64"), "7 bytes"),
        (_compressed(b"\0" * 8, [3], "i16"), "8 bytes"),
        (_compressed(b"\0", [9], "bool"), "1 bytes"),
        (_compressed(b"\0", [1], "f128"), "dtype"),
        (_compressed(b"\0", [-1], "u8"), "shape"),
        ({"shape": [1], "dtype": "u8"}, "data"),
    ],
)
def test_malformed_v2_tensor_names_item_and_field(model: dict[str, Any], words: str) -> None:
    good = _compressed(b"\0", [1], "u8")
    body: dict[str, Any] = {
        "schema_version": "v2.0",
        "data": [{"results": {"ok": good}}, {"results": {"ok": good, "out": model}}],
    }
    with pytest.raises(ResultFormatError, match=words) as caught:
        ExecutorResult.from_json({**body, "metadata": {"chunk_timing": []}})
    assert (caught.value.pub, caught.value.field) == (1, "out")
    assert str(caught.value).startswith("item 1, field 'out': ")


def test_plain_tensors_in_a_v2_result_are_refused() -> None:
    plain: Any = {"data": base64.b64encode(b"\1").decode(), "shape": [1], "dtype": "u8"}  # not zlib
    with pytest.raises(ResultFormatError, match="inflate"):
        ExecutorResult.from_json(
            {"schema_version": "v2.0", "data": [{"results": {"x": plain}}], "metadata": {}}
        )


def test_an_unknown_schema_version_says_so() -> None:
    with pytest.raises(ResultFormatError, match=r"v3\.0") as caught:
        ExecutorResult.from_json({"schema_version": "v3.0", "data": [], "metadata": {}})
    assert caught.value.field == "schema_version"


def test_bad_twirling_data_names_the_register() -> None:
    data = json.loads(_text("sampler_twirled"))
    data["data"][0]["results"]["measurement_flips.meas"] = _compressed(b"\0" * 3, [4, 1, 1, 5], "bool")
    with pytest.raises(ResultFormatError, match="do not fit") as caught:
        ExecutorResult.from_json(data).sampler_result()
    assert (caught.value.pub, caught.value.field) == (0, "measurement_flips.meas")
    data = json.loads(_text("sampler_twirled"))
    data["passthrough_data"]["post_processor"]["meas_type"] = "kerneled"
    with pytest.raises(ResultFormatError, match="IQ data"):
        ExecutorResult.from_json(data).sampler_result()


def test_tensor_to_numpy_matches_values() -> None:
    numpy = pytest.importorskip("numpy")
    for tensor in ExecutorResult.from_json(_text("every_dtype"))[0].results.values():
        array = tensor.to_numpy()
        assert array.shape == tensor.shape
        if tensor.dtype.startswith("c"):
            assert [[z.real, z.imag] for z in array.ravel().tolist()] == _plain(tensor)
        else:
            assert numpy.asarray(array, dtype=object).tolist() == tensor.values
