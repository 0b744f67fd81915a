"""Peak memory of reading a compressed body under the size cap.

    .venv/bin/python -m benchmarks.body_cap [--inflated 1000000000] [--cap 1073741824]

In a fresh process (so that ru_maxrss is this read's alone): a gzip body that inflates to
``--inflated`` bytes of JSON-ish zeros is streamed through the client's body reader
(``iqp_wrapper.transport._bodies.read``) under a cap of ``--cap`` bytes, as the transport reads an
answer. Prints the body size, the peak RSS growth and its ratio to the body. Run with
another checkout's interpreter (its ``iqp_wrapper`` first on the path) for a "before".
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

_CHILD = r"""
import json, resource, sys, zlib
import httpx
from iqp_wrapper.transport import _bodies

inflated, cap = int(sys.argv[1]), int(sys.argv[2])
compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
block = b"0" * (1 << 20)
parts = [compressor.compress(block) for _ in range(inflated // len(block))]
parts.append(compressor.compress(b"0" * (inflated % len(block))))
parts.append(compressor.flush())
blob = b"".join(parts)
del parts

def stream():
    for start in range(0, len(blob), 65536):
        yield blob[start:start + 65536]

request = httpx.Request("GET", "http://127.0.0.1/v1/jobs/x/results")
response = httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=stream(), request=request)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    body = len(_bodies.read(response, request, cap).content)
except Exception as exc:  # the cap: ResponseTooLargeError (any version)
    body, refused = None, type(exc).__name__
else:
    refused = None
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
said = {"body": body, "refused": refused, "compressed": len(blob)}
print(json.dumps({**said, "before_kib": before, "after_kib": after}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inflated", type=int, default=1_000_000_000)
    parser.add_argument("--cap", type=int, default=1 << 30)
    options = parser.parse_args()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(options.inflated), str(options.cap)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    grown = (result["after_kib"] - result["before_kib"]) * 1024  # Linux: ru_maxrss in KiB
    body = result["body"]
    outcome = f"{result['refused']} at the cap" if body is None else f"read, {grown / body:.2f}x the body"
    print(
        f"gzip body of {result['compressed'] / 1e6:.1f} MB inflating to {options.inflated / 1e6:.0f} MB "
        f"(cap {options.cap / 1e6:.0f} MB): peak RSS +{grown / 1e6:.0f} MB, "
        f"{grown / options.cap:.2f}x the cap; {outcome}"
    )


if __name__ == "__main__":
    main()
