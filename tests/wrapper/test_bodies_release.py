"""A body refused at the cap lets go of what it was reading at once, both ways.

The reader iterates the body through a generator of httpx's. When the cap refused an
answer, that generator was left suspended, held by the refusal's traceback, and finalized
later by the garbage collector: at an arbitrary allocation, inside whatever code ran then
(once, in a log filter holding a lock, which deadlocked). Here the stream under the
response records when its iteration ends; it must have ended by the time the refusal
reaches the caller, while that refusal (and its traceback) is still held.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from iqp_wrapper.errors import ResponseTooLargeError
from iqp_wrapper.transport import _bodies

REQUEST = httpx.Request("GET", "https://api.example.test/api/v1/jobs/job-1")
LIMIT = 64 << 10
PLAIN = b"0" * (1 << 20)


class Source(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that arrives in 4 KiB pieces and records whether its iteration ended."""

    def __init__(self, data: bytes) -> None:
        self._pieces = [data[i : i + 4096] for i in range(0, len(data), 4096)]
        self.ended = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._pieces
        finally:
            self.ended = True

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            for piece in self._pieces:
                yield piece
        finally:
            self.ended = True


# Compressed (our own inflater reads the raw bytes) and plain (httpx's decoded bytes), each
# over the cap, neither declaring a length: the streamed path.
BODIES = pytest.mark.parametrize(
    ("data", "headers"),
    [(gzip.compress(PLAIN), {"content-encoding": "gzip"}), (PLAIN, {})],
    ids=["gzip", "plain"],
)


@BODIES
def test_a_refused_body_is_let_go_at_once(data: bytes, headers: dict[str, str]) -> None:
    source = Source(data)
    response = httpx.Response(200, headers=headers, stream=source, request=REQUEST)
    with pytest.raises(ResponseTooLargeError) as caught:
        _bodies.read(response, REQUEST, LIMIT)
    assert caught.value.limit == LIMIT
    assert source.ended
    assert response.is_closed


@BODIES
async def test_a_refused_body_is_let_go_at_once_async(data: bytes, headers: dict[str, str]) -> None:
    source = Source(data)
    response = httpx.Response(200, headers=headers, stream=source, request=REQUEST)
    with pytest.raises(ResponseTooLargeError) as caught:
        await _bodies.aread(response, REQUEST, LIMIT)
    assert caught.value.limit == LIMIT
    # An async generator dropped mid-iteration is closed by the event loop's finalizer
    # hook, through a task it schedules: a few turns of the loop, never a collection.
    for _ in range(10):
        if source.ended:
            break
        await asyncio.sleep(0)
    assert source.ended
    assert response.is_closed


@BODIES
def test_a_body_within_the_cap_is_read_whole(data: bytes, headers: dict[str, str]) -> None:
    source = Source(data)
    response = httpx.Response(200, headers=headers, stream=source, request=REQUEST)
    read = _bodies.read(response, REQUEST, 2 << 20)
    assert read.content == PLAIN
    assert source.ended
