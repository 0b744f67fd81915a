"""Run two circuits as one executor program (a Bell pair, and a rotation swept over three
angles) and print what each measured (IQP_API_TOKEN and IQP_SERVICE_CRN set)."""

from pathlib import Path

from iqp_wrapper import connect
from iqp_wrapper.primitives import CircuitItem, QuantumProgram

BELL = (Path(__file__).parent / "bell.qasm").read_text()
ROTATION = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
bit[1] c;
ry(theta) $0;
c[0] = measure $0;
"""

program = QuantumProgram([BELL, CircuitItem(ROTATION, {"theta": [0.0, 1.5708, 3.1416]})], shots=500)

with connect() as client:
    job = client.primitives.submit_executor(client.primitives.least_busy().name, program)
    result = client.primitives.executor_result(job.id, wait=True)

counts = result.sampler_result()  # the classified registers, as a Sampler's
for index, item in enumerate(result.items):
    registers = counts[index].data
    for name, bits in registers.items():
        print(f"item {index} register {name}: {dict(sorted(bits.get_counts().items()))}")
    if not registers:  # a result without bits: show what it holds
        for name, tensor in item.results.items():
            print(f"item {index} output {name}: {tensor.dtype} of shape {tensor.shape}")
