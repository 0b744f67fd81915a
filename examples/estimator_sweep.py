"""Estimate <ZZ> and <XX> on Ry(theta)-CX over a sweep of theta, in one job."""

import math

from iqp_wrapper import connect
from iqp_wrapper.primitives import EstimatorPub, estimator_result, least_busy, submit_estimator

CIRCUIT = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
ry(theta) $0;
cx $0, $1;
"""
THETAS = [i * math.pi / 4 for i in range(5)]
OBSERVABLES = ["ZZ", "XX"]

# Observables of shape (2, 1) broadcast against 5 parameter sets: results of shape (2, 5).
pub = EstimatorPub(CIRCUIT, [[o] for o in OBSERVABLES], {"theta": THETAS}, precision=0.02)

with connect() as client:
    job = submit_estimator(client, least_busy(client, min_qubits=2).name, [pub])
    data = estimator_result(client, job.id, wait=True)[0].data
    print(f"job {job.id}: shape {data.shape}")
    for row, name in enumerate(OBSERVABLES):
        cells = [
            f"{data.item('evs', (row, k)):+.3f}±{data.item('stds', (row, k)):.3f}" for k in range(len(THETAS))
        ]
        print(name, " ".join(cells))
