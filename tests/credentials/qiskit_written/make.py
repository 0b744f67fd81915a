"""Regenerate qiskit-ibm.json here by running qiskit-ibm-runtime's own save_account.

The file beside this script is data written by qiskit-ibm-runtime 0.51.0 (never by us):
the tests check that our reader reads it and that ``iqp login --qiskit`` writes the same
shape. The key values are obviously fake.

    python tests/credentials/qiskit_written/make.py [--python PATH]

Without ``--python`` a virtualenv with the pinned version is made in a temporary folder.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PINNED = "qiskit-ibm-runtime==0.51.0"
HERE = Path(__file__).resolve().parent
OUT = HERE / "qiskit-ibm.json"
CRN_US = "crn:v1:bluemix:public:quantum-computing:us-east:a/fake-account:fake-instance::"
CRN_EU = "crn:v1:bluemix:public:quantum-computing:eu-de:a/fake-account:fake-instance-2::"

SAVE = f"""
import sys
from qiskit_ibm_runtime import QiskitRuntimeService as Service
path = sys.argv[1]
Service.save_account(token="fake-key-work", instance={CRN_US!r}, channel="ibm_quantum_platform",
                     name="work", set_as_default=True, filename=path)
Service.save_account(token="fake-key-default", instance={CRN_EU!r}, channel="ibm_quantum_platform",
                     filename=path)
Service.save_account(token="fake-key-private", instance={CRN_US!r}, channel="ibm_cloud",
                     name="private", private_endpoint=True, region="us-east", filename=path)
"""


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--python", help="an interpreter that has qiskit-ibm-runtime 0.51.0")
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        python = args.python
        if python is None:
            venv = Path(scratch) / "venv"
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            python = str(venv / "bin" / "python")
            subprocess.run([python, "-m", "pip", "install", "--quiet", PINNED], check=True)
        written = Path(scratch) / "qiskit-ibm.json"
        subprocess.run([python, "-c", SAVE, str(written)], check=True)
        shutil.copyfile(written, OUT)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
