"""Result decoding that mutation testing found unpinned (docs/mutation.md): which PUB and field
a malformed qiskit-encoded result is reported against, the Estimator's encoded forms, numpy
arrays from the REST form, and integer counts of malformed samples.
"""

from __future__ import annotations

import base64
import copy
import json
import pickle
import zlib
from typing import Any

import pytest

from iqp_wrapper.primitives import BitArray, EstimatorResult, ResultFormatError, SamplerResult


def _npy_text(descr: str, shape: tuple[int, ...], body: bytes) -> str:
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape!r}, }}"
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    raw = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + body
    return base64.b64encode(zlib.compress(raw)).decode()


GOOD_BITS = {
    "__type__": "BitArray",
    "__value__": {
        "array": {"__type__": "ndarray", "__value__": _npy_text("|u1", (2, 1), b"\x01\x02")},
        "num_bits": 2,
    },
}


def _pub(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    databin = {
        "__type__": "DataBin",
        "__value__": {"field_names": list(fields), "shape": [], "fields": fields},
    }
    return {"__type__": kind, "__value__": {"data": databin, "metadata": {}}}


def _encoded(kind: str, second: dict[str, Any]) -> dict[str, Any]:
    """A two-PUB encoded result whose PUB 0 is well formed and PUB 1 holds ``second``."""
    first = {"m": GOOD_BITS} if kind == "SamplerPubResult" else {"evs": 1.0, "stds": 0.1}
    pubs = [_pub(kind, first), _pub(kind, second)]
    return {"__type__": "PrimitiveResult", "__value__": {"pub_results": pubs, "metadata": {}}}


def _bits(array: Any, num_bits: Any = 2) -> dict[str, Any]:
    return {"__type__": "BitArray", "__value__": {"array": array, "num_bits": num_bits}}


SAMPLER_REGISTERS = {
    "not an object": 3,
    "not a BitArray": {"__type__": "ndarray", "__value__": {}},
    "BitArray value not an object": {"__type__": "BitArray", "__value__": [1]},
    "array not an object": _bits("AAAA"),
    "array of another type": _bits({"__type__": "list", "__value__": _npy_text("|u1", (2, 1), b"\0\0")}),
    "array value not a string": _bits({"__type__": "ndarray", "__value__": 5}),
    "array not base64": _bits({"__type__": "ndarray", "__value__": "@@@"}),
}


@pytest.mark.parametrize("register", list(SAMPLER_REGISTERS.values()), ids=list(SAMPLER_REGISTERS))
def test_a_malformed_encoded_register_names_its_pub_and_register(register: Any) -> None:
    with pytest.raises(ResultFormatError) as caught:
        SamplerResult.from_json(_encoded("SamplerPubResult", {"m": GOOD_BITS, "c": register}))
    assert (caught.value.pub, caught.value.field) == (1, "c")


def test_shots_beyond_num_bits_in_an_encoded_register_name_its_pub_and_register() -> None:
    too_wide = _bits({"__type__": "ndarray", "__value__": _npy_text("|u1", (2, 1), b"\x01\x07")})
    result = SamplerResult.from_json(_encoded("SamplerPubResult", {"c": too_wide}))
    assert result[0].data.m.get_counts() == {"01": 1, "10": 1}
    for count in (result[1].data.c.get_counts, result[1].data.c.get_int_counts):
        with pytest.raises(ResultFormatError) as caught:
            count()
        assert (caught.value.pub, caught.value.field) == (1, "c")


def test_a_truncated_encoded_register_names_its_pub_and_register_when_read() -> None:
    short = _bits({"__type__": "ndarray", "__value__": _npy_text("|u1", (4, 1), b"\0\0")})
    result = SamplerResult.from_json(_encoded("SamplerPubResult", {"c": short}))
    with pytest.raises(ResultFormatError) as caught:
        result[1].data.c.get_counts()
    assert (caught.value.pub, caught.value.field) == (1, "c")


@pytest.mark.parametrize("kind", ["EstimatorPubResult", "PubResult"])
def test_both_encoded_estimator_pub_types_are_read(kind: str) -> None:
    evs = {"__type__": "ndarray", "__value__": _npy_text("<f8", (2,), b"\0" * 8 + b"\0\0\0\0\0\0\xf0\x3f")}
    pubs: Any = [_pub(kind, {"evs": evs, "stds": [0.1, 0.2]})]
    result = EstimatorResult.from_json({"__type__": "PrimitiveResult", "__value__": {"pub_results": pubs}})
    assert result.encoded and result[0].data.evs == [0.0, 1.0] and result[0].data.stds == [0.1, 0.2]


def test_a_wrong_encoded_pub_type_names_the_pub() -> None:
    data = _encoded("EstimatorPubResult", {"evs": 1.0, "stds": 0.1})
    data["__value__"]["pub_results"][1]["__type__"] = "SamplerPubResult"
    with pytest.raises(ResultFormatError) as caught:
        EstimatorResult.from_json(data)
    assert caught.value.pub == 1


ESTIMATOR_FIELDS = {
    "ndarray not base64": {"__type__": "ndarray", "__value__": "@@@"},
    "complex ndarray": {"__type__": "ndarray", "__value__": _npy_text("<c16", (), b"\0" * 16)},
    "ragged lists": [1.0, [2.0]],
}


@pytest.mark.parametrize("evs", list(ESTIMATOR_FIELDS.values()), ids=list(ESTIMATOR_FIELDS))
def test_malformed_estimator_values_name_the_pub_and_field(evs: Any) -> None:
    with pytest.raises(ResultFormatError) as caught:
        EstimatorResult.from_json(_encoded("EstimatorPubResult", {"evs": evs, "stds": 0.1}))
    assert (caught.value.pub, caught.value.field) == (1, "evs")


def test_an_ndarray_given_as_plain_lists_is_read_as_the_lists() -> None:
    evs = {"__type__": "ndarray", "__value__": [[1.0, 2.0], [3.0, 4.0]]}
    data: Any = {"results": [{"data": {"evs": evs, "stds": [[0.0, 0.0], [0.0, 0.0]]}}]}
    pub = EstimatorResult.from_json(data)[0]
    assert pub.data.shape == (2, 2) and pub.data.item("evs", (1, 0)) == 3.0


def test_item_of_a_field_the_result_lacks_names_the_field() -> None:
    pub = EstimatorResult.from_json({"results": [{"data": {"evs": 1.0, "stds": 0.1}}]})[0]
    with pytest.raises(ResultFormatError) as caught:
        pub.data.item("ensemble_standard_error")
    assert caught.value.field == "ensemble_standard_error"
    with pytest.raises(IndexError):
        pub.data.item("evs", 0)


def test_sampler_data_survives_copy_and_pickle() -> None:
    data = SamplerResult.from_json(
        {"results": [{"data": {"meas": {"samples": ["0x1", "0x3"], "num_bits": 2}}}]}
    )[0].data
    for clone in (copy.copy(data), pickle.loads(pickle.dumps(data))):
        assert clone.meas.get_counts() == {"01": 1, "11": 1}


# -- BitArray ----------------------------------------------------------------------


@pytest.mark.parametrize("samples", [["0x1", "zz"], ["0x1", "0x10"], ["0x1", 7]])
def test_int_counts_of_malformed_samples_name_the_pub_and_register(samples: list[Any]) -> None:
    bits = SamplerResult.from_json({"results": [{"data": {"meas": {"samples": samples, "num_bits": 2}}}]})[
        0
    ].data.meas
    with pytest.raises(ResultFormatError) as caught:
        bits.get_int_counts()
    assert (caught.value.pub, caught.value.field) == (0, "meas")


def test_a_bit_array_made_without_names_reports_none() -> None:
    bits = BitArray.from_packed(b"\x05", shape=(), num_shots=1, num_bits=2)
    with pytest.raises(ResultFormatError) as caught:
        bits.get_counts()
    assert (caught.value.pub, caught.value.field) == (None, "")


@pytest.mark.parametrize("num_bits", [2, 9, 16])
def test_to_numpy_of_the_rest_form_is_qiskits_packed_layout(num_bits: int) -> None:
    values = [[1, (1 << num_bits) - 1], [0, 1 << (num_bits - 1)]]
    pytest.importorskip("numpy")
    samples = [[hex(v) for v in row] for row in values]
    data = {"results": [{"data": {"meas": {"samples": samples, "num_bits": num_bits}}}]}
    array = SamplerResult.from_json(json.dumps(data))[0].data.meas.to_numpy()
    nb = (num_bits + 7) // 8
    assert array.dtype == pytest.importorskip("numpy").uint8 and array.shape == (2, 2, nb)
    expected = [[list(v.to_bytes(nb, "big")) for v in row] for row in values]
    assert array.tolist() == expected


def test_to_numpy_of_the_packed_form_is_the_bytes_as_given() -> None:
    pytest.importorskip("numpy")
    packed = bytes([0, 1, 2, 3, 1, 0])
    array = BitArray.from_packed(packed, shape=(3,), num_shots=1, num_bits=9).to_numpy()
    assert array.shape == (3, 1, 2) and array.tobytes() == packed


# -- where a malformed envelope is reported --------------------------------------------


def _second_pub_value(change: dict[str, Any]) -> Any:
    data = _encoded("SamplerPubResult", {"m": GOOD_BITS})
    data["__value__"]["pub_results"][1]["__value__"].update(change)
    return data


def _databin(**change: Any) -> dict[str, Any]:
    value = {"field_names": ["m"], "shape": [], "fields": {"m": GOOD_BITS}, **change}
    return {"__type__": "DataBin", "__value__": value}


ENCODED_ENVELOPES = {
    "data not a DataBin": ({"data": {"__type__": "BitArray", "__value__": {}}}, "data"),
    "data not an object": ({"data": [1]}, "data"),
    "fields not an object": ({"data": _databin(fields=[1])}, "data.fields"),
    "shape not a list": ({"data": _databin(shape="2")}, "data.shape"),
    "shape of strings": ({"data": _databin(shape=["2"])}, "data.shape"),
}


@pytest.mark.parametrize(("change", "field"), list(ENCODED_ENVELOPES.values()), ids=list(ENCODED_ENVELOPES))
def test_a_malformed_encoded_pub_names_the_pub_and_the_part(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ResultFormatError) as caught:
        SamplerResult.from_json(_second_pub_value(change))
    assert (caught.value.pub, caught.value.field) == (1, field)


def test_an_untyped_encoded_pub_names_the_pub() -> None:
    data = _encoded("SamplerPubResult", {"m": GOOD_BITS})
    data["__value__"]["pub_results"][1] = {"data": {}}
    with pytest.raises(ResultFormatError) as caught:
        SamplerResult.from_json(data)
    assert (caught.value.pub, caught.value.field) == (1, "pub_results")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"__type__": "PrimitiveResult", "__value__": [1]}, "__value__"),
        ({"__type__": "PrimitiveResult", "__value__": {"metadata": {}}}, "results"),
        ({"results": {"0": {}}}, "results"),
    ],
)
def test_a_malformed_result_names_the_part_not_a_pub(data: Any, field: str) -> None:
    with pytest.raises(ResultFormatError) as caught:
        SamplerResult.from_json(data)
    assert (caught.value.pub, caught.value.field) == (None, field)


