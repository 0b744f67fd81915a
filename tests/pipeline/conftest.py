from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_reference


@pytest.fixture(scope="session")
def reference_path() -> Path:
    # Outside the project (../shared or IQP_REFERENCE_DOCUMENT): a fresh clone skips these
    # tests and says how to provide it; CI requires it (IQP_REQUIRE_REFERENCE=1).
    return require_reference()


@pytest.fixture(scope="session")
def reference(reference_path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(reference_path.read_text(encoding="utf-8"))
    return loaded
