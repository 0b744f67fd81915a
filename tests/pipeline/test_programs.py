"""IBM's program schemas (openapi/programs/) as a second input of the pipeline.

The committed export is read as the pipeline reads it; the merge is checked on small
documents (dialect, replacement, wiring, what is dropped) and on the real one; a new
package release shows in the change report; and, where the witness venv is at hand
(IQP_SCHEMAS_PYTHON), the committed export is what the pinned package gives today.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.changes import compare
from codegen.overlay import load_overlay
from codegen.programs import Programs, load_programs, merge_programs, version_tag
from codegen.spec_io import load_document
from codegen.unions import union_rules
from tests.conftest import ROOT

OPENAPI = ROOT / "openapi"
OVERLAY = OPENAPI / "overlay.yaml"
PROGRAMS = OPENAPI / "programs"


def programs() -> Programs:
    loaded = load_programs(load_overlay(OVERLAY).program_schemas, OPENAPI)
    assert loaded is not None
    return loaded


def test_every_program_version_of_the_package_is_exported_with_its_origin() -> None:
    versions = json.loads((PROGRAMS / "VERSIONS.json").read_text())
    assert versions["ibm-quantum-schemas"] == "0.13.20261016"
    expected = {
        "executor": ["v0.1", "v0.2", "v1.0", "v1.1", "v2.0"],
        "noise_learner_v3": ["v0.1", "v0.2", "v0.3"],
        "noise_learner_v2": ["v0.1"],
        "estimator": ["v0.1"],
        "sampler": ["v0.1"],
        "calibrator": ["v0.1"],
    }
    found: dict[str, list[str]] = {}
    for name in versions["files"]:
        data = json.loads((PROGRAMS / name).read_text())
        found.setdefault(data["program"], []).append(data["version"])
        assert data["package_version"] == versions["ibm-quantum-schemas"]
        assert data["params"] in data["schemas"] and data["result"] in data["schemas"]
        for entry in data["schemas"].values():
            assert entry["model"].startswith(data["module"] + "."), entry["model"]
    assert found == expected


def test_the_export_holds_facts_only() -> None:
    def prose(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [k for k in ("description", "title", "examples") if k in node]
            inner = [
                p
                for k, v in node.items()
                for p in (prose(v) if k != "properties" else prose(list(v.values())))
            ]
            return own + inner
        if isinstance(node, list):
            return [p for v in node for p in prose(v)]
        return []

    for path in sorted(PROGRAMS.rglob("*.json")):
        data = json.loads(path.read_text())
        schemas = [e["schema"] for e in data.get("schemas", {}).values()]
        assert prose(schemas) == [], path


def test_component_names_follow_ibm_s_scheme() -> None:
    loaded = programs()
    assert version_tag("v2.0") == "V20"
    assert loaded.classes("executor") == [
        "ExecutorV01ParamsModel",
        "ExecutorV02ParamsModel",
        "ExecutorV10ParamsModel",
        "ExecutorV11ParamsModel",
        "ExecutorV20ParamsModel",
    ]
    assert loaded.classes("noise_learner_v3", "result")[-1] == "NoiseLearnerV3V03NoiseLearnerV3ResultsModel"
    schemas = loaded.schemas
    assert schemas["ExecutorV20QuantumProgramModel"]["properties"]["circuits"]["anyOf"] == [
        {"$ref": "#/components/schemas/CompressedQpyDataModel_QuantumCircuit_"},
        {"$ref": "#/components/schemas/OpenQasm3DataModel_QuantumCircuit_"},
    ]
    mapping = schemas["ExecutorV20QuantumProgramModel"]["properties"]["items"]["items"]["discriminator"]
    assert mapping["mapping"]["circuit"] == "#/components/schemas/ExecutorV20CircuitItemModel"


def _jobs_document() -> dict[str, Any]:
    """A small 3.0 document with the two unions the overlay wires programs into."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "jobs", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "JobRunParams": {
                    "allOf": [
                        {"type": "object", "properties": {"program_id": {"type": "string"}}},
                        {"properties": {"params": {"oneOf": [{"$ref": "#/components/schemas/Own"}]}}},
                    ]
                },
                "Own": {"type": "object", "properties": {"n": {"type": "integer"}}},
                "JobResults": {"oneOf": [{"type": "string"}]},
                # IBM's copy of one program model, described in our words, and what only it uses.
                "ExecutorV01OptionsModel": {
                    "description": "our words",
                    "properties": {"init_qubits": {"type": "boolean", "description": "init words"}},
                    "allOf": [{"$ref": "#/components/schemas/OnlyOldUses"}],
                },
                "OnlyOldUses": {"type": "object"},
                "Unused": {"type": "object"},
            }
        },
    }


