"""The classical registers an OpenQASM circuit declares, for shaping Sampler results."""

from __future__ import annotations

import re

# OpenQASM 3: `bit[2] c;`, `bit c;`, `output bit[3] out;`; OpenQASM 2: `creg c[2];`.
_BIT = re.compile(r"^\s*(?:output\s+)?bit\s*(?:\[\s*(\d+)\s*\])?\s+([A-Za-z_]\w*)\s*;", re.MULTILINE)
_CREG = re.compile(r"^\s*creg\s+([A-Za-z_]\w*)\s*\[\s*(\d+)\s*\]\s*;", re.MULTILINE)


def declared_registers(source: str) -> list[tuple[str, int]]:
    """(name, width) of each classical register, in declaration order."""
    found: list[tuple[int, str, int]] = []
    for match in _BIT.finditer(source):
        found.append((match.start(), match[2], int(match[1]) if match[1] else 1))
    for match in _CREG.finditer(source):
        found.append((match.start(), match[1], int(match[2])))
    return [(name, width) for _pos, name, width in sorted(found)]
