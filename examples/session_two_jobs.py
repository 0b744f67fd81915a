"""Two Sampler jobs in one session; leaving the block lets them finish (nothing is cancelled)."""

from pathlib import Path

from iqp_wrapper import connect
from iqp_wrapper.primitives import least_busy, open_session, sampler_result

BELL = (Path(__file__).parent / "bell.qasm").read_text()

with connect() as client:
    backend = least_busy(client).name
    with open_session(client, backend, max_time=600) as session:
        first = session.run_sampler([BELL], shots=100)
        second = session.run_sampler([BELL], shots=200)
    # The session now accepts no new jobs; both jobs still run to completion.
    for job in (first, second):
        counts = sampler_result(client, job.id, wait=True)[0].data.meas.get_counts()
        print(f"{job.id} in session {session.id}: {counts}")
