"""Shared test settings: where the project, its scripts and the reference data are."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "qiskit-runtime-api.json"

# scripts/ is not a package users install; the pipeline tests import it from the checkout.
sys.path.insert(0, str(ROOT / "scripts"))
