"""An answer whose shape depends on the IBM-API-Version: one class per shape, typed per version.

A synthetic document lists things in two shapes (names until 2025-03-01, objects from
then on). The package generated from it is type-checked by the pipeline against
hand-written code that pins the overloads with ``assert_type``, and run in a fresh
interpreter to see what a caller gets for each version sent.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.cli import main
from codegen.errors import InputError
from codegen.version_shapes import apply_declared, parse_declared
from tests.pipeline.synthetic import base, write_doc

OLD, NEW = "2024-06-01", "2025-03-01"

NAMES = {
    "type": "object",
    "required": ["names"],
    "properties": {"names": {"type": "array", "items": {"type": "string"}}},
}
LISTING = {
    "type": "object",
    "required": ["things"],
    "properties": {"things": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}},
}


def _listing_operation(shapes: list[dict[str, Any]] | None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": "OK",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingListing"}}},
    }
    if shapes is not None:
        response["x-iqp-version-shapes"] = shapes
    return {"operationId": "listThings", "tags": ["things"], "responses": {"200": response}}


def _doc(*, with_extension: bool) -> dict[str, Any]:
    doc = base()
    doc["components"]["schemas"]["ThingListing"] = copy.deepcopy(LISTING)
    shapes = None
    if with_extension:
        doc["components"]["schemas"]["ThingNames"] = copy.deepcopy(NAMES)
        shapes = [
            {"since": NEW, "schema": {"$ref": "#/components/schemas/ThingListing"}},
            {"since": OLD, "schema": {"$ref": "#/components/schemas/ThingNames"}},  # any order
        ]
    doc["paths"]["/things"]["get"] = _listing_operation(shapes)
    return doc


DECLARED = {
    "listThings": {
        "evidence": "a test document",
        "shapes": {OLD: "ThingNames", NEW: "ThingListing"},
        "schemas": {"ThingNames": NAMES},
    }
}

HAND_WRITTEN = '''"""Pins the per-version types of the generated namespace method."""

from typing import TYPE_CHECKING

from iqp_api.api_version import VersionShapeError
from iqp_api.models.thing_listing import ThingListing
from iqp_api.models.thing_names import ThingNames
from iqp_api.resources import ResourceClient

if TYPE_CHECKING:
    from typing_extensions import assert_type


def names(client: ResourceClient, version: str) -> list[str]:
    if TYPE_CHECKING:
        assert_type(client.things.list(), ThingListing)
        assert_type(client.things.list(api_version="2024-06-01"), ThingNames)
        assert_type(client.things.list(api_version="2025-03-01"), ThingListing)
        assert_type(client.things.list(api_version=version), ThingListing | ThingNames)
    found = client.things.list(api_version=version)
    if isinstance(found, ThingNames):
        return found.names
    return [thing.id for thing in found.things]


def refused(error: VersionShapeError) -> str:
    return error.answered_as
'''

PINNED = [
    "iqp_api.api_version.VersionShapeError",
    "iqp_api.models.thing_listing.ThingListing",
    "iqp_api.models.thing_names.ThingNames",
    "iqp_api.resources.ResourceClient",
]


def _overlay(path: Path, *, declared: dict[str, Any] | None = None) -> Path:
    overlay: dict[str, Any] = {
        "api_version": NEW,
        "api_versions": {OLD: "deprecated", "2024-09-01": "deprecated", NEW: "live"},
        "client_headers": [],
        "pinned_names": PINNED,
    }
    if declared is not None:
        overlay["version_shapes"] = declared
    path.write_text(yaml.safe_dump(overlay), encoding="utf-8")
    return path


def _generate(tmp: Path, doc: dict[str, Any], declared: dict[str, Any] | None = None) -> tuple[int, str]:
    package = tmp / "src" / "thingkit"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(HAND_WRITTEN, encoding="utf-8")
    args = [
        "--spec",
        write_doc(tmp / "doc.json", doc),
        "--overlay",
        str(_overlay(tmp / "overlay.yaml", declared=declared)),
        "--hand-written",
        str(package),
        "--output",
        str(tmp / "generated"),
    ]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        code = main(args)
    return code, printed.getvalue()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("version-shapes")
    code, printed = _generate(tmp, _doc(with_extension=True))
    # The pipeline type-checked the hand-written pins above against the new package.
    assert code == 0, printed
    assert "typecheck: hand-written code against the new package: ok" in printed
    return tmp / "generated", printed


RUN = """
import json, httpx
from iqp_api.api.things import list_things
from iqp_api.api_version import VersionShapeError
from iqp_api.errors import UnparseableResponse
from iqp_api.resources import ResourceClient

BODIES = {"2024-06-01": {"names": ["a", "b"]}, "2024-09-01": {"names": ["c"]},
          "2025-03-01": {"things": [{"id": "t1"}]}, "2027-01-01": {"things": []},
          "": {"names": ["none"]}}
sent = []

def answer(request):
    version = request.headers.get("IBM-API-Version", "")
    sent.append(version)
    return httpx.Response(200, json=BODIES[version] if not WRONG else WRONG[version], request=request)

def client(version):
    headers = {"IBM-API-Version": version} if version else {}
    return ResourceClient(base_url="https://example.test", token="t", headers=headers,
                          httpx_args={"transport": httpx.MockTransport(answer)})

def kind(value):
    return type(value).__name__

WRONG = None
out = {}
out["new"] = kind(client("2025-03-01").things.list())
out["old_named"] = kind(client("2024-06-01").things.list(api_version="2024-06-01"))
out["between"] = client("2025-03-01").things.list(api_version="2024-09-01").names
out["later_than_all"] = kind(client("2027-01-01").things.list())
out["function_old"] = kind(list_things.sync(client=client("2024-06-01")))
out["function_none"] = list_things.sync(client=client("")).names
before = len(sent)
try:
    client("2024-06-01").things.list()
    out["refused"] = None
