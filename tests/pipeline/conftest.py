from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REFERENCE


@pytest.fixture(scope="session")
def reference_path() -> Path:
    # The reference lives beside the checkout (../shared); CI always has it. Its absence is
    # a broken setup, not a reason to skip.
    assert REFERENCE.is_file(), f"reference document missing at {REFERENCE}"
    return REFERENCE


@pytest.fixture(scope="session")
def reference(reference_path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(reference_path.read_text(encoding="utf-8"))
    return loaded
