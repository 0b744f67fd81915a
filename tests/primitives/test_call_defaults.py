"""A call's ``shots``/``precision`` (the default for PUBs that set none) is checked as a
PUB's own is: ``checked_shots`` and ``checked_precision`` are the one rule for both."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from iqp_wrapper.primitives import EstimatorPub, PubError, SamplerPub, estimator_body, sampler_body

BELL = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nh $0;\ncx $0, $1;\nmeas = measure $0:1;\n'
NOT_PRECISIONS: list[object] = [0, 0.0, -1, -0.5, True, False, "0.1", float("nan"), [0.1]]
PRECISIONS: list[object] = [1, 0.05, 1e-6]

PRECISION_SITES: dict[str, Callable[[object], object]] = {
    "EstimatorPub precision": lambda v: EstimatorPub(BELL, "ZZ", precision=v),  # type: ignore[arg-type]
    "estimator_body precision": lambda v: estimator_body("b", [(BELL, "ZZ")], precision=v),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("site", PRECISION_SITES)
def test_each_site_takes_exactly_the_positive_numbers(site: str) -> None:
    build = PRECISION_SITES[site]
    build(None)
    for value in PRECISIONS:
        build(value)
    for value in NOT_PRECISIONS:
        with pytest.raises(PubError, match="precision must be a positive number") as refused:
            build(value)
        assert refused.value.field == "precision"


def test_the_calls_precision_fills_pubs_without_one_as_a_float() -> None:
    body = estimator_body("b", [(BELL, "ZZ"), (BELL, "XX", None, 0.2)], precision=1)
    assert body["params"]["pubs"] == [[BELL, "ZZ", None, 1.0], [BELL, "XX", None, 0.2]]  # type: ignore[index]
    assert isinstance(body["params"]["pubs"][0][3], float)  # type: ignore[index]
    assert estimator_body("b", [(BELL, "ZZ")])["params"]["pubs"] == [[BELL, "ZZ"]]  # type: ignore[index]


def test_a_pubs_own_shots_win_and_the_calls_fill_the_rest() -> None:
    body = sampler_body("b", [BELL, SamplerPub(BELL, shots=3), (BELL, None, 4)], shots=7)
    assert body["params"]["pubs"] == [[BELL, None, 7], [BELL, None, 3], [BELL, None, 4]]  # type: ignore[index]
    with pytest.raises(PubError, match="shots must be a positive whole number") as refused:
        sampler_body("b", [BELL], shots=0)
    assert refused.value.field == "shots" and refused.value.pub is None
    with pytest.raises(PubError, match="PUB 1: shots must be") as refused:
        sampler_body("b", [BELL, (BELL, None, 0)])
    assert refused.value.pub == 1
