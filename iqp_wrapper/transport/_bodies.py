"""Reading an answer's body inside the transport, with a cap on its decompressed size.

Reading it there, rather than after the transport returns, puts a failure while the body
arrives (a reset, a drip-feed past the deadline) where a retry can still be decided, and
lets a gzip bomb be stopped after ``limit`` bytes instead of inflating in full.

Every response leaves here as a ``StrictJSONResponse``, so whoever parses its body (the
generated operations, IAM, the error reader) refuses NaN, infinities and repeated keys.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

import httpx

from iqp_wrapper._flow import Flow, Io, arun, run
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
    return run(_streamed(response, request, limit))


async def aread(response: httpx.Response, request: httpx.Request, limit: int | None) -> httpx.Response:
    """The async twin of ``read`` (spelled as ``httpx.Response.aread``, which it wraps)."""
    if _declared_within(response, limit):
        await response.aread()
        return _strict(response)
    return await arun(_streamed(response, request, limit))


def _streamed(response: httpx.Response, request: httpx.Request, limit: int | None) -> Flow[httpx.Response]:
    """The body read chunk by chunk (inflated here for gzip and deflate), up to ``limit``:
    one flow for both drivers (iqp_wrapper._flow), each chunk a step."""
    if isinstance(response.stream, httpx.ByteStream):  # in memory already, and over the cap
        raise _too_large(response.status_code, request, limit or 0)
    inflater = _Inflater.for_(response)
    chunks = None
    try:
        body = io.BytesIO()
        chunks = yield (_DECODED if inflater is None else _RAW)(response)
        while (chunk := (yield _NEXT(chunks))) is not None:
            for piece in (chunk,) if inflater is None else inflater.feed(chunk):
                _keep(body, piece, limit, response, request)
        if inflater is not None:
            _keep(body, inflater.flush(), limit, response, request)
    finally:
        # The chunk generator is closed here, not left to the garbage collector: left
        # suspended after a refusal, it was finalized at some later allocation, on whatever
        # code was running then, and its clean-up (httpcore's, which logs) ran inside it.
        try:
            if chunks is not None:
                yield _CLOSE_CHUNKS(chunks)
        finally:
            yield _CLOSE(response)
    return _rewrap(response, request, body.getvalue())


# The steps of _streamed, each way: the body's chunks (decoded by httpx, or raw for our own
# inflater), the next chunk (None at the end), closing the chunks, and closing the response.
_DECODED = Io(lambda response: response.iter_bytes(), lambda response: response.aiter_bytes())
_RAW = Io(lambda response: response.iter_raw(), lambda response: response.aiter_raw())
_NEXT = Io(lambda chunks: next(chunks, None), lambda chunks: anext(chunks, None))
_CLOSE_CHUNKS = Io(lambda chunks: chunks.close(), lambda chunks: chunks.aclose())
_CLOSE = Io(lambda response: response.close(), lambda response: response.aclose())


class _Inflater:
    """gzip and deflate, inflated at most ``STEP`` bytes at a time.

    httpx's own decoders inflate each network read in full: a 64 KiB read of a gzip bomb
    becomes 64 MB before anyone can count it, and that chunk is then copied into the body,
    so reading peaked near twice the body. Bounded steps let the cap stop a bomb within a
    step and keep the peak at the body plus one step. Other encodings (br, zstd, several
    stacked) are left to httpx.
    """

    STEP = 1 << 20

    def __init__(self, encoding: str) -> None:
        self._deflate = encoding == "deflate"
        # deflate is meant to be zlib-wrapped, but servers send it raw too (as httpx allows).
        wbits = zlib.MAX_WBITS if self._deflate else zlib.MAX_WBITS | 16
        self._decompressor = zlib.decompressobj(wbits)
        self._started = False

    @classmethod
    def for_(cls, response: httpx.Response) -> _Inflater | None:
        codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) != 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
            return None
        return cls(codings[0])

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._decompressor.decompress(data, self.STEP)
            except zlib.error as exc:
                if self._deflate and not self._started:
                    self._decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._deflate = False  # raw deflate from here on; no second switch
                    continue
                raise httpx.DecodingError(str(exc)) from None
            self._started = True
            if out:
                yield out
            data = self._decompressor.unconsumed_tail

    def flush(self) -> bytes:
        try:
            return self._decompressor.flush()
        except zlib.error as exc:
            raise httpx.DecodingError(str(exc)) from None


def _keep(
    body: io.BytesIO, chunk: bytes, limit: int | None, response: httpx.Response, request: httpx.Request
) -> None:
    """Append ``chunk`` to ``body``, or raise if that would take it past ``limit``.

    One growing buffer rather than a list of chunks joined at the end: the join held the
    chunks and their copy at once, twice the body at the peak. BytesIO grows its buffer in
    place (realloc) and ``getvalue()`` hands that same buffer over, trimmed, so the peak
    stays near the body's size (``benchmarks/body_cap.py`` measures it).
    """
    if limit is not None and body.tell() + len(chunk) > limit:
        raise _too_large(response.status_code, request, limit)
    body.write(chunk)


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
