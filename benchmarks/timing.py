"""Timing helpers: interleaved rounds, best-of-N and medians, percentiles.

The machine is shared and noisy, so each variant is timed in several rounds, the rounds
of all variants interleaved (a slow spell then hurts every variant alike), and the
per-call time reported as the best round (min-of-N) with the median round beside it.
The garbage collector stays on: collecting what a parse allocates is part of its cost.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Seconds per call: the best round and the median round."""

    best: float
    median: float

    def ms(self) -> str:
        return f"{self.best * 1e3:.3f} ms (median {self.median * 1e3:.3f})"

    def us(self) -> str:
        return f"{self.best * 1e6:.1f} µs (median {self.median * 1e6:.1f})"


def _summary(rounds: Sequence[float]) -> Timing:
    return Timing(best=min(rounds), median=statistics.median(rounds))


def compare(variants: Mapping[str, Callable[[], object]], *, number: int, repeat: int) -> dict[str, Timing]:
    """Per-call time of each variant: ``repeat`` interleaved rounds of ``number`` calls."""
    for call in variants.values():  # warm up: first calls pay for imports, pools, tokens
        for _ in range(max(3, number // 10)):
            call()
    rounds: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(repeat):
        for name, call in variants.items():
            started = time.perf_counter()
            for _ in range(number):
                call()
            rounds[name].append((time.perf_counter() - started) / number)
    return {name: _summary(values) for name, values in rounds.items()}


async def compare_async(
    variants: Mapping[str, Callable[[], Awaitable[object]]], *, number: int, repeat: int
) -> dict[str, Timing]:
    """As ``compare``, for coroutine functions, awaited one after another on this loop."""
    for call in variants.values():
        for _ in range(max(3, number // 10)):
            await call()
    rounds: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(repeat):
        for name, call in variants.items():
            started = time.perf_counter()
            for _ in range(number):
                await call()
            rounds[name].append((time.perf_counter() - started) / number)
    return {name: _summary(values) for name, values in rounds.items()}


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` percentile (nearest rank) of already sorted values."""
    if not sorted_values:
        raise ValueError("no values")
    rank = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values)) - 1))
    return sorted_values[rank]
