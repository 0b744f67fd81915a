"""What goes wrong, and how it is reported: every error is an IQPError subclass with fields."""

from iqp_wrapper import IQPError, JobFailedError, NotFoundError, connect
from iqp_wrapper.primitives import (
    EstimatorPub,
    PubError,
    SamplerPub,
    least_busy,
    sampler_result,
    submit_sampler,
)

GOOD = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[1] c;\nh $0;\nc[0] = measure $0;\n'
SWEEP = 'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] theta;\nry(theta) $0;\n'

# 1. Bad input is refused before any request, naming the PUB and the field.
try:
    EstimatorPub(SWEEP, ["Z", "X"], {"theta": [0.1, 0.2, 0.3]})  # shapes (2,) and (3,)
except PubError as error:
    print(f"PubError ({error.field}): {error}")
try:
    SamplerPub("h $0;")
except PubError as error:
    print(f"PubError ({error.field}): {error}")

with connect() as client:
    backend = least_busy(client).name
    # 2. The service's answers become typed errors carrying the status code.
    try:
        submit_sampler(client, "no_such_backend", [GOOD])
    except NotFoundError as error:
        print(f"NotFoundError {error.status_code}: {error}")
    except IQPError as error:
        print(f"{type(error).__name__}: {error}")
    # 3. A job that fails raises when you wait for it (JobFailedError carries the job).
    job = submit_sampler(client, backend, [GOOD], shots=10)
    try:
        print(sampler_result(client, job.id, wait=True)[0].data.c.get_counts())
    except JobFailedError as error:
        print(f"job {error.job_id} failed: {error.reason}")
