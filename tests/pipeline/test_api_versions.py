"""Which IBM-API-Version values a document describes, and the client's default checked against them."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.api_versions import check, described_versions
from codegen.changes import compare
from tests.pipeline.synthetic import base


def _with_versions(
    enum: list[str] | None = None, listed: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    doc = base()
    header = {"name": "IBM-API-Version", "in": "header", "schema": {"type": "string"}}
    if enum is not None:
        header["schema"] = {"type": "string", "enum": enum}
    doc["components"]["parameters"] = {"IBM-API-Version": header}
    if listed is not None:
        doc["paths"]["/v1/versions"] = {
            "get": {
                "operationId": "getVersions",
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"example": {"versions": listed}}},
                    }
                },
            }
        }
    return doc


def test_versions_come_from_the_header_the_versions_example_and_the_overlay() -> None:
    doc = _with_versions(
        enum=["2025-01-01", "2026-02-01"],
        listed=[
            {"version": "2026-02-01", "status": "deprecated"},
            {"version": "2026-04-15", "status": "live"},
        ],
    )
    found = described_versions(
        doc, {"2025-01-01": "deprecated", "2026-04-15": "deprecated", "2027-01-01": "live"}
    )
    assert found == {
        "2025-01-01": "deprecated",  # the document gives no status: the overlay's
        "2026-02-01": "deprecated",
        "2026-04-15": "live",  # the document's status wins over the overlay's
        "2027-01-01": "live",
    }


def test_a_document_that_lists_none_is_said_so() -> None:
    notes, warnings = check("2026-04-15", described_versions(base(), {}))
    assert warnings == [] and "lists no API versions" in notes[0]


@pytest.mark.parametrize(
    ("default", "expected"),
    [
        ("2026-04-15", None),
        ("2026-02-01", "is deprecated; the live one is 2026-04-15"),
        ("2026-09-01", "is newer than every one of them (3 API versions, 2025-01-01 to 2026-04-15)"),
        ("2025-06-01", "is not among them"),
    ],
)
def test_the_default_version_is_checked(default: str, expected: str | None) -> None:
    described = {"2025-01-01": "deprecated", "2026-02-01": "deprecated", "2026-04-15": "live"}
    notes, warnings = check(default, described)
    if expected is None:
        assert warnings == []
        assert notes == [
            "versions: the document describes 3 API versions, 2025-01-01 to 2026-04-15; "
            "the client sends 2026-04-15 (live)"
        ]
    else:
        assert len(warnings) == 1 and expected in warnings[0] and default in warnings[0]


def test_the_change_report_lists_versions_added_removed_and_deprecated() -> None:
    empty: dict[str, Any] = {"operations": {}, "classes": {}}
    old = {**empty, "api_versions": {"2024-01-01": "deprecated", "2026-02-01": "live"}}
    new = {**empty, "api_versions": {"2026-02-01": "deprecated", "2026-04-15": "live"}}
    found = {(c.kind, c.subject, c.breaking) for c in compare(old, new)}
    assert found == {
        ("API version added", "2026-04-15", False),
        ("API version removed", "2024-01-01", True),
        ("API version deprecated", "2026-02-01", False),
    }
    # Summaries written before versions were recorded compare as "no versions yet", not an error.
    assert compare(empty, empty) == []
