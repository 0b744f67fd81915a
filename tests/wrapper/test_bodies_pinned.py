"""Reading a streamed answer's body under the size cap: what mutation testing found unpinned.

The answer keeps every header that still describes it (a compressed one loses only its
encoding and length, which no longer do), in both the sync and the async reader.
"""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from iqp_wrapper.errors import ResponseTooLargeError
from iqp_wrapper.transport import _bodies

BODY = b'{"id": "job-1", "status": "Queued", "tags": ["' + b"x" * 100 + b'"]}'
REQUEST = httpx.Request("GET", "https://api.example.test/api/v1/jobs/job-1?x=1")


def _chunks(data: bytes) -> Iterator[bytes]:
    for i in range(0, len(data), 16):
        yield data[i : i + 16]


async def _achunks(data: bytes) -> AsyncIterator[bytes]:
    for chunk in _chunks(data):
        yield chunk


def _streamed(data: bytes, headers: dict[str, str], *, is_async: bool) -> httpx.Response:
    """An answer whose body arrives in pieces, as over a socket (not already in memory)."""
    content = _achunks(data) if is_async else _chunks(data)
    return httpx.Response(200, headers=headers, content=content, request=REQUEST)


async def _read(response: httpx.Response, limit: int | None, is_async: bool) -> httpx.Response:
    if is_async:
        return await _bodies.aread(response, REQUEST, limit)
    return _bodies.read(response, REQUEST, limit)


BOTH = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])


@BOTH
async def test_a_compressed_answer_keeps_its_other_headers(is_async: bool) -> None:
    headers = {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "x-request-id": "abc-123",
        "retry-after": "2",
    }
    read = await _read(_streamed(gzip.compress(BODY), headers, is_async=is_async), 1 << 20, is_async)
    assert read.content == BODY and read.json()["status"] == "Queued"
    assert read.headers["content-type"] == "application/json"
    assert read.headers["x-request-id"] == "abc-123"
    assert read.headers["retry-after"] == "2"
    # The encoding and length of the compressed form no longer describe the body held.
    assert "content-encoding" not in read.headers
    assert read.headers.get("content-length") in (None, str(len(BODY)))
    assert read.request is REQUEST


@BOTH
async def test_a_plain_answer_within_the_cap_keeps_its_declared_length(is_async: bool) -> None:
    headers = {"content-type": "application/json", "content-length": str(len(BODY))}
    read = await _read(_streamed(BODY, headers, is_async=is_async), 1 << 20, is_async)
    assert read.content == BODY
    assert read.headers["content-length"] == str(len(BODY))


@BOTH
@pytest.mark.parametrize("encoding", [None, "gzip"])
async def test_an_answer_over_the_cap_is_refused(is_async: bool, encoding: str | None) -> None:
    data = gzip.compress(BODY) if encoding else BODY
    headers = {"content-encoding": encoding} if encoding else {}
    with pytest.raises(ResponseTooLargeError) as caught:
        await _read(_streamed(data, headers, is_async=is_async), 40, is_async)
    assert (caught.value.status_code, caught.value.limit) == (200, 40)
    assert "x=1" not in str(caught.value)  # the query is left out of the message


@BOTH
async def test_no_cap_reads_everything(is_async: bool) -> None:
    headers = {"content-encoding": "gzip"}
    read = await _read(_streamed(gzip.compress(BODY * 50), headers, is_async=is_async), None, is_async)
    assert read.content == BODY * 50


def test_an_answer_already_in_memory_is_held_to_the_cap_too() -> None:
    # An in-process transport (httpx.MockTransport, the fake) hands over the whole body.
    assert _bodies.read(httpx.Response(200, content=BODY, request=REQUEST), REQUEST, 1 << 20).content == BODY
    with pytest.raises(ResponseTooLargeError):
        _bodies.read(httpx.Response(200, content=BODY, request=REQUEST), REQUEST, 10)
