"""PUB inputs: what is sent, and clear errors before any request."""

from __future__ import annotations

from typing import Any

import pytest

from iqp_wrapper.errors import IQPError
from iqp_wrapper.primitives import EstimatorPub, PubError, SamplerPub, estimator_body, sampler_body
from tests.realworld.corpus import load

BELL = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nh $0;\ncx $0, $1;\nmeas = measure $0:1;\n'
PARAM = (
    'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] theta;\ninput float[64] alpha;\n'
    "bit[1] c;\nry(theta) $0;\nrz(alpha) $0;\nc[0] = measure $0;\n"
)


def test_rest_bodies_match_ibm_s_documented_layout() -> None:
    documented = load("rest/requests/post_jobs_estimator_qasm3.json")
    pubs = documented["params"]["pubs"]
    ours = estimator_body(
        documented["backend"],
        [EstimatorPub(p[0], p[1], p[2], p[3] if len(p) > 3 else None) for p in pubs],
    )
    assert ours["program_id"] == "estimator"
    assert ours["params"]["pubs"] == [p[:4] if p[-1] is not None else p[:-1] for p in pubs]  # type: ignore[index]


def test_sampler_body_fills_shots_and_keeps_pub_shots() -> None:
    body = sampler_body("fake_eagle", [BELL, SamplerPub(BELL, shots=10)], shots=100, tags=["t"], session="s1")
    assert body["params"] == {"pubs": [[BELL, None, 100], [BELL, None, 10]], "version": 2}  # type: ignore[comparison-overlap]
    assert body["tags"] == ["t"] and body["session_id"] == "s1"
    assert sampler_body("b", [BELL])["params"]["pubs"] == [[BELL]]  # type: ignore[index]


def test_mapping_parameter_values_follow_the_sorted_parameter_order() -> None:
    pub = SamplerPub(PARAM, {"theta": [0.1, 0.2, 0.3], "alpha": 1.0})
    assert pub.circuit.parameters == ("alpha", "theta")
    assert pub.parameter_values == [[1.0, 0.1], [1.0, 0.2], [1.0, 0.3]]
    assert pub.shape == (3,)
    grid = SamplerPub(PARAM, {"theta": [[0.0, 1.0]], "alpha": [[2.0, 3.0]]})
    assert grid.parameter_values == [[[2.0, 0.0], [3.0, 1.0]]] and grid.shape == (1, 2)
    assert SamplerPub(PARAM, [[0.5, 0.6]]).shape == (1,)


def test_estimator_broadcasts_like_the_service() -> None:
    pub = EstimatorPub(PARAM, [["ZZ"], ["XX"]], {"theta": [0.0, 1.0, 2.0], "alpha": 0.0})
    assert pub.shape == (2, 3)
    with pytest.raises(PubError, match=r"do not broadcast") as caught:
        EstimatorPub(PARAM, ["ZZ", "XX"], {"theta": [0.0, 1.0, 2.0], "alpha": 0.0}, pub=4)
    assert caught.value.pub == 4 and caught.value.field == "observables"
    assert EstimatorPub(BELL, {"IZ": 1, "XX": -0.5}).observables == {"IZ": 1.0, "XX": -0.5}


@pytest.mark.parametrize(
    ("make", "field", "fragment"),
    [
        (lambda: SamplerPub(12), "circuit", "OpenQASM 3 text"),  # type: ignore[arg-type]
        (lambda: SamplerPub("h $0;"), "circuit", "OPENQASM"),
        (lambda: SamplerPub("OPENQASM 3.0;\nh $0;\n"), "circuit", "no classical bits"),
        (lambda: SamplerPub(BELL, shots=0), "shots", "positive"),
        (lambda: SamplerPub(PARAM), "parameter_values", "give parameter_values"),
        (lambda: SamplerPub(PARAM, {"theta": 1.0}), "parameter_values", "missing ['alpha']"),
        (
            lambda: SamplerPub(PARAM, {"theta": 1.0, "alpha": 1.0, "beta": 2}),
            "parameter_values",
            "unknown ['beta']",
        ),
        (
            lambda: SamplerPub(PARAM, {"theta": [1.0, 2.0], "alpha": [1.0]}),
            "parameter_values",
            "different shapes",
        ),
        (lambda: SamplerPub(PARAM, [[1.0]]), "parameter_values", "2 parameters"),
        (lambda: SamplerPub(PARAM, [[1.0, 2.0], [1.0]]), "parameter_values", "ragged"),
        (lambda: SamplerPub(PARAM, {"theta": "x", "alpha": 1.0}), "parameter_values", "not a number"),
        (lambda: EstimatorPub(BELL, "ZQ"), "observables", "not a Pauli string"),
        (lambda: EstimatorPub(BELL, ["ZZ", "Z"]), "observables", "different lengths"),
        (lambda: EstimatorPub(BELL, {"ZZ": "1"}), "observables", "real number"),  # type: ignore[dict-item]
        (lambda: EstimatorPub(BELL, [["ZZ"], ["XX", "YY"]]), "observables", "ragged"),
        (lambda: EstimatorPub(BELL, 3), "observables", "Pauli string or a mapping"),  # type: ignore[arg-type]
        (lambda: EstimatorPub(BELL, "ZZ", precision=-1), "precision", "positive"),
    ],
)
def test_bad_input_is_a_clear_typed_error(make: Any, field: str, fragment: str) -> None:
    with pytest.raises(PubError) as caught:
        make()
    assert isinstance(caught.value, IQPError) and isinstance(caught.value, ValueError)
    assert caught.value.field == field
    assert fragment in str(caught.value)


def test_pub_index_is_named_when_submitting_a_list() -> None:
    with pytest.raises(PubError, match=r"^PUB 1: "):
        sampler_body("b", [BELL, "OPENQASM 3.0;\nh $0;\n"])
    with pytest.raises(PubError):
        sampler_body("b", BELL)  # type: ignore[arg-type]
    with pytest.raises(PubError):
        estimator_body("b", ["ZZ"])  # type: ignore[list-item]


def test_qiskit_is_not_imported_for_text_circuits() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from iqp_wrapper.primitives import SamplerPub, submit_sampler;"
        f"SamplerPub({BELL!r}); print('qiskit' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_options_are_the_generated_typed_models() -> None:
    from iqp_wrapper.primitives import EstimatorOptions, SamplerOptions

    options = SamplerOptions.from_dict({"default_shots": 5, "twirling": {"enable_gates": True}})
    body = sampler_body("b", [BELL], options=options)
    assert body["params"]["options"] == {"default_shots": 5, "twirling": {"enable_gates": True}}  # type: ignore[index]
    assert "options" not in sampler_body("b", [BELL])["params"]  # type: ignore[operator]
    est = estimator_body("b", [EstimatorPub(BELL, "ZZ")], options=EstimatorOptions(default_precision=0.01))
    assert est["params"]["options"] == {"default_precision": 0.01}  # type: ignore[index]
