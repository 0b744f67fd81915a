"""Shared test settings: where the project, its scripts and the reference data are."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "qiskit-runtime-api.json"

# scripts/ is not a package users install; the pipeline tests import it from the checkout.
sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(autouse=True)
def no_developer_iqp_accounts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the accounts the developer saved with `iqp login` (nor so their keyring)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
