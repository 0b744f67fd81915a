"""PUBs written as qiskit writes them: tuples, no SamplerPub/EstimatorPub needed.

Sampler ``(circuit[, parameter_values[, shots]])``, Estimator ``(circuit, observables[,
parameter_values[, precision]])``; code ported from qiskit (or from IBM's REST guide, whose
PUBs are the same as lists) keeps its PUBs as they are.
"""

from iqp_wrapper import connect
from iqp_wrapper.primitives import PubError

# The circuit of IBM's "Primitives with REST API" guide, and a one-parameter Bell rotation.
GUIDE = """OPENQASM 3;
include "stdgates.inc";
qreg q[2];
creg c[2];
x q[0];
cx q[0], q[1];
c[0] = measure q[0];
c[1] = measure q[1];
"""
RY = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
bit[2] meas;
ry(theta) $0;
cx $0, $1;
meas[0] = measure $0;
meas[1] = measure $1;
"""

with connect() as client:
    backend = client.primitives.least_busy(min_qubits=2).name

    sampled = client.primitives.submit_sampler(
        backend, [(GUIDE,), (RY, {"theta": [0.0, 1.5707963267948966]}, 200)], shots=100
    )
    result = client.primitives.sampler_result(sampled.id, wait=True)
    print(f"guide circuit: {result[0].data.c.num_shots} shots, counts {result[0].data.c.get_counts()}")
    sweep = result[1].data.meas
    for point in range(sweep.shape[0]):
        print(f"theta point {point}: {sum(sweep.get_counts((point,)).values())} shots")

    estimated = client.primitives.submit_estimator(
        backend, [(GUIDE, "ZZ"), (RY, [["ZZ"], ["XX"]], {"theta": [0.0, 0.5, 1.0]}, 0.05)]
    )
    values = client.primitives.estimator_result(estimated.id, wait=True)
    print(f"<ZZ> on the guide circuit: {values[0].data.item('evs'):+.3f}")
    print(f"sweep of ZZ and XX: shape {values[1].data.shape}")

    try:
        client.primitives.submit_estimator(backend, [(GUIDE, "ZZ", None, 0.01, "extra")])  # type: ignore[list-item]
    except PubError as error:
        print(f"PubError ({error.field}): {error}")