except VersionShapeError as error:
    out["refused"] = [error.sent, error.answered_as, str(error)]
out["sent_when_refused"] = len(sent) - before
WRONG = {"2024-06-01": {"names": [{"id": "t1"}]}, "2025-03-01": {"names": ["a"]}}
for version in ("2024-06-01", "2025-03-01"):
    try:
        out["wrong_" + version] = kind(client(version).things.list(api_version=version))
    except UnparseableResponse as error:
        out["wrong_" + version] = error.reason
print(json.dumps(out))
"""


def _run(out: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", RUN],
        env={"PYTHONPATH": str(out), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_each_version_gets_its_shape(generated: tuple[Path, str]) -> None:
    seen = _run(generated[0])
    assert seen["new"] == "ThingListing"
    assert seen["old_named"] == "ThingNames"
    assert seen["between"] == ["c"]  # a described version between two dates: the earlier shape
    assert seen["later_than_all"] == "ThingListing"
    assert seen["function_old"] == "ThingNames"
    assert seen["function_none"] == ["none"]  # no header: the oldest shape


def test_a_client_sending_another_shapes_version_is_refused_before_sending(
    generated: tuple[Path, str],
) -> None:
    seen = _run(generated[0])
    sent, answered_as, message = seen["refused"]
    assert (sent, answered_as) == (OLD, "ThingNames")
    assert "things.list(api_version='2024-06-01')" in message
    assert seen["sent_when_refused"] == 0


def test_a_body_of_another_shape_is_refused(generated: tuple[Path, str]) -> None:
    seen = _run(generated[0])
    assert "names[0] is object, not string" in seen["wrong_2024-06-01"]
    assert "IBM-API-Version 2024-06-01" in seen["wrong_2024-06-01"]
    assert "has no 'things'" in seen["wrong_2025-03-01"]


def test_the_method_lists_the_versions_of_each_shape(generated: tuple[Path, str]) -> None:
    text = (generated[0] / "iqp_api" / "resources" / "things.py").read_text(encoding="utf-8")
    assert 'api_version: Literal["2024-06-01", "2024-09-01"],' in text
    assert 'api_version: Literal["2025-03-01"],' in text
    assert text.count("@overload") == 8  # four faces, sync and async


def test_the_overlay_declares_the_same_for_a_document_that_does_not_say(tmp_path: Path) -> None:
    code, printed = _generate(tmp_path, _doc(with_extension=False), DECLARED)
    assert code == 0, printed
    assert "repair: version shapes: added schema ThingNames (from the overlay)" in printed
    assert "repair: version shapes: GET /things 200 answers ThingNames from 2024-06-01" in printed
    assert "parsed by best fit" not in printed  # the version decides, not a guess
    assert _run(tmp_path / "generated")["old_named"] == "ThingNames"


def test_an_entry_for_a_missing_operation_is_reported_not_applied() -> None:
    doc, lines = apply_declared(base(), parse_declared({"nope": DECLARED["listThings"]}, "overlay"))
    assert lines == ["version shapes: no operation nope in the document; skipped"]
    assert "ThingNames" not in doc["components"]["schemas"]


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ({"shapes": {OLD: "A", NEW: "B"}}, "needs evidence"),
        ({"evidence": "x", "shapes": {OLD: "A"}}, "at least two"),
        ({"evidence": "x", "shapes": {"June": "A", NEW: "B"}}, "not dates: June"),
        ({"evidence": "x"}, "needs shapes"),
    ],
)
def test_bad_entries_say_what_to_fix(entry: dict[str, Any], says: str) -> None:
    with pytest.raises(InputError, match=says):
        parse_declared({"listThings": entry}, "overlay")


def test_the_change_report_shows_a_shape_taking_effect_on_another_date(
    generated: tuple[Path, str], tmp_path: Path
) -> None:
    doc = _doc(with_extension=True)
    shapes = doc["paths"]["/things"]["get"]["responses"]["200"]["x-iqp-version-shapes"]
    shapes[0]["since"] = "2024-09-01"  # objects from 2024-09-01 on, no longer 2025-03-01
    package = tmp_path / "src" / "thingkit"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(HAND_WRITTEN, encoding="utf-8")
    out = tmp_path / "generated"
    out.mkdir()
    (out / "api-summary.json").write_bytes((generated[0] / "api-summary.json").read_bytes())
    report = tmp_path / "report.md"
    args = [
        "--spec",
        write_doc(tmp_path / "doc.json", doc),
        "--overlay",
        str(_overlay(tmp_path / "overlay.yaml")),
        "--hand-written",
        str(package),
        "--output",
        str(out),
        "--check",
        "--report",
        str(report),
    ]
    with contextlib.redirect_stdout(io.StringIO()):
        main(args)
    changes = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))["changes"]
    assert [(c["kind"], c["subject"], c["detail"], c["breaking"]) for c in changes] == [
        (
            "response shapes by API version",
            "GET /things (iqp_api.api.things.list_things) 200",
            "ThingNames from 2024-06-01, ThingListing from 2025-03-01 -> "
            "ThingNames from 2024-06-01, ThingListing from 2024-09-01",
            True,
        )
    ]


def test_a_shape_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    doc = _doc(with_extension=True)
    shapes = doc["paths"]["/things"]["get"]["responses"]["200"]["x-iqp-version-shapes"]
    shapes[1]["schema"] = {"$ref": "#/components/schemas/State"}  # an enum of strings
    code, printed = _generate(tmp_path, doc)
    assert code == 2
    assert "error: list_things: version shape State is not an object schema, so it has no class" in printed
