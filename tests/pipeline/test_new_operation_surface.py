"""A new operation in the document becomes a client method on regeneration, with no
hand-written change: the namespaces are generated, and iqp_wrapper's clients inherit them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from codegen.cli import main
from tests.conftest import ROOT

PROBE = """
import importlib, typing
import iqp_api, iqp_wrapper.client as c
from iqp_wrapper.namespaces.jobs import AsyncJobsWithHelpers, JobsWithHelpers
assert iqp_api.__file__.startswith({out!r}), iqp_api.__file__
for cls in (JobsWithHelpers, AsyncJobsWithHelpers, JobsWithHelpers(None).with_raw_response.__class__):
    assert callable(getattr(cls, "frobnicate")), cls
# What type checkers see (the client's generic base) and what the client builds at run time.
typed = typing.get_args(c.IQPClient.__orig_bases__[0])[0].__forward_arg__
module, name = c.IQPClient._namespaces[0].split(":")
built = getattr(importlib.import_module(module), name)
assert callable(getattr(built, "frobnicate")), built
print("found", typed, built.__name__)
"""


def test_an_added_operation_appears_on_the_client(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = yaml.safe_load((ROOT / "openapi" / "qiskit-runtime-api.yaml").read_text(encoding="utf-8"))
    doc["paths"]["/v1/jobs/{id}/frobnicate"] = {
        "post": {
            "operationId": "frobnicate_job",
            "tags": ["Jobs"],
            "summary": "Frobnicate a job",
            "description": "A made-up operation for this test.",
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "description": "The job.",
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": {
                    "description": "Done.",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}}
                        }
                    },
                }
            },
        }
    }
    spec = tmp_path / "doc.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "generated"
    code = main(["--spec", str(spec), "--output", str(out), "--quiet"])
    printed = capsys.readouterr()
    assert code == 0, printed.out + printed.err
    assert "frobnicate" in (out / "iqp_api" / "resources" / "jobs.py").read_text(encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(out)}
    probe = PROBE.format(out=str(out))
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["found", "JobsWithHelpers", "JobsWithHelpers"]
