"""Run with qiskit-ibm-runtime's interpreter: time RuntimeDecoder + get_counts() on every PUB.

    python qiskit_primitives.py ENCODED.json NUMBER REPEAT

Prints {"best": s, "median": s, "distinct": n} as JSON: seconds per decode + counts of
the whole result (best and median round), and the distinct outcomes summed over PUBs.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from qiskit_ibm_runtime import RuntimeDecoder


def decode_and_count(text: str) -> int:
    result = json.loads(text, cls=RuntimeDecoder)
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
