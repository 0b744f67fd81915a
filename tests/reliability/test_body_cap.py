"""The body cap on its own: declared lengths, streamed bodies, compressed ones."""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest

from iqp_wrapper import ResponseTooLargeError
from iqp_wrapper.transport._bodies import DEFAULT_MAX_RESPONSE_BYTES, aread, read

REQUEST = httpx.Request("GET", "https://quantum.cloud.ibm.com/api/v1/jobs/x?secret=sig")


def chunks(n: int, size: int = 1024) -> Iterator[bytes]:
    for _ in range(n):
        yield b"x" * size


async def achunks(n: int, size: int = 1024) -> AsyncIterator[bytes]:
    for _ in range(n):
        yield b"x" * size


def test_the_default_is_one_gib() -> None:
    assert DEFAULT_MAX_RESPONSE_BYTES == 1 << 30


def test_declared_body_within_the_cap_is_the_same_response() -> None:
    response = httpx.Response(200, content=b"{}", request=REQUEST)
    assert read(response, REQUEST, 10) is response
    assert response.content == b"{}"


def test_declared_body_beyond_the_cap() -> None:
    response = httpx.Response(200, content=b"x" * 100, request=REQUEST)
    with pytest.raises(ResponseTooLargeError) as caught:
        read(response, REQUEST, 99)
    assert caught.value.limit == 99
    assert "secret" not in str(caught.value)  # the query is left out


def test_streamed_body_is_stopped_at_the_cap() -> None:
    produced = chunks(1000)
    response = httpx.Response(200, content=produced, request=REQUEST)
    with pytest.raises(ResponseTooLargeError):
        read(response, REQUEST, 10 * 1024)
    assert next(produced, None) is not None  # not read to the end


async def test_async_streamed_body_is_stopped_at_the_cap() -> None:
    response = httpx.Response(200, content=achunks(1000), request=REQUEST)
    with pytest.raises(ResponseTooLargeError):
        await aread(response, REQUEST, 10 * 1024)


def test_compressed_body_is_measured_inflated() -> None:
    small = gzip.compress(b"0" * (1 << 20))
    gzipped = {"Content-Encoding": "gzip"}
    # Streamed, as from the network (a bytes body would be decoded in memory already).
    response = httpx.Response(200, content=iter([small]), headers=gzipped, request=REQUEST)
    with pytest.raises(ResponseTooLargeError):
        read(response, REQUEST, 1 << 16)
    fine = httpx.Response(200, content=iter([small]), headers=gzipped, request=REQUEST)
    read_back = read(fine, REQUEST, 2 << 20)
    assert read_back.content == b"0" * (1 << 20)
    assert "content-encoding" not in read_back.headers  # it is no longer compressed


def test_a_body_in_memory_is_checked_without_a_copy() -> None:
    response = httpx.Response(200, content=b"x" * 100, request=REQUEST)
    assert read(response, REQUEST, 100) is response
    with pytest.raises(ResponseTooLargeError):
        read(httpx.Response(200, content=b"x" * 101, request=REQUEST), REQUEST, 100)


def test_no_cap() -> None:
    response = httpx.Response(200, content=chunks(64), request=REQUEST)
    assert len(read(response, REQUEST, None).content) == 64 * 1024


# -- what reading costs: the body once, not its chunks and their copy ---------------------

INFLATED = 48 << 20


# Compressed before any measuring: the 48 MiB of zeros it is made from are not the reader's.
_BLOB = gzip.compress(b"0" * INFLATED, compresslevel=1)


def _gzipped_stream() -> Iterator[bytes]:
    for start in range(0, len(_BLOB), 65536):
        yield _BLOB[start : start + 65536]


async def _agzipped_stream() -> AsyncIterator[bytes]:
    for piece in _gzipped_stream():
        yield piece


def _peak_over_body(read_it: Callable[[], httpx.Response]) -> float:
    """The most memory Python held while reading, over the body's size (tracemalloc counts
    allocations, so this is exact and does not depend on the machine's load)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        body = read_it()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert len(body.content) == INFLATED
    return peak / INFLATED


def test_a_capped_decompression_holds_the_body_about_once() -> None:
    gzipped = {"Content-Encoding": "gzip"}
    response = httpx.Response(200, content=_gzipped_stream(), headers=gzipped, request=REQUEST)
    assert _peak_over_body(lambda: read(response, REQUEST, 1 << 30)) < 1.25


def test_an_async_capped_decompression_holds_the_body_about_once() -> None:
    gzipped = {"Content-Encoding": "gzip"}
    response = httpx.Response(200, content=_agzipped_stream(), headers=gzipped, request=REQUEST)
    assert _peak_over_body(lambda: asyncio.run(aread(response, REQUEST, 1 << 30))) < 1.25


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib_wrapped", "raw"])
def test_deflate_in_both_forms_is_inflated(wbits: int) -> None:
    data = b'{"id": "x"}' * 300_000  # several inflating steps
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    wire = compressor.compress(data) + compressor.flush()
    response = httpx.Response(
        200, content=iter([wire]), headers={"Content-Encoding": "deflate"}, request=REQUEST
    )
    assert read(response, REQUEST, 1 << 30).content == data


def test_a_corrupt_gzip_body_is_a_decoding_error() -> None:
    wire = gzip.compress(b"0" * 100_000)
    broken = wire[:20] + bytes(b ^ 0xFF for b in wire[20:40]) + wire[40:]
    response = httpx.Response(
        200, content=iter([broken]), headers={"Content-Encoding": "gzip"}, request=REQUEST
    )
    with pytest.raises(httpx.DecodingError):
        read(response, REQUEST, 1 << 30)
