"""`deprecated: true` in the document reaches the generated code and the change report.

One synthetic document marks an operation, a parameter, a schema and a field deprecated;
the package generated from it is imported in a fresh interpreter (its own ``iqp_api``, not
the installed one) to see what a caller sees.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main
from tests.pipeline.synthetic import PINNED, base, write_doc, write_hand_written, write_overlay


def _deprecated_doc() -> dict[str, Any]:
    doc = base()
    get = doc["paths"]["/things/{id}"]["get"]
    get["deprecated"] = True
    get["parameters"][1]["deprecated"] = True  # verbose
    doc["components"]["schemas"]["Thing"]["properties"]["size"]["deprecated"] = True
    doc["components"]["schemas"]["NewThing"]["deprecated"] = True
    return doc


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    """The package for the deprecated document, its JSON report, and the console output."""
    tmp = tmp_path_factory.mktemp("deprecations")
    common = [
        "--overlay",
        str(write_overlay(tmp / "overlay.yaml", pinned=PINNED)),
        "--hand-written",
        str(write_hand_written(tmp / "src")),
        "--output",
        str(tmp / "generated"),
        "--quiet",
    ]
    assert main(["--spec", write_doc(tmp / "base.json", base()), *common]) == 0
    report = tmp / "report.md"
    spec = write_doc(tmp / "deprecated.json", _deprecated_doc())
    args = ["--spec", spec, *common[:-1], "--report", str(report)]
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(args)
    assert code == 0, printed.getvalue()
    data: dict[str, Any] = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    return tmp / "generated", data, printed.getvalue() + report.read_text(encoding="utf-8")


def test_the_report_lists_what_became_deprecated(generated: tuple[Path, dict[str, Any], str]) -> None:
    _out, data, text = generated
    found = {(c["kind"], c["subject"]) for c in data["changes"]}
    assert found == {
        ("operation deprecated", "GET /things/{id}"),
        ("parameter deprecated", "GET /things/{id} (iqp_api.api.things.get_thing).verbose"),
        ("field deprecated", "Thing.size"),
        ("class deprecated", "NewThing"),
    }
    assert not any(c["breaking"] for c in data["changes"])
    assert "### Deprecated\n\n- operation deprecated: GET /things/{id}\n" in text


def _run(out: Path, code: str) -> str:
    """Run ``code`` against the generated package in a fresh interpreter; its stdout."""
    done = subprocess.run(
        [sys.executable, "-W", "always::DeprecationWarning", "-c", code],
        env={"PYTHONPATH": str(out), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


CALL = """
import httpx, warnings
from iqp_api.client import Client
from iqp_api.api.things import get_thing
answer = httpx.MockTransport(lambda request: httpx.Response(200, json={"id": "t1", "size": 3}))
client = Client(base_url="https://example.test", httpx_args={"transport": answer})
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    thing = get_thing.sync(client=client, id="t1")
    print("call:", [str(w.message) for w in caught], [w.filename for w in caught])
    caught.clear()
    get_thing.sync(client=client, id="t1", verbose=True)
    print("param:", [str(w.message) for w in caught])
    caught.clear()
    thing.to_dict(); repr(thing); thing == thing
    print("quiet:", len(caught))
    print("size:", thing.size, [str(w.message) for w in caught])
print("doc:", get_thing.sync.__doc__.strip().splitlines()[0])
"""


def test_calls_and_reads_warn_at_the_callers_line(generated: tuple[Path, dict[str, Any], str]) -> None:
    out, _data, _text = generated
    lines = dict(line.split(": ", 1) for line in _run(out, CALL).splitlines() if ": " in line)
    message = "GET /things/{id} is deprecated in the Qiskit Runtime API document"
    assert message in lines["call"] and "'<string>'" in lines["call"]  # the caller's file, not ours
    assert "the verbose parameter of GET /things/{id} is deprecated" in lines["param"]
    assert lines["quiet"] == "0"  # to_dict, repr and == read the field without warning
    assert lines["size"].startswith("3 ") and "Thing.size is deprecated" in lines["size"]
    assert lines["doc"] == "Deprecated: the API document marks GET /things/{id} deprecated; calling it warns."


def test_generated_text_marks_each_deprecation(generated: tuple[Path, dict[str, Any], str]) -> None:
    out, _data, _text = generated
    package = out / "iqp_api"
    thing = (package / "models" / "thing.py").read_text(encoding="utf-8")
    assert "Deprecated: reading it warns." in thing
    assert 'types.deprecate_fields(Thing, ("size",))' in thing
    new_thing = (package / "models" / "new_thing.py").read_text(encoding="utf-8")
    assert "Deprecated: the API document marks this schema deprecated." in new_thing
    resources = (package / "resources" / "things.py").read_text(encoding="utf-8")
    # PEP 702's marker on both the sync and the async method, for IDEs.
    assert resources.count('@_types.deprecated("GET /things/{id} is deprecated') >= 2
