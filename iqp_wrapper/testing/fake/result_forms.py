"""The forms a job result body may take on the wire, so each client reading can be tested.

IBM's document types ``GET /v1/jobs/{id}/results`` as a string, qiskit-ibm-runtime reads the
body as text and IBM's REST guide reads it as JSON. The fake answers in the form its world
is set to (``FakeService(result_body_form=...)`` or ``fake.world.result_body_form``):

- ``"json"``: the result as a JSON object, ``Content-Type: application/json`` (the default);
- ``"text"``: the same JSON text, ``Content-Type: text/plain``;
- ``"json-string"``: a JSON string whose text is the result's JSON, as the document's
  string type reads literally.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from iqp_wrapper.testing.fake.wire import Response, json_response, text_response

ResultBodyForm = Literal["json", "text", "json-string"]
RESULT_BODY_FORMS: tuple[ResultBodyForm, ...] = ("json", "text", "json-string")


def result_response(payload: Any, form: ResultBodyForm) -> Response:
    """A 200 answer carrying the result ``payload`` in body form ``form``."""
    if form == "json":
        return json_response(200, payload)
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    if form == "text":
        return text_response(200, text)
    if form == "json-string":
        return json_response(200, text)
    raise ValueError(f"unknown result body form {form!r}; use one of {', '.join(RESULT_BODY_FORMS)}")
