"""Drive a Qiskit Runtime service with qiskit-ibm-runtime, step by step; print a JSON report.

    <python with qiskit-ibm-runtime> drive.py API_URL IAM_URL API_KEY CRN

Run by tests/qiskit/test_conformance.py in qiskit-ibm-runtime's own virtual environment
(stdlib, qiskit and qiskit-ibm-runtime only; never iqp-wrapper). Each step records what it
saw or the error it hit, so one failure does not hide the others. The settings are the
ones a user needs to point qiskit-ibm-runtime at a loopback service: the IAM_URL variable,
``url_resolver=`` and QISKIT_FUNCTIONS_EXPERIMENTAL=1 (no IBM Cloud catalog lookup).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
import warnings
from typing import Any

API_URL, IAM_URL, API_KEY, CRN = sys.argv[1:5]
os.environ["IAM_URL"] = IAM_URL
os.environ["QISKIT_FUNCTIONS_EXPERIMENTAL"] = "1"
warnings.simplefilter("ignore")

report: dict[str, Any] = {}
state: dict[str, Any] = {}


def step(name: str):  # type: ignore[no-untyped-def]
    def run(function):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            report[name] = {"ok": True, "seen": function()}
        except Exception as error:  # a step's failure is data for the test
            lines = traceback.format_exception_only(type(error), error)
            report[name] = {"ok": False, "error": "".join(lines).strip()[-1500:]}
        report[name]["seconds"] = round(time.perf_counter() - started, 3)
        return function

    return run


@step("service")
def _service() -> Any:
    from qiskit_ibm_runtime import QiskitRuntimeService

    state["service"] = QiskitRuntimeService(
        channel="ibm_quantum_platform",
        token=API_KEY,
        instance=CRN,
        url=API_URL,
        # The URL as given: the default resolver would turn it into IBM Cloud's regional host.
        url_resolver=lambda url, instance, private_endpoint, channel: f"{url}/v1",
    )
    return "created"


@step("backends")
def _backends() -> Any:
    return sorted(b.name for b in state["service"].backends())


@step("least_busy")
def _least_busy() -> Any:
    state["backend"] = state["service"].least_busy(operational=True, simulator=False)
    return state["backend"].name


@step("transpile")
def _transpile() -> Any:
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    backend = state["backend"]
    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    bell.measure_all()
    target = backend.target
    state["pm"] = generate_preset_pass_manager(optimization_level=1, backend=backend, seed_transpiler=7)
    state["bell"] = state["pm"].run(bell)
    return {"num_qubits": target.num_qubits, "ops": sorted(dict(state["bell"].count_ops()))}


@step("sampler")
def _sampler() -> Any:
    from qiskit_ibm_runtime import SamplerV2

    job = SamplerV2(mode=state["backend"]).run([state["bell"]], shots=1000)
    state["sampler_job"] = job
    counts = job.result()[0].data.meas.get_counts()
    return {"job_id": job.job_id(), "counts": counts, "total": sum(counts.values())}


@step("estimator")
def _estimator() -> Any:
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_ibm_runtime import EstimatorV2

    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    isa = state["pm"].run(circuit)
    observables = [[SparsePauliOp(label).apply_layout(isa.layout)] for label in ("ZZ", "XX")]
    result = EstimatorV2(mode=state["backend"]).run([(isa, observables)]).result()
    evs = result[0].data.evs
    return {"shape": list(evs.shape), "evs": [float(x) for x in evs.ravel()]}


@step("session")
def _session() -> Any:
    from qiskit_ibm_runtime import SamplerV2, Session

    with Session(backend=state["backend"]) as session:
        job = SamplerV2(mode=session).run([state["bell"]], shots=200)
        counts = job.result()[0].data.meas.get_counts()
        total = sum(counts.values())
        return {"session_id": session.session_id, "job_session": job.session_id, "total": total}


@step("batch")
def _batch() -> Any:
    from qiskit_ibm_runtime import Batch, SamplerV2

    with Batch(backend=state["backend"]) as batch:
        jobs = [SamplerV2(mode=batch).run([state["bell"]], shots=shots) for shots in (100, 300)]
        totals = [sum(job.result()[0].data.meas.get_counts().values()) for job in jobs]
        return {"batch_id": batch.session_id, "totals": totals}


@step("jobs")
def _jobs() -> Any:
    return [job.job_id() for job in state["service"].jobs(limit=20)]


@step("cancel")
def _cancel() -> Any:
    from qiskit_ibm_runtime import SamplerV2

    job = SamplerV2(mode=state["backend"]).run([state["bell"]], shots=100)
    job.cancel()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and str(job.status()) not in ("CANCELLED", "JobStatus.CANCELLED"):
        time.sleep(0.1)
    return {"job_id": job.job_id(), "status": str(job.status())}


def _executor_counts(job: Any) -> dict[str, Any]:
    counts = job.result()[0].data.meas.get_counts()
    return {"job_id": job.job_id(), "counts": counts, "total": sum(counts.values())}


@step("executor_sampler")
def _executor_sampler() -> Any:
    from qiskit_ibm_runtime.executor_sampler import Sampler

    return _executor_counts(Sampler(mode=state["backend"]).run([state["bell"]], shots=1000))


@step("executor_sampler_session")
def _executor_sampler_session() -> Any:
    from qiskit_ibm_runtime import Session
    from qiskit_ibm_runtime.executor_sampler import Sampler

    with Session(backend=state["backend"]) as session:
        job = Sampler(mode=session).run([state["bell"]], shots=1000)
        return {**_executor_counts(job), "session_id": session.session_id, "job_session": job.session_id}


@step("executor_sampler_batch")
def _executor_sampler_batch() -> Any:
    from qiskit_ibm_runtime import Batch
    from qiskit_ibm_runtime.executor_sampler import Sampler

    with Batch(backend=state["backend"]) as batch:
        jobs = [Sampler(mode=batch).run([state["bell"]], shots=shots) for shots in (1000, 300)]
        return {"batch_id": batch.session_id, "results": [_executor_counts(job) for job in jobs]}


def _bell_observables() -> tuple[Any, list[Any]]:
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp

    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    isa = state["pm"].run(circuit)
    return isa, [SparsePauliOp(label).apply_layout(isa.layout) for label in ("ZZ", "XX", "YY", "ZI")]


def _executor_evs(mode: Any) -> dict[str, Any]:
    from qiskit_ibm_runtime.executor_estimator import Estimator

    isa, observables = _bell_observables()
    job = Estimator(mode=mode).run([(isa, observables)])
    evs = job.result()[0].data.evs
    return {"job_id": job.job_id(), "shape": list(evs.shape), "evs": [float(x) for x in evs.ravel()]}


@step("executor_estimator")
def _executor_estimator() -> Any:
    return _executor_evs(state["backend"])


@step("executor_estimator_session")
def _executor_estimator_session() -> Any:
    from qiskit_ibm_runtime import Session

    with Session(backend=state["backend"]) as session:
        return {**_executor_evs(session), "session_id": session.session_id}


@step("executor_estimator_batch")
def _executor_estimator_batch() -> Any:
    from qiskit_ibm_runtime import Batch

    with Batch(backend=state["backend"]) as batch:
        return {**_executor_evs(batch), "batch_id": batch.session_id}


@step("noise_learner_v3")
def _noise_learner_v3() -> Any:
    from qiskit import QuantumCircuit
    from qiskit_ibm_runtime.noise_learner_v3 import NoiseLearnerV3
    from samplomatic import Twirl

    backend = state["backend"]
    circuit = QuantumCircuit(backend.num_qubits)
    with circuit.box([Twirl()]):
        circuit.ecr(0, 1) if "ecr" in backend.target.operation_names else circuit.cz(0, 1)
    with circuit.box([Twirl()]):
        circuit.measure_all()
    job = NoiseLearnerV3(mode=backend).run(circuit.data)
    results = job.result()
    return {
        "job_id": job.job_id(),
        "protocols": [r.metadata["learning_protocol"] for r in results],
        "generators": [len(r) for r in results],
        "rates": [float(x) for r in results for x in r.to_pauli_lindblad_map().rates],
    }


print(json.dumps(report))
