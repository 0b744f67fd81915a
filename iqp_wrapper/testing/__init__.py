"""Everything for testing code that uses this client, apart from what applications import.

- ``iqp_wrapper.testing.fake``: the embedded fake of IBM Cloud IAM and the Qiskit Runtime
  API (``FakeService``, in process or over 127.0.0.1 with ``FakeServer``).
- ``iqp_wrapper.testing.connect``: ``connect_fake()``, the real client wired to a fake.
- ``iqp_wrapper.testing.plugin``: the pytest fixtures (``iqp_fake``, ``iqp_client``,
  ``iqp_async_client``...), installed as the pytest plugin ``iqp``.

The names below are imported on first use, so importing this package costs nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iqp_wrapper.testing.connect import connect_fake
    from iqp_wrapper.testing.fake import FakeServer, FakeService, ManualClock

_HOME_OF = {
    "connect_fake": "iqp_wrapper.testing.connect",
    "FakeServer": "iqp_wrapper.testing.fake",
    "FakeService": "iqp_wrapper.testing.fake",
    "ManualClock": "iqp_wrapper.testing.fake",
}

__all__ = ["FakeServer", "FakeService", "ManualClock", "connect_fake"]


def __getattr__(name: str) -> object:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
