"""Sample a Bell pair and print its counts (IQP_API_TOKEN and IQP_SERVICE_CRN set)."""

from pathlib import Path

from iqp_wrapper import connect
from iqp_wrapper.primitives import least_busy, sampler_result, submit_sampler

BELL = (Path(__file__).parent / "bell.qasm").read_text()

with connect() as client:
    job = submit_sampler(client, least_busy(client).name, [BELL], shots=1000)
    print(sampler_result(client, job.id, wait=True)[0].data.meas.get_counts())