def test_merge_wires_every_version_and_keeps_the_document_s_words() -> None:
    doc, report = merge_programs(_jobs_document(), programs())
    schemas = doc["components"]["schemas"]

    params = schemas["JobRunParams"]["allOf"][1]["properties"]["params"]["oneOf"]
    refs = [v["$ref"].rsplit("/", 1)[1] for v in params]
    assert refs[0] == "Own"  # what the document had keeps its place (and its generated name)
    assert refs[1:] == programs().classes("executor") + programs().classes("noise_learner_v3")
    results = [v.get("$ref", "string").rsplit("/", 1)[-1] for v in schemas["JobResults"]["oneOf"]]
    assert results[0] == "string" and "ExecutorV20QuantumProgramResultModel" in results
    assert "EstimatorV01ParamsModel" not in refs  # no program_id: a component only
    assert "EstimatorV01ParamsModel" in schemas

    replaced = schemas["ExecutorV01OptionsModel"]
    assert replaced["description"] == "our words"
    assert replaced["properties"]["init_qubits"]["description"] == "init words"
    assert "allOf" not in replaced
    # Only the replaced definition used it: kept, so its name still imports, but deprecated.
    assert schemas["OnlyOldUses"]["deprecated"] is True
    assert "deprecated" not in schemas["Unused"]  # unused before the merge: not ours to mark
    assert any("kept, deprecated: OnlyOldUses" in line for line in report)
    assert doc["x-program-schemas"]["versions"]["executor v2.0"]["program_id"] == "executor"


def test_merge_speaks_openapi_3_0_where_the_document_does() -> None:
    doc, _ = merge_programs(_jobs_document(), programs())
    schemas = doc["components"]["schemas"]
    version = schemas["ExecutorV20ParamsModel"]["properties"]["schema_version"]
    assert version["enum"] == ["v2.0"] and "const" not in version
    semantic_role = schemas["ExecutorV20QuantumProgramModel"]["properties"]["semantic_role"]
    assert semantic_role["type"] == "string" and semantic_role["nullable"] is True
    assert "anyOf" not in semantic_role
    sparse = schemas["PauliLindbladMapModel"]["properties"]["sparse_terms"]["items"]
    assert "prefixItems" not in sparse and len(sparse["x-prefixItems"]) == 3

    text = json.dumps(schemas)
    assert '"const"' not in text and '"prefixItems"' not in text
    # null only as the type of a field that is always null, never as a variant of a union
    assert text.count('{"type": "null"}') == 1
    assert schemas["ExecutorV01QuantumProgramResultItemModel"]["properties"]["metadata"] == {"type": "null"}


def test_merge_leaves_3_1_schemas_as_json_schema() -> None:
    source = _jobs_document()
    source["openapi"] = "3.1.0"
    doc, _ = merge_programs(source, programs())
    version = doc["components"]["schemas"]["ExecutorV20ParamsModel"]["properties"]["schema_version"]
    assert version["const"] == "v2.0"


def test_a_document_without_jobs_is_left_alone() -> None:
    doc = {"openapi": "3.0.3", "info": {}, "paths": {}, "components": {"schemas": {"Pet": {}}}}
    merged, report = merge_programs(doc, programs())
    assert merged is doc and "not merged" in report[0]


def test_the_contextual_rule_names_every_version(tmp_path: Path) -> None:
    doc, _ = merge_programs(_jobs_document(), programs())
    rules = union_rules(doc, OVERLAY, programs())
    variants = rules["JobRunParams.params"]["variants"]
    assert variants["executor"] == programs().classes("executor")
    assert variants["noise-learner"] == ["JobRunParamsNoiseLearner", *programs().classes("noise_learner_v3")]


