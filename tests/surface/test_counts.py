"""Every place that takes a count (shots, chunk_size, a session's max_time) accepts and
refuses the same values: they share ``primitives.pubs.is_count``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from iqp_wrapper.errors import ConfigError
from iqp_wrapper.primitives import Session
from iqp_wrapper.primitives.errors import PubError
from iqp_wrapper.primitives.executor_program import CircuitItem, QuantumProgram
from iqp_wrapper.primitives.pubs import SamplerPub, is_count
from iqp_wrapper.primitives.submit import sampler_body

BELL = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nh $0;\ncx $0, $1;\nmeas = measure $0:1;\n'
NOT_COUNTS: list[object] = [0, -1, True, False, 1.0, 2.5, "3", None]
COUNTS: list[object] = [1, 2, 10**12]

SITES: dict[str, Callable[[object], object]] = {
    "SamplerPub shots": lambda n: SamplerPub(BELL, shots=n),  # type: ignore[arg-type]
    "sampler_body shots": lambda n: sampler_body("b", [BELL], shots=n),  # type: ignore[arg-type]
    "CircuitItem chunk_size": lambda n: CircuitItem(BELL, chunk_size=n),  # type: ignore[arg-type]
    "QuantumProgram shots": lambda n: QuantumProgram([BELL], shots=n),  # type: ignore[arg-type]
    "Session max_time": lambda n: Session(None, "b", max_time=n),  # type: ignore[arg-type]
}
# None means "not given" where the count is optional; QuantumProgram's shots are required.
OPTIONAL = {"SamplerPub shots", "sampler_body shots", "CircuitItem chunk_size", "Session max_time"}


def test_is_count() -> None:
    assert [is_count(v) for v in COUNTS] == [True] * len(COUNTS)
    assert [is_count(v) for v in NOT_COUNTS] == [False] * len(NOT_COUNTS)


@pytest.mark.parametrize("site", SITES)
def test_each_site_takes_exactly_the_counts(site: str) -> None:
    build = SITES[site]
    for value in COUNTS:
        build(value)
    for value in NOT_COUNTS:
        if value is None and site in OPTIONAL:
            build(value)
            continue
        with pytest.raises((PubError, ConfigError)):
            build(value)
