"""How results are shown: aligned tables and key-value lists for people, JSON for scripts."""

from __future__ import annotations

import datetime
import enum
import json
from collections.abc import Iterable, Sequence
from typing import Any

from iqp_api.types import Unset

NONE = "-"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Columns aligned on the widest cell; the last column is not padded."""
    lines = [list(headers), *(list(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(headers))]
    rendered = []
    for line in lines:
        cells = [cell.ljust(width) for cell, width in zip(line[:-1], widths[:-1], strict=True)] + line[-1:]
        rendered.append("  ".join(cells).rstrip())
    return "\n".join(rendered)


def pairs(items: Iterable[tuple[str, str]]) -> str:
    """``name  value`` lines, names aligned."""
    listed = list(items)
    width = max((len(name) for name, _ in listed), default=0)
    return "\n".join(f"{name.ljust(width)}  {value}".rstrip() for name, value in listed)


def to_json(value: Any) -> str:
    """``value`` as indented JSON; dates as ISO 8601, enums as their values."""
    return json.dumps(value, indent=2, default=_plain, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Unset):
        return None
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def text(value: object) -> str:
    """A cell: ``-`` for a missing value, an enum's value, a date-time in UTC to the second."""
    if value is None or isinstance(value, Unset) or value == "":
        return NONE
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime.datetime):
        moment = value.astimezone(datetime.timezone.utc) if value.tzinfo else value
        return moment.strftime("%Y-%m-%d %H:%M:%S") + ("Z" if value.tzinfo else "")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value) or NONE
    return str(value)


def seconds(value: float) -> str:
    """A duration for people: ``850 ms``, ``12.5 s``, ``3 min 20 s``, ``2 h 5 min``."""
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 60:
        return f"{value:.1f} s"
    minutes, secs = divmod(round(value), 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
