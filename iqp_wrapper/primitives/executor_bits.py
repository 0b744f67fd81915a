"""Measurement bits of executor results, from packed booleans to shots, without numpy.

An executor returns a classified register as a bool tensor of shape ``(..., shots, bits)``
packed as one little-endian bit stream (value ``i`` is bit ``i % 8`` of byte ``i // 8``).
A BitArray wants each shot on its own whole bytes, big-endian, bit 0 lowest. The
conversion runs in C: the stream is read as one big integer, printed in binary, and the
columns are moved to their places with strided slice copies. Bit strings come the
same way, more cheaply still, and are what counting needs.
"""

from __future__ import annotations

from collections.abc import Sequence

# Each byte with its bits in reverse order: the stream's first value becomes the highest bit.
_REVERSED = bytes(int(f"{i:08b}"[::-1], 2) for i in range(256))


def _stream(raw: bytes) -> bytes:
    """Packed booleans as ASCII ``0``/``1``: character i is value i."""
    return format(int.from_bytes(raw.translate(_REVERSED), "big"), f"0{8 * len(raw)}b").encode("ascii")


def bool_rows_to_packed(raw: bytes, rows: int, num_bits: int) -> bytes:
    """``rows`` rows of ``num_bits`` packed booleans as packed big-endian rows of
    ``ceil(num_bits / 8)`` bytes each, column 0 in the lowest bit."""
    nb = (num_bits + 7) // 8
    if not rows or not nb:
        return b""
    total = rows * num_bits
    stream = _stream(raw)
    width = 8 * nb
    text = bytearray(b"0" * (rows * width))
    for column in range(num_bits):
        # Column c of every row lands at the c-th character from the right of its field.
        text[width - 1 - column :: width] = stream[column:total:num_bits]
    return int(text, 2).to_bytes(rows * nb, "big")


def xor_flips(packed: bytes, flips: bytes, *, elements: int, shots: int, flip_shots: int, nb: int) -> bytes:
    """Undo measurement twirling: XOR the shots of every element with its bit flips, which
    have either one row per shot or one row for all shots of the element."""
    if flip_shots == shots:
        return (int.from_bytes(packed, "big") ^ int.from_bytes(flips, "big")).to_bytes(len(packed), "big")
    block = shots * nb
    out = bytearray()
    for e in range(elements):
        mask = flips[e * nb : (e + 1) * nb] * shots
        chunk = packed[e * block : (e + 1) * block]
        out += (int.from_bytes(chunk, "big") ^ int.from_bytes(mask, "big")).to_bytes(block, "big")
    return bytes(out)


def merge_randomizations(packed: bytes, *, randomizations: int, points: int, block: int) -> bytes:
    """From ``(randomizations, *sweep, shots, bytes)`` to ``(*sweep, randomizations * shots,
    bytes)``: the shots of every randomization of a sweep point, one after the other."""
    parts: Sequence[bytes] = [
        packed[(r * points + p) * block : (r * points + p + 1) * block]
        for p in range(points)
        for r in range(randomizations)
    ]
    return b"".join(parts)


def bool_rows_to_strings(raw: bytes, rows: int, num_bits: int) -> list[str]:
    """``rows`` rows of ``num_bits`` packed booleans as bit strings, column 0 rightmost."""
    if not rows:
        return []
    total = rows * num_bits
    stream = _stream(raw)
    stride = num_bits + 1
    # Each row's field ends in a separator; column c goes c characters left of it.
    text = bytearray(b"\n" * (rows * stride))
    for column in range(num_bits):
        text[num_bits - 1 - column :: stride] = stream[column:total:num_bits]
    strings = text.decode("ascii").split("\n")
    del strings[-1]
    return strings
