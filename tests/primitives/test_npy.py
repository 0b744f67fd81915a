"""The pure-Python .npy reader, checked against numpy's own writer when numpy is present."""

from __future__ import annotations

import base64
import io
import zlib
from typing import Any

import pytest

from iqp_wrapper.primitives.npy import NpyError, decode_encoded_ndarray, read_npy

numpy = pytest.importorskip("numpy")


def _npy(array: Any) -> bytes:
    buffer = io.BytesIO()
    numpy.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


@pytest.mark.parametrize("dtype", ["<f8", ">f8", "<f4", "|u1", "<u2", "<i8", ">i4", "|b1", "<c16", "<c8"])
@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 3, 4)])
@pytest.mark.parametrize("fortran", [False, True])
def test_matches_numpy(dtype: str, shape: tuple[int, ...], fortran: bool) -> None:
    rng = numpy.random.default_rng(1)
    array = (rng.standard_normal(shape) * 50).astype(dtype)
    if fortran:
        array = numpy.asfortranarray(array)
    decoded = read_npy(_npy(array))
    assert decoded.shape == array.shape  # asfortranarray makes a 0-d array 1-d
    assert decoded.tolist() == array.tolist()


def test_encoded_form_and_errors() -> None:
    text = base64.b64encode(zlib.compress(_npy(numpy.arange(6, dtype="<f8").reshape(2, 3)))).decode()
    assert decode_encoded_ndarray(text).tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    with pytest.raises(NpyError):
        decode_encoded_ndarray("not base64!")
    with pytest.raises(NpyError):
        read_npy(_npy(numpy.array(["a"], dtype="<U1")))
    with pytest.raises(NpyError):
        read_npy(_npy(numpy.zeros(3))[:-1])