def _release(tmp_path: Path, change: Any) -> Path:
    """A copy of openapi/ whose program export stands for another package release."""
    copy_root = tmp_path / "openapi"
    shutil.copytree(PROGRAMS, copy_root / "programs")
    for path in (copy_root / "programs").rglob("*.json"):
        data = json.loads(path.read_text())
        if "package_version" in data:
            data["package_version"] = "0.14.20270101"
        change(path, data)
        path.write_text(json.dumps(data))
    return copy_root


def test_a_new_release_is_reported_as_an_api_change(tmp_path: Path) -> None:
    def add_v2_1(path: Path, data: dict[str, Any]) -> None:
        if path.name == "v2.0.json" and path.parent.name == "executor":
            newer = copy.deepcopy(data)
            newer["version"] = "v2.1"
            newer["schemas"]["ParamsModel"]["schema"]["properties"]["schema_version"]["const"] = "v2.1"
            (path.parent / "v2.1.json").write_text(json.dumps(newer))

    newer = load_programs(load_overlay(OVERLAY).program_schemas, _release(tmp_path, add_v2_1))
    assert newer is not None
    old = {"operations": {}, "classes": {}, "programs": merge_programs(_jobs_document(), programs())[0]}
    new = {"operations": {}, "classes": {}, "programs": merge_programs(_jobs_document(), newer)[0]}
    old["programs"], new["programs"] = (
        old["programs"]["x-program-schemas"],
        new["programs"]["x-program-schemas"],
    )

    lines = [c.line() for c in compare(old, new)]

    assert lines == [
        "program schemas: release (ibm-quantum-schemas 0.13.20261016 -> ibm-quantum-schemas 0.14.20270101)",
        "program version added: executor v2.1 (params ExecutorV21ParamsModel, result "
        "ExecutorV21QuantumProgramResultModel; program_id executor)",
    ]
    assert newer.classes("executor")[-1] == "ExecutorV21ParamsModel"


def test_a_version_gone_from_the_package_is_breaking() -> None:
    now = merge_programs(_jobs_document(), programs())[0]["x-program-schemas"]
    was = copy.deepcopy(now)
    gone = now["versions"].pop("executor v0.1")
    found = compare(
        {"operations": {}, "classes": {}, "programs": was}, {"operations": {}, "classes": {}, "programs": now}
    )
    assert [(c.kind, c.subject, c.breaking) for c in found] == [
        ("program version removed", "executor v0.1", True)
    ]
    assert gone["params"] in found[0].detail


def test_the_real_document_and_the_reference_both_take_the_programs(reference_path: Path) -> None:
    for source in (OPENAPI / "qiskit-runtime-api.yaml", reference_path):
        doc, report = merge_programs(load_document(str(source)), programs())
        params = doc["components"]["schemas"]["JobRunParams"]["allOf"][1]["properties"]["params"]["oneOf"]
        refs = {v["$ref"].rsplit("/", 1)[1] for v in params}
        assert {"ExecutorV20ParamsModel", "NoiseLearnerV3V03ParamsModel", "JobRunParamsSampler"} <= refs
        assert "replace the document's definitions" in report[0], source


def test_overlay_program_entries_must_name_a_prefix(tmp_path: Path) -> None:
    overlay = yaml.safe_load(OVERLAY.read_text())
    del overlay["program_schemas"]["programs"]["executor"]
    with pytest.raises(Exception, match="executor has no entry"):
        load_programs(overlay["program_schemas"], OPENAPI)


WITNESS = os.environ.get("IQP_SCHEMAS_PYTHON", "")


@pytest.mark.skipif(
    not WITNESS,
    reason="IQP_SCHEMAS_PYTHON not set (an interpreter with ibm-quantum-schemas: openapi/programs/run.py)",
)
def test_the_committed_export_is_what_the_pinned_package_gives(tmp_path: Path) -> None:
    shutil.copy(PROGRAMS / "export.py", tmp_path / "export.py")
    done = subprocess.run([WITNESS, str(tmp_path / "export.py")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    for path in sorted(PROGRAMS.rglob("*.json")):
        relative = path.relative_to(PROGRAMS)
        assert (tmp_path / relative).read_text() == path.read_text(), relative
