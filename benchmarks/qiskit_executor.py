"""Run with qiskit-ibm-runtime's interpreter: time its own post-processing of an executor result.

    python qiskit_executor.py RESULT.json NUMBER REPEAT

The decoders are those ``RuntimeJobV2.result()`` chains for program ``executor``
(``DEFAULT_DECODERS["executor"]``: the v2.0 result model, then the executor Sampler's
post-processor), applied to the result text as the job would, then ``get_counts()`` of
every PUB. Prints {"best": s, "median": s, "distinct": n} as JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from functools import reduce

from qiskit_ibm_runtime.decoders.defaults import DEFAULT_DECODERS


def decode_and_count(text: str) -> int:
    result = reduce(
        lambda value, decoder: decoder.decode(value) if decoder.is_applicable(value) else value,
        DEFAULT_DECODERS["executor"],
        text,
    )
    return sum(len(pub.data.meas.get_counts()) for pub in result)


def main() -> None:
    path, number, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path, encoding="utf-8") as source:
        text = source.read()
    distinct = decode_and_count(text)
    rounds = []
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in range(number):
            decode_and_count(text)
        rounds.append((time.perf_counter() - started) / number)
    print(json.dumps({"best": min(rounds), "median": statistics.median(rounds), "distinct": distinct}))


if __name__ == "__main__":
    main()
