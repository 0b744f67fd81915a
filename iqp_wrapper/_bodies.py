"""Reading an answer's body inside the transport, with a cap on its decompressed size.

Reading it there, rather than after the transport returns, puts a failure while the body
arrives (a reset, a drip-feed past the deadline) where a retry can still be decided, and
lets a gzip bomb be stopped after ``limit`` bytes instead of inflating in full.

Every response leaves here as a ``StrictJSONResponse``, so whoever parses its body (the
generated operations, IAM, the error reader) refuses NaN, infinities and repeated keys.
"""

from __future__ import annotations

import httpx

from iqp_wrapper._json import StrictJSONResponse
from iqp_wrapper.errors import ResponseTooLargeError

# The default cap, decompressed. The largest real answers are job results: a Sampler job at
# the service's limit of 10 million shots over 127 qubits packs to about 160 MB of bits,
# some 215 MB once base64-encoded in JSON. 1 GiB leaves room for several times that, and
# still stops a compressed bomb long before it exhausts an ordinary machine's memory.
DEFAULT_MAX_RESPONSE_BYTES = 1 << 30

# The body is re-wrapped already decoded, so these no longer describe it.
_STALE_HEADERS = ("content-encoding", "content-length", "transfer-encoding")


def read(response: httpx.Response, request: httpx.Request, limit: int | None) -> httpx.Response:
    """``response`` with its whole body read and decoded; it is closed either way."""
    if _declared_within(response, limit):
        response.read()  # the common case: no copy, no new Response
        return _strict(response)
    try:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if limit is not None and size > limit:
                raise _too_large(response.status_code, request, limit)
            chunks.append(chunk)
    finally:
        response.close()
    return _rewrap(response, request, b"".join(chunks))


async def aread(response: httpx.Response, request: httpx.Request, limit: int | None) -> httpx.Response:
    """The async twin of ``read``."""
    if _declared_within(response, limit):
        await response.aread()
        return _strict(response)
    try:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if limit is not None and size > limit:
                raise _too_large(response.status_code, request, limit)
            chunks.append(chunk)
    finally:
        await response.aclose()
    return _rewrap(response, request, b"".join(chunks))


def _declared_within(response: httpx.Response, limit: int | None) -> bool:
    """True if the body is not compressed and its declared length is within ``limit``:
    then what arrives is what is kept, and HTTP/1.1 framing stops at that length. Also
    True for a body already in memory (an in-process transport) within ``limit``."""
    if isinstance(response.stream, httpx.ByteStream):
        return limit is None or len(response.read()) <= limit
    headers = response.headers
    length = headers.get("content-length")
    if length is None or not length.isdigit() or (limit is not None and int(length) > limit):
        return False
    encoding = headers.get("content-encoding")
    return encoding is None or encoding.lower() == "identity"


def _strict(response: httpx.Response) -> httpx.Response:
    # The same object, its json() made strict: a subclass that adds no state, so the swap
    # is safe, and the common case stays free of copies.
    response.__class__ = StrictJSONResponse
    return response


def _rewrap(response: httpx.Response, request: httpx.Request, body: bytes) -> httpx.Response:
    headers = httpx.Headers(response.headers)
    for name in _STALE_HEADERS:
        headers.pop(name, None)
    return StrictJSONResponse(
        response.status_code,
        headers=headers,
        content=body,
        request=request,
        extensions=response.extensions,
    )


def _too_large(status: int, request: httpx.Request, limit: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"HTTP {status} to {request.method} {request.url.copy_with(query=None)}: "
        f"the body passed {limit} bytes decompressed and was not read further. If it is "
        "genuine, raise the cap with connect(max_response_bytes=...).",
        status_code=status,
        limit=limit,
    )
