"""The overlay stays honest: stale entries are reported, clashes are errors, pins match imports."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from codegen.cli import main
from codegen.handwritten import imported_names, missing_names
from codegen.overlay import load_overlay
from tests.conftest import ROOT
from tests.pipeline.synthetic import base, write_doc, write_overlay

OVERLAY = ROOT / "openapi" / "overlay.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_pinned_names_are_exactly_what_iqp_wrapper_imports() -> None:
    pinned = list(load_overlay(OVERLAY).pinned_names)
    imported = imported_names(ROOT / "iqp_wrapper", "iqp_api")
    missing_pins = sorted(set(imported) - set(pinned))
    stale_pins = sorted(set(pinned) - set(imported))
    assert missing_pins == [], f"add these to pinned_names in openapi/overlay.yaml: {missing_pins}"
    assert stale_pins == [], f"iqp_wrapper no longer imports these; drop them from pinned_names: {stale_pins}"
    assert pinned == sorted(pinned), "keep pinned_names sorted so merges stay simple"


def test_the_committed_package_has_every_pinned_name() -> None:
    pinned = list(load_overlay(OVERLAY).pinned_names)
    assert pinned
    assert missing_names(ROOT / "generated" / "iqp_api", pinned) == []


def test_missing_names_sees_modules_and_module_level_names(tmp_path: Path) -> None:
    package = tmp_path / "iqp_api"
    (package / "api" / "things").mkdir(parents=True)
    for init in (package, package / "api", package / "api" / "things"):
        (init / "__init__.py").write_text("", encoding="utf-8")
    (package / "api" / "things" / "get_thing.py").write_text("def sync() -> None: ...\n", encoding="utf-8")
    (package / "types.py").write_text("UNSET: object = object()\nclass Unset: ...\n", encoding="utf-8")
    names = [
        "iqp_api.api.things.get_thing",
        "iqp_api.api.things.get_thing.sync",
        "iqp_api.types.UNSET",
        "iqp_api.types.Unset",
        "iqp_api.api.things.fetch_thing",
        "iqp_api.types.Missing",
        "other.types.Unset",
    ]
    assert missing_names(package, names) == [
        "iqp_api.api.things.fetch_thing",
        "iqp_api.types.Missing",
        "other.types.Unset",
    ]


def test_unmatched_overlay_entries_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlay = write_overlay(
        tmp_path / "overlay.yaml", pinned=[], names={"getThing": "get_thing", "listThings": "list_things"}
    )
    raw = yaml.safe_load(overlay.read_text(encoding="utf-8"))
    raw["client_headers"] = ["X-Tenant"]
    overlay.write_text(yaml.safe_dump(raw), encoding="utf-8")
    spec = write_doc(tmp_path / "doc.json", base())
    code, out, _err = run(
        capsys,
        "--spec",
        spec,
        "--overlay",
        str(overlay),
        "--output",
        str(tmp_path / "out"),
        "--hand-written",
        str(tmp_path / "nothing"),
        "--check",
    )
    assert code == 1  # --check against an empty output folder
    assert "overlay: function_names: listThings matches no operationId in the document" in out
    assert "overlay: client_headers: X-Tenant is not a header parameter in the document" in out
    assert "getThing matches" not in out


def test_two_operations_on_one_function_name_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = base()
    doc["paths"]["/things"]["post"]["operationId"] = "get_thing"  # getThing is named get_thing by rule
    spec = write_doc(tmp_path / "doc.json", doc)
    overlay = write_overlay(tmp_path / "overlay.yaml", pinned=[])
    code, out, err = run(capsys, "--spec", spec, "--overlay", str(overlay), "--output", str(tmp_path / "out"))
    assert code == 2
    assert err == (
        "error: two operations map to the function name get_thing: GET /things/{id} (operationId getThing) "
        "and POST /things (operationId get_thing); give one of them another name under function_names "
        "in openapi/overlay.yaml\n"
    )
    assert "Traceback" not in out + err
    assert not (tmp_path / "out" / "iqp_api").exists()
