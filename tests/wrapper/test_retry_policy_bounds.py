"""RetryPolicy accepts exactly its documented ranges, and says which field is out of range."""

from __future__ import annotations

from typing import Any

import pytest

from iqp_wrapper import ConfigError, RetryPolicy
from iqp_wrapper.errors import ConfigSource

TIMES = ("max_elapsed", "backoff", "max_backoff", "max_retry_after")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 1},
        {"max_attempts": 2},
        *({name: 0.0} for name in TIMES),
        {"jitter": 0.0},
        {"jitter": 1.0},
    ],
)
def test_the_edges_of_each_range_are_accepted(kwargs: dict[str, Any]) -> None:
    policy = RetryPolicy(**kwargs)
    for name, value in kwargs.items():
        assert getattr(policy, name) == value


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_attempts": 0}, "RetryPolicy.max_attempts should be at least 1 (1: no retries)."),
        ({"max_attempts": -3}, "RetryPolicy.max_attempts should be at least 1 (1: no retries)."),
        *(({name: -0.001}, "RetryPolicy times should not be negative.") for name in TIMES),
        ({"jitter": -0.001}, "RetryPolicy.jitter should be between 0 and 1."),
        ({"jitter": 1.001}, "RetryPolicy.jitter should be between 0 and 1."),
    ],
)
def test_values_out_of_range_are_refused_by_name(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        RetryPolicy(**kwargs)
    assert str(caught.value) == message
    # What a caller reads to tell the problem apart, without parsing the message.
    error = caught.value
    assert (error.setting, error.source, error.problem) == ("retries", ConfigSource.ARGUMENT, "out_of_range")


def test_the_defaults_are_the_documented_ones() -> None:
    # README, configuration table: 4 attempts within 60 s; backoff 0.5 s doubling to 8 s with
    # 25% jitter; Retry-After honoured up to 60 s.
    assert RetryPolicy() == RetryPolicy(
        max_attempts=4, max_elapsed=60.0, backoff=0.5, max_backoff=8.0, jitter=0.25, max_retry_after=60.0
    )


@pytest.mark.parametrize(
    ("retry", "rnd", "wait"), [(1, 0.0, 0.5), (2, 0.0, 1.0), (3, 0.5, 1.75), (9, 0.0, 8.0)]
)
def test_backoff_doubles_is_capped_and_jittered(retry: int, rnd: float, wait: float) -> None:
    assert RetryPolicy().backoff_for(retry, rnd) == pytest.approx(wait)
