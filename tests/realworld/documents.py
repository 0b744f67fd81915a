"""The OpenAPI documents the tests check payloads against: upstream and corrected."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from codegen.corrections import Correction, apply_corrections, load_corrections
from tests.conftest import ROOT

OUR_DOCUMENT = ROOT / "openapi" / "qiskit-runtime-api.yaml"
CORRECTIONS = ROOT / "openapi" / "corrections.yaml"


@cache
def corrections() -> tuple[Correction, ...]:
    return tuple(load_corrections(CORRECTIONS))


@cache
def upstream() -> dict[str, Any]:
    """Our document as it is in openapi/, i.e. as IBM publishes it (plus descriptions)."""
    loaded: dict[str, Any] = yaml.load(OUR_DOCUMENT.read_text(encoding="utf-8"), Loader=_LOADER)
    return loaded


@cache
def corrected() -> dict[str, Any]:
    """Our document with every declared correction applied, as the generator sees it."""
    return apply_corrections(upstream(), list(corrections()))[0]


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
