"""Each declared correction is proved by the corpus file it names, and applies to upstream.

The proof of a correction: the part of the evidence file it names has schema errors against
the document with every correction but this one, the correction removes at least one of
them, and it adds none except inside a part it removed an error from (a part the document
could not look into before: an object that used to fail as "not a string" is now checked
field by field). So each entry is needed and breaks nothing the evidence shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from codegen.corrections import apply_corrections, resolve
from tests.fake.openapi_schema import OpenAPIDocument

from .corpus import ROOT as CORPUS
from .documents import corrected, corrections, upstream

CASES = [(c, e) for c in corrections() for e in c.evidence]


def _errors(document: dict[str, Any], schema_pointer: str, payload: Any) -> set[str]:
    schema = resolve(document, schema_pointer)
    return set(OpenAPIDocument(document).errors(schema, payload))


@pytest.mark.parametrize(("correction", "evidence"), CASES, ids=[f"{c.id}:{e.file}" for c, e in CASES])
def test_each_correction_is_proved_by_its_evidence(correction: Any, evidence: Any) -> None:
    payload = resolve(json.loads((CORPUS / evidence.file).read_text()), evidence.at)
    others = [c for c in corrections() if c.id != correction.id]
    without = apply_corrections(upstream(), others)[0]
    before = _errors(without, evidence.schema, payload)
    after = _errors(corrected(), evidence.schema, payload)
    assert before, f"{evidence.file}{evidence.at} already fits the document without {correction.id}"
    removed = {_location(e) for e in before - after}
    assert removed, f"{correction.id} removes no error of {evidence.file}{evidence.at}"
    caused = [e for e in after - before if not any(_inside(_location(e), r) for r in removed)]
    assert not caused, f"new errors with {correction.id}: {caused[:3]}"


def _location(error: str) -> str:
    path = error.split(": ", 1)[0]
    return "" if path == "<root>" else path


def _inside(path: str, prefix: str) -> bool:
    return prefix == "" or path == prefix or path.startswith(prefix + "/")


def test_every_correction_applies_to_the_upstream_reference(reference_path: Path) -> None:
    reference = json.loads(reference_path.read_text(encoding="utf-8"))
    _doc, report = apply_corrections(reference, list(corrections()))
    assert len(report) == len(corrections())
    not_applied = [line for line in report if "NOT APPLIED" in line or "already" in line]
    assert not not_applied


def test_applying_twice_reports_each_as_already_true() -> None:
    once = corrected()
    twice, report = apply_corrections(once, list(corrections()))
    assert twice == once
    assert all("already true upstream" in line for line in report), report


def test_a_correction_whose_target_is_gone_is_reported_not_dropped() -> None:
    document = upstream()
    trimmed = {**document, "components": {**document["components"], "schemas": {}}}
    _doc, report = apply_corrections(trimmed, list(corrections()))
    assert all("NOT APPLIED" in line for line in report)


def test_results_of_sampler_and_estimator_validate_against_the_corrected_document() -> None:
    document = OpenAPIDocument(corrected())
    schema = document.declared("/v1/jobs/{id}/results", "get", 200)
    assert schema is not None and schema.schema is not None
    for name in ("rest/results/sampler_qasm3.json", "qiskit/results/sampler_v2_primitive_result.json"):
        payload = json.loads((CORPUS / name).read_text())
        assert document.errors(schema.schema, payload) == []
        assert OpenAPIDocument(upstream()).errors(schema.schema, payload) != []
