#!/usr/bin/env python3
"""Regenerate ``generated/iqp_api`` from an OpenAPI document of the Qiskit Runtime API.

    python scripts/generate.py                  # from openapi/qiskit-runtime-api.yaml
    python scripts/generate.py --spec URL|PATH  # from any copy of the upstream document
    python scripts/generate.py --check          # exit 1 if generated/ is not this output
    python scripts/generate.py --spec A --spec B  # per-tag fragments, merged
    python scripts/generate.py --report FILE    # the API change report as markdown and JSON
    python scripts/generate.py --allow-breaking # swap even if iqp_wrapper/ loses something

Before swapping, the new package must keep every name iqp_wrapper/ imports (pinned in
openapi/overlay.yaml) and pass `mypy --strict iqp_wrapper` against it (docs/regeneration.md).

Exit codes: 0 done, 1 output differs (--check), the generator was not clean, or the new
package breaks iqp_wrapper/; 2 bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from codegen.cli import main

if __name__ == "__main__":
    sys.exit(main())