def test_the_sampler_reads_the_plain_pubresult_type() -> None:
    pubs: Any = [_pub("PubResult", {"m": GOOD_BITS})] * 2
    result = SamplerResult.from_json({"__type__": "PrimitiveResult", "__value__": {"pub_results": pubs}})
    assert [pub.data.m.get_counts() for pub in result] == [{"01": 1, "10": 1}] * 2


REST_PUBS = {
    "PUB not an object": ([1], "results"),
    "data not an object": ({"data": [1]}, "data"),
    "register not an object": ({"data": {"c": "0x1"}}, "c"),
}


@pytest.mark.parametrize(("pub", "field"), list(REST_PUBS.values()), ids=list(REST_PUBS))
def test_a_malformed_rest_pub_names_the_pub_and_the_part(pub: Any, field: str) -> None:
    good: Any = {"data": {"m": {"samples": ["0x1"], "num_bits": 1}}}
    with pytest.raises(ResultFormatError) as caught:
        SamplerResult.from_json({"results": [good, pub]})
    assert (caught.value.pub, caught.value.field) == (1, field)


def test_the_rest_form_is_not_encoded_and_odd_metadata_reads_as_none() -> None:
    result = SamplerResult.from_json({"results": [], "metadata": ["not", "an", "object"]})
    assert result.encoded is False and result.metadata == {} and len(result) == 0


