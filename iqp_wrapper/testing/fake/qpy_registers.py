"""Classical registers of a qiskit-encoded circuit, read without qiskit.

qiskit-ibm-runtime sends circuits as ``{"__type__": "QuantumCircuit", "__value__": <base64
of zlib-compressed QPY>}``. Decoding QPY fully needs qiskit; the fake only needs the names
and widths of the classical registers, which QPY stores as fixed records: type ``c``, a
standalone flag, the size (uint32), the name length (uint16), an in-circuit flag, the name,
then one int64 bit index per bit. This scans for such records and accepts one only when
every field is consistent (name length, printable identifier, indices within range).
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import zlib
from typing import Any

_RECORD = re.compile(rb"c[\x00\x01](?P<size>.{4})(?P<name_size>.{2})[\x00\x01]", re.DOTALL)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MAX_BITS = 100_000


def is_encoded_circuit(value: Any) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "QuantumCircuit"


def classical_registers(encoded: dict[str, Any]) -> list[tuple[str, int]]:
    """(name, width) of each classical register found, in the order QPY lists them."""
    raw = qpy_bytes(encoded.get("__value__"))
    if raw is None:
        return []
    found: list[tuple[str, int]] = []
    for match in _RECORD.finditer(raw):
        size = struct.unpack("!I", match["size"])[0]
        name_size = struct.unpack("!H", match["name_size"])[0]
        if not 0 < size <= _MAX_BITS or not 0 < name_size <= 64:
            continue
        start = match.end()
        name_bytes = raw[start : start + name_size]
        try:
            name = name_bytes.decode("ascii")
        except UnicodeDecodeError:
            continue
        if not _NAME.match(name) or len(name) != name_size:
            continue
        indices_raw = raw[start + name_size : start + name_size + 8 * size]
        if len(indices_raw) != 8 * size:
            continue
        indices = struct.unpack(f"!{size}q", indices_raw)
        if all(-1 <= i < _MAX_BITS for i in indices) and (name, size) not in found:
            found.append((name, size))
    return found


def qpy_bytes(value: Any) -> bytes | None:
    """The QPY bytes of base64 text, inflated if zlib-compressed (None if not base64)."""
    if not isinstance(value, str):
        return None
    try:
        packed = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        return zlib.decompress(packed)
    except zlib.error:
        return packed  # QPY sent uncompressed
