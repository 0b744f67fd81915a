"""The body cap on its own: declared lengths, streamed bodies, compressed ones."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from iqp_wrapper import ResponseTooLargeError
from iqp_wrapper._bodies import DEFAULT_MAX_RESPONSE_BYTES, aread, read

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
