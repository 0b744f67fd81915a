#!/usr/bin/env python3
"""Regenerate ``generated/iqp_api`` from an OpenAPI document of the Qiskit Runtime API.

    python scripts/generate.py                  # from openapi/qiskit-runtime-api.yaml
    python scripts/generate.py --spec URL|PATH  # from any copy of the upstream document
    python scripts/generate.py --check          # exit 1 if generated/ is not this output

Exit codes: 0 done, 1 output differs (--check) or the generator was not clean, 2 bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from codegen.cli import main

if __name__ == "__main__":
    sys.exit(main())
