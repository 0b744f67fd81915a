"""qiskit's PUB-like tuples (and the REST guide's PUB arrays) wherever PUBs are taken.

A tuple becomes the SamplerPub/EstimatorPub its items spell, with the same checks and the
same PubError messages; the guide's own PUB arrays pass as they are; submission, sessions,
``client.primitives`` and the async twins all take them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from iqp_wrapper.client import AsyncIQPClient, IQPClient
from iqp_wrapper.primitives import (
    EstimatorPub,
    PubError,
    SamplerPub,
    as_estimator_pub,
    as_sampler_pub,
    async_estimator_result,
    async_sampler_result,
    async_submit_estimator,
    async_submit_sampler,
    estimator_body,
    estimator_result,
    open_session,
    sampler_body,
    sampler_result,
    submit_estimator,
    submit_sampler,
)
from iqp_wrapper.testing.fake import ManualClock
from tests.realworld.corpus import files

BELL = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nh $0;\ncx $0, $1;\nmeas = measure $0:1;\n'
RY = (
    'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] theta;\nbit[2] meas;\nry(theta) $0;\n'
    "cx $0, $1;\nmeas[0] = measure $0;\nmeas[1] = measure $1;\n"
)


def test_sampler_tuples_are_the_pubs_they_spell() -> None:
    assert as_sampler_pub((BELL,)) == SamplerPub(BELL)
    assert as_sampler_pub((RY, {"theta": [0.1, 0.2]})) == SamplerPub(RY, {"theta": [0.1, 0.2]})
    assert as_sampler_pub((RY, {"theta": [0.1, 0.2]}, 1000)) == SamplerPub(RY, {"theta": [0.1, 0.2]}, 1000)
    assert as_sampler_pub((BELL, None, 500)) == SamplerPub(BELL, shots=500)
    given = SamplerPub(BELL)
    assert as_sampler_pub(given) is given and as_sampler_pub(BELL) == given


def test_estimator_tuples_are_the_pubs_they_spell() -> None:
    assert as_estimator_pub((BELL, "ZZ")) == EstimatorPub(BELL, "ZZ")
    assert as_estimator_pub((RY, [["ZZ"], ["XX"]], {"theta": [0.0, 1.0, 2.0]}, 0.01)) == EstimatorPub(
        RY, [["ZZ"], ["XX"]], {"theta": [0.0, 1.0, 2.0]}, 0.01
    )
    assert as_estimator_pub((BELL, {"ZZ": 1, "XX": 0.5}, None)) == EstimatorPub(BELL, {"ZZ": 1.0, "XX": 0.5})
    given = EstimatorPub(BELL, "ZZ")
    assert as_estimator_pub(given) is given


def test_bodies_from_tuples_equal_bodies_from_pubs() -> None:
    tuples = sampler_body("b", [BELL, (RY, {"theta": [0.1, 0.2]}, 7), (BELL, None, 9)], shots=50)
    pubs = sampler_body(
        "b", [SamplerPub(BELL), SamplerPub(RY, {"theta": [0.1, 0.2]}, 7), SamplerPub(BELL, shots=9)], shots=50
    )
    assert tuples == pubs
    assert estimator_body(
        "b", [(BELL, "ZZ"), (RY, ["ZZ", "XX"], [[0.5]], 0.02)], precision=0.05
    ) == estimator_body(
        "b", [EstimatorPub(BELL, "ZZ"), EstimatorPub(RY, ["ZZ", "XX"], [[0.5]], 0.02)], precision=0.05
    )


@pytest.mark.parametrize(
    "path",
    files("rest/requests", "post_jobs_guide_*.json") + files("rest/requests", "post_jobs_*qasm3*.json"),
    ids=lambda p: p.name,
)
def test_the_rest_guide_pub_arrays_pass_as_they_are(path: Any) -> None:
    body = json.loads(path.read_text())
    pubs = body["params"]["pubs"]
    make: Callable[..., Any] = sampler_body if body["program_id"] == "sampler" else estimator_body
    sent = make(body["backend"], pubs)["params"]["pubs"]
    assert len(sent) == len(pubs)
    for ours, theirs in zip(sent, pubs, strict=True):
        assert ours[0] == theirs[0]  # the circuit goes out as it came


# -- the same messages as today ------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "direct"),
    [
        ((12,), lambda: SamplerPub(12, pub=3)),  # type: ignore[arg-type]
        ((RY,), lambda: SamplerPub(RY, pub=3)),
        ((RY, {"phi": 1.0}), lambda: SamplerPub(RY, {"phi": 1.0}, pub=3)),
        ((BELL, None, 0), lambda: SamplerPub(BELL, None, 0, pub=3)),
        ((BELL, None, "100"), lambda: SamplerPub(BELL, None, "100", pub=3)),  # type: ignore[arg-type]
    ],
)
def test_a_bad_sampler_tuple_fails_as_the_pub_would(
    given: tuple[Any, ...], direct: Callable[[], object]
) -> None:
    with pytest.raises(PubError) as expected:
        direct()
    with pytest.raises(PubError) as caught:
        as_sampler_pub(given, index=3)
    assert str(caught.value) == str(expected.value) and caught.value.field == expected.value.field


@pytest.mark.parametrize(
    ("given", "direct"),
    [
        ((BELL, "ZQ"), lambda: EstimatorPub(BELL, "ZQ", pub=2)),
        ((BELL, 5), lambda: EstimatorPub(BELL, 5, pub=2)),  # type: ignore[arg-type]
        (
            (RY, ["ZZ", "XX"], [[0.1], [0.2], [0.3]]),
            lambda: EstimatorPub(RY, ["ZZ", "XX"], [[0.1], [0.2], [0.3]], pub=2),
        ),
        ((BELL, "ZZ", None, -1.0), lambda: EstimatorPub(BELL, "ZZ", None, -1.0, pub=2)),
    ],
)
def test_a_bad_estimator_tuple_fails_as_the_pub_would(
    given: tuple[Any, ...], direct: Callable[[], object]
) -> None:
    with pytest.raises(PubError) as expected:
        direct()
    with pytest.raises(PubError) as caught:
        as_estimator_pub(given, index=2)
    assert str(caught.value) == str(expected.value) and caught.value.field == expected.value.field


def test_a_tuple_of_the_wrong_length_says_the_form() -> None:
    with pytest.raises(
        PubError,
        match=r"^PUB 1: a Sampler PUB tuple is \(circuit\[, parameter_values\[, shots\]\]\): "
        r"1 to 3 items, not 4$",
    ) as caught:
        sampler_body("b", [BELL, (BELL, None, 10, 4)])  # type: ignore[list-item]
    assert (caught.value.pub, caught.value.field) == (1, "pub")
    with pytest.raises(PubError, match=r"^PUB 0: an Estimator PUB tuple is .*: 2 to 4 items, not 1$"):
        estimator_body("b", [(BELL,)])  # type: ignore[list-item]
    with pytest.raises(PubError, match=r"not 0$"):
        as_sampler_pub(())  # type: ignore[arg-type]


def test_shots_in_the_parameter_values_place_get_a_hint() -> None:
    with pytest.raises(
        PubError, match=r"not shots \(1000\); to set only shots write \(circuit, None, shots\)"
    ):
        as_sampler_pub((BELL, 1000))  # type: ignore[arg-type]


def test_a_lone_pub_tuple_given_as_the_list_is_named() -> None:
    with pytest.raises(PubError, match=r"put a single PUB tuple .* in a list"):
        submit_estimator(None, "b", (BELL, "ZZ"))  # type: ignore[arg-type]
    with pytest.raises(PubError, match=r"put a single PUB tuple .* in a list"):
        sampler_body("b", (BELL, None, 100))  # type: ignore[arg-type]
    assert len(sampler_body("b", (BELL, BELL))["params"]["pubs"]) == 2  # type: ignore[arg-type]  # a tuple of circuits is a list of PUBs


def test_anything_else_is_not_an_estimator_pub() -> None:
    with pytest.raises(PubError, match=r"^PUB 0: expected an EstimatorPub or a tuple \(circuit, observables"):
        estimator_body("b", [BELL])  # type: ignore[list-item]


# -- through the fake, every way PUBs are taken --------------------------------------------


def test_submit_and_sessions_take_tuples(iqp_client: IQPClient, iqp_clock: ManualClock) -> None:
    sampled = submit_sampler(iqp_client, "fake_eagle", [(RY, {"theta": [0.1, 0.2]}, 30), (BELL, None, 10)])
    estimated = iqp_client.primitives.submit_estimator(
        "fake_eagle", [(BELL, "ZZ"), (RY, [["ZZ"], ["XX"]], {"theta": [0.0, 1.0, 2.0]})]
    )
    with open_session(iqp_client, "fake_eagle") as session:
        in_session = session.run_sampler([(BELL,)], shots=5)
        est_in_session = session.run_estimator([(BELL, {"ZZ": 1.0}, None, 0.05)])
    iqp_clock.advance(60)
    result = sampler_result(iqp_client, sampled.id)
    assert (result[0].data.meas.shape, result[0].data.meas.num_shots) == ((2,), 30)
    assert result[1].data.meas.num_shots == 10
    assert [p.data.shape for p in estimator_result(iqp_client, estimated.id)] == [(), (2, 3)]
    assert sampler_result(iqp_client, in_session.id)[0].data.meas.num_shots == 5
    assert in_session.session_id == est_in_session.session_id == session.id


async def test_the_async_twins_take_tuples(iqp_async_client: AsyncIQPClient, iqp_clock: ManualClock) -> None:
    sampled = await async_submit_sampler(iqp_async_client, "fake_eagle", [(RY, {"theta": [0.1, 0.2]}, 30)])
    estimated = await iqp_async_client.primitives.submit_estimator("fake_eagle", [(BELL, "ZZ")])
    async with open_session(iqp_async_client, "fake_eagle") as session:
        in_session = await session.async_run_estimator([(RY, ["ZZ", "XX"], [[0.5]])])
    direct = await async_submit_estimator(iqp_async_client, "fake_eagle", [(BELL, "XX", None, 0.1)])
    iqp_clock.advance(60)
    assert (await async_sampler_result(iqp_async_client, sampled.id))[0].data.meas.shape == (2,)
    assert (await async_estimator_result(iqp_async_client, estimated.id))[0].data.shape == ()
    assert (await async_estimator_result(iqp_async_client, in_session.id))[0].data.shape == (2,)
    assert (await async_estimator_result(iqp_async_client, direct.id))[0].data.shape == ()