def test_a_sweep_of_one_point_keeps_its_shape() -> None:
    data: Any = {"results": [{"data": {"m": {"samples": [[["0x1", "0x0"]]], "num_bits": 1}}}]}
    bits = SamplerResult.from_json(data)[0].data.m
    assert (bits.shape, bits.num_shots) == ((1, 1), 2)
    assert bits.get_counts((0, 0)) == {"1": 1, "0": 1}


@pytest.mark.parametrize("evs", [["a", 1.0], [True, 1.0], [[1.0], [None]]])
def test_estimator_values_that_are_not_numbers_are_refused(evs: Any) -> None:
    stds: Any = [0.0, 0.0] if not isinstance(evs[0], list) else [[0.0], [0.0]]
    data: Any = {"results": [{"data": {"evs": evs, "stds": stds}}]}
    with pytest.raises(ResultFormatError) as caught:
        EstimatorResult.from_json(data)
    assert (caught.value.pub, caught.value.field) == (0, "evs")


def test_an_estimator_pub_with_no_values_has_shape_zero() -> None:
    pub = EstimatorResult.from_json({"results": [{"data": {"evs": [], "stds": []}}]})[0]
    assert (pub.data.shape, pub.data.evs, pub.data.stds) == ((0,), [], [])


@pytest.mark.parametrize("field", ["stds", "ensemble_standard_error"])
@pytest.mark.parametrize("bad", [[[1.0], [1.0, 2.0]], "x", {"__type__": "ndarray", "__value__": "@@@"}])
def test_a_malformed_stds_or_ensemble_error_names_its_pub_and_field(field: str, bad: Any) -> None:
    second = {"evs": 1.0, "stds": 0.1, field: bad}
    with pytest.raises(ResultFormatError) as caught:
        EstimatorResult.from_json(_encoded("EstimatorPubResult", second))
    assert (caught.value.pub, caught.value.field) == (1, field)
    rest: Any = {"results": [{"data": {"evs": 1.0, "stds": 0.1}}, {"data": second}]}
    with pytest.raises(ResultFormatError) as caught:
        EstimatorResult.from_json(rest)
    assert (caught.value.pub, caught.value.field) == (1, field)


@pytest.mark.parametrize(
    ("descr", "body"),
    [("<i2", b"\xff\xff\x02\x00"), ("|u1", b"\x03\x04"), ("<f4", b"\x00\x00\xc0\x3f\x00\x00\x00\x40")],
)
def test_encoded_evs_of_integers_or_floats_read_as_floats(descr: str, body: bytes) -> None:
    evs = {"__type__": "ndarray", "__value__": _npy_text(descr, (2,), body)}
    result = EstimatorResult.from_json(_encoded("EstimatorPubResult", {"evs": evs, "stds": [0.0, 0.0]}))
    want = {"<i2": [-1.0, 2.0], "|u1": [3.0, 4.0], "<f4": [1.5, 2.0]}[descr]
    assert result[1].data.evs == want
    assert all(isinstance(x, float) for x in result[1].data.evs)  # type: ignore[union-attr]
