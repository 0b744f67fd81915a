"""Write the JSON Schemas of IBM's program models (ibm-quantum-schemas) into this folder.

Runs inside the witness venv that has the pinned ibm-quantum-schemas (run.py creates it);
ibm-quantum-schemas is never a dependency of iqp-wrapper. For every program version the
package defines (``ibm_quantum_schemas.<program>.version_X_Y``) it writes
``<program>/vX.Y.json`` with the params model, the result model and every model they use;
models of ``ibm_quantum_schemas.common`` (and pydantic's ``JsonValue``) go to ``common.json``
once. Each schema is pydantic's validation-mode JSON Schema with the prose taken out
(``description``, ``title``, ``examples``): only structure, types, constraints and defaults
stay. Every schema records the model it came from (``model``: the import path).

References are ``#/schemas/<Name>`` within a file and ``common.json#/schemas/<Name>`` into
the common file; scripts/codegen/programs.py turns them into document components.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import pydantic
from pydantic.json_schema import models_json_schema

HERE = Path(__file__).resolve().parent
PACKAGE = "ibm-quantum-schemas"
COMMON = "ibm_quantum_schemas.common"
# The model that is a program's result, per program package (every version has ParamsModel).
RESULT_MODELS = {
    "executor": "QuantumProgramResultModel",
    "noise_learner_v3": "NoiseLearnerV3ResultsModel",
    "noise_learner_v2": "ResultsModel",
    "estimator": "PrimitiveResultWrapperModel",
    "sampler": "PrimitiveResultWrapperModel",
    "calibrator": "CalibratorResultModel",
}
_PROSE = ("description", "title", "examples")
_REF = "#/schemas/"


def program_versions() -> list[tuple[str, str, Any]]:
    """(program, "vX.Y", module) for every program version in the package, sorted."""
    import ibm_quantum_schemas

    found = []
    for program in pkgutil.iter_modules(ibm_quantum_schemas.__path__):
        if not program.ispkg or program.name == "common":
            continue
        package = importlib.import_module(f"ibm_quantum_schemas.{program.name}")
        for sub in pkgutil.iter_modules(package.__path__):
            if not sub.name.startswith("version_"):
                continue
            module = importlib.import_module(f"ibm_quantum_schemas.{program.name}.{sub.name}")
            tag = "v" + sub.name.removeprefix("version_").replace("_", ".")
            found.append((program.name, tag, module))
    missing = sorted({p for p, _, _ in found} - set(RESULT_MODELS))
    if missing:
        raise SystemExit(f"no result model known for program(s) {', '.join(missing)}: add to RESULT_MODELS")
    return sorted(found, key=lambda t: (t[0], tuple(int(n) for n in t[1][1:].split("."))))


def _strip_schema(node: Any) -> Any:
    """Drop prose keys; a property literally named like one (a ``properties`` key) stays."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                out[key] = {name: _strip_schema(v) for name, v in value.items()}
            elif key in _PROSE:
                continue
            else:
                out[key] = _strip_schema(value)
        return out
    if isinstance(node, list):
        return [_strip_schema(v) for v in node]
    return node


def _origin(name: str, schema: dict[str, Any], module: Any) -> str:
    """The import path of the model (or type alias) behind one $defs entry."""
    title = str(schema.get("title", name))
    base = title.split("[", 1)[0]
    for candidate in (module, *_submodules(module), *_common_modules()):
        obj = getattr(candidate, base, None) or getattr(candidate, name, None)
        if obj is not None:
            where = getattr(obj, "__module__", None) or candidate.__name__
            if where == "typing_extensions" or where == "typing":
                where = candidate.__name__
            return f"{where}.{title}"
    if name == "JsonValue":
        return "pydantic.JsonValue"
    raise SystemExit(f"cannot tell where the model {name} ({title}) is defined")


def _submodules(package: Any) -> list[Any]:
    names = [m.name for m in pkgutil.iter_modules(package.__path__)]
    return [importlib.import_module(f"{package.__name__}.{name}") for name in names]


def _common_modules() -> list[Any]:
    common = importlib.import_module(COMMON)
    return [common, *_submodules(common)]


def _is_common(origin: str) -> bool:
    return origin.startswith(f"{COMMON}.") or origin.startswith("pydantic.")


def _rewrite_refs(node: Any, common: set[str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_REF):
                name = value[len(_REF) :]
                out[key] = f"common.json{_REF}{name}" if name in common else value
            else:
                out[key] = _rewrite_refs(value, common)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v, common) for v in node]
    return node


def export(program: str, tag: str, module: Any, common: dict[str, Any]) -> dict[str, Any]:
    params = module.ParamsModel
    result = getattr(module, RESULT_MODELS[program])
    _, schema = models_json_schema(
        [(params, "validation"), (result, "validation")], ref_template=_REF + "{model}"
    )
    defs: dict[str, Any] = schema["$defs"]
    local: dict[str, Any] = {}
    common_names = set()
    for name, raw in sorted(defs.items()):
        origin = _origin(name, raw, module)
        entry = {"model": origin, "schema": _strip_schema(raw)}
        if _is_common(origin):
            common_names.add(name)
            known = common.get(name)
            if known is not None and known["schema"] != entry["schema"]:
                raise SystemExit(f"common model {name} differs between program versions ({program} {tag})")
            common[name] = entry
        else:
            local[name] = entry
    for entry in local.values():
        entry["schema"] = _rewrite_refs(entry["schema"], common_names)
    return {
        "package": PACKAGE,
        "package_version": installed_version(PACKAGE),
        "program": program,
        "version": tag,
        "module": module.__name__,
        "params": params.__name__,
        "result": result.__name__,
        "schemas": local,
    }


def export_common(common: dict[str, Any]) -> None:
    """Add every model ``ibm_quantum_schemas.common`` exports, also those no program uses yet."""
    package = importlib.import_module(COMMON)
    models = [
        obj
        for name in sorted(getattr(package, "__all__", dir(package)))
        if isinstance(obj := getattr(package, name), type) and issubclass(obj, pydantic.BaseModel)
    ]
    _, schema = models_json_schema([(m, "validation") for m in models], ref_template=_REF + "{model}")
    for name, raw in sorted(schema["$defs"].items()):
        entry = {"model": _origin(name, raw, package), "schema": _strip_schema(raw)}
        known = common.get(name)
        if known is not None and known["schema"] != entry["schema"]:
            raise SystemExit(f"common model {name} differs from its use in a program version")
        common[name] = entry


def write(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(HERE.parent.parent)}")


def main() -> int:
    common: dict[str, Any] = {}
    written = []
    for program, tag, module in program_versions():
        payload = export(program, tag, module, common)
        write(HERE / program / f"{tag}.json", payload)
        written.append(f"{program}/{tag}.json")
    export_common(common)
    write(
        HERE / "common.json",
        {
            "package": PACKAGE,
            "package_version": installed_version(PACKAGE),
            "module": COMMON,
            "schemas": dict(sorted(common.items())),
        },
    )
    write(
        HERE / "VERSIONS.json",
        {
            PACKAGE: installed_version(PACKAGE),
            "pydantic": pydantic.VERSION,
            "python": ".".join(map(str, sys.version_info[:3])),
            "produced_by": "openapi/programs/export.py",
            "files": written,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
