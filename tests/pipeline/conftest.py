from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


# reference_path comes from tests/conftest.py: it skips (or, in CI, fails) without the document.
@pytest.fixture(scope="session")
def reference(reference_path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(reference_path.read_text(encoding="utf-8"))
    return loaded
