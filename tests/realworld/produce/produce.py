"""Write the qiskit-ibm-runtime half of the real-world corpus (tests/realworld/qiskit/).

Runs inside a virtual environment that has qiskit-ibm-runtime (see run.py, which creates one
with the pinned version). Everything written here comes out of qiskit-ibm-runtime's and
qiskit's own classes, never out of iqp-wrapper:

- requests/: the bodies qiskit-ibm-runtime sends to ``POST /v1/jobs`` and ``POST /v1/sessions``
  for SamplerV2 and EstimatorV2 and for the executor-based Sampler and Estimator (program
  "executor", schema v2.0), alone, in a Session and in a Batch; for NoiseLearnerV3 (program
  "noise-learner", params v0.3) and the executor-based NoiseLearnerV3. They are captured on the
  wire by a loopback recorder (recorder.py) that qiskit-ibm-runtime is pointed at through its
  own options (the IAM_URL variable, ``url_resolver=``, QISKIT_FUNCTIONS_EXPERIMENTAL=1).
- results/: ``RuntimeEncoder`` output of SamplerV2 and EstimatorV2 ``PrimitiveResult``s
  (``BitArray`` and ``ndarray`` data), computed by qiskit's seeded statevector primitives and
  checked to decode back with ``RuntimeDecoder``.
- backends/: configuration and properties snapshots bundled in
  ``qiskit_ibm_runtime.fake_provider``, copied unchanged (a few small backends only).
- VERSIONS.json: the versions that produced all of the above.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from recorder import Recorder  # noqa: E402

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/recorded0account:recorded-instance::"
# name -> whether to copy its properties too (the big devices' properties are 0.4-0.6 MB each)
SNAPSHOTS = {"manila": True, "armonk": True, "aachen": False}
SEED = 1234


def write(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1, sort_keys=False) + "\n")
    print(f"wrote {path.relative_to(OUT.parent.parent.parent)}")


def copy_snapshots(out: Path) -> dict[str, dict[str, Any]]:
    import qiskit_ibm_runtime.fake_provider as fake_provider

    root = Path(fake_provider.__file__).parent / "backends"
    served: dict[str, dict[str, Any]] = {}
    for short, with_properties in SNAPSHOTS.items():
        conf_file = root / short / f"conf_{short}.json"
        shutil.copyfile(conf_file, out / conf_file.name)
        print(f"copied {conf_file.name}")
        configuration = json.loads(conf_file.read_text())
        properties = None
        if with_properties:
            props_file = root / short / f"props_{short}.json"
            shutil.copyfile(props_file, out / props_file.name)
            print(f"copied {props_file.name}")
            properties = json.loads(props_file.read_text())
        served[configuration["backend_name"]] = {
            "configuration": configuration,
            "properties": properties,
        }
    return served


def circuits() -> dict[str, Any]:
    from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister
    from qiskit.circuit import Parameter

    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    bell.measure_all()  # one register named "meas"

    theta = Parameter("theta")
    q = QuantumRegister(3, "q")
    alpha = ClassicalRegister(1, "alpha")
    beta = ClassicalRegister(2, "beta")
    two_registers = QuantumCircuit(q, alpha, beta)
    two_registers.ry(theta, 0)
    two_registers.cx(0, 1)
    two_registers.x(2)
    two_registers.measure(0, alpha[0])
    two_registers.measure([1, 2], beta)

    wide = QuantumCircuit(QuantumRegister(10, "q"), ClassicalRegister(10, "c"))
    wide.h(range(10))  # ten bits: two bytes per shot in the BitArray
    wide.measure(range(10), range(10))

    unmeasured = QuantumCircuit(2)
    unmeasured.ry(theta, 0)
    unmeasured.cx(0, 1)
    return {"bell": bell, "two_registers": two_registers, "wide": wide, "estimator": unmeasured}


def learning_layers(backend: Any) -> list[Any]:
    """The distinct twirled boxes of a small circuit: one two-qubit gate layer, one measurement."""
    from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister
    from samplomatic import Twirl
    from samplomatic.utils import find_unique_box_instructions

    # NoiseLearnerV3 takes only the backend's physical register, named "q".
    q = QuantumRegister(backend.num_qubits, "q")
    c = ClassicalRegister(2, "c")
    circuit = QuantumCircuit(q, c)
    with circuit.box([Twirl()]):
        circuit.cx(0, 1)
    with circuit.box([Twirl()]):
        circuit.measure(0, c[0])
        circuit.measure(1, c[1])
    return list(find_unique_box_instructions(circuit.data))


def capture_requests(out: Path, served: dict[str, dict[str, Any]]) -> None:
    import numpy as np
    from qiskit.quantum_info import SparsePauliOp
    from qiskit.transpiler import generate_preset_pass_manager
    from qiskit_ibm_runtime import Batch, EstimatorV2, QiskitRuntimeService, SamplerV2, Session

    with Recorder(served) as recorder:
        os.environ["IAM_URL"] = recorder.url
        os.environ["QISKIT_FUNCTIONS_EXPERIMENTAL"] = "1"
        service = QiskitRuntimeService(
            channel="ibm_quantum_platform",
            token="recorder-api-key",
            instance=CRN,
            url=recorder.url,
            url_resolver=lambda url, instance, private, channel: f"{url}/api/v1",
        )
        backend = service.backend("ibmq_manila")
        pm = generate_preset_pass_manager(optimization_level=1, backend=backend, seed_transpiler=SEED)
        c = circuits()
        bell, two, est = pm.run(c["bell"]), pm.run(c["two_registers"]), pm.run(c["estimator"])
        zz = SparsePauliOp.from_list([("ZZ", 1.0), ("XI", 0.5)]).apply_layout(est.layout)
        zi = SparsePauliOp("ZI").apply_layout(est.layout)
        thetas = np.linspace(0, np.pi, 3)

        sampler = SamplerV2(mode=backend)
        sampler.run([(bell,), (two, thetas.reshape(3, 1), 500)], shots=1000)
        estimator = EstimatorV2(mode=backend)
        estimator.options.default_precision = 0.02
        estimator.run([(est, [[zz], [zi]], thetas.reshape(1, 3, 1))])

        with Session(backend=backend, max_time=600) as session:
            SamplerV2(mode=session).run([bell], shots=1000)
        with Batch(backend=backend) as batch:
            EstimatorV2(mode=batch).run([(est, zz, [[0.3]], 0.05)])

        # 0.50 deprecates SamplerV2/EstimatorV2 for client-side primitives that submit to the
        # "executor" program: record those too, they are where qiskit-ibm-runtime is heading.
        from qiskit_ibm_runtime.executor_estimator import Estimator as ExecutorEstimator
        from qiskit_ibm_runtime.executor_sampler import Sampler as ExecutorSampler

        ExecutorSampler(mode=backend).run([bell], shots=100)
        ExecutorEstimator(mode=backend).run([(est, zz, [[0.3]])])
        with Session(backend=backend, max_time=600) as session:
            ExecutorSampler(mode=session).run([bell, (two, thetas.reshape(3, 1))], shots=300)
            ExecutorEstimator(mode=session).run([(est, [[zz], [zi]], thetas.reshape(1, 3, 1))])
        with Batch(backend=backend) as batch:
            ExecutorSampler(mode=batch).run([bell], shots=1000)
            ExecutorEstimator(mode=batch).run([(est, zz, [[0.3]], 0.05)])

        # NoiseLearnerV3: the server-side program "noise-learner" (params v0.3) and the
        # client-side one that submits to "executor" with semantic_role noise_learner_v3.
        from qiskit_ibm_runtime.executor_noise_learner import NoiseLearnerV3 as ExecutorNoiseLearnerV3
        from qiskit_ibm_runtime.noise_learner_v3 import NoiseLearnerV3

        layers = learning_layers(backend)
        NoiseLearnerV3(mode=backend).run(layers)
        ExecutorNoiseLearnerV3(mode=backend).run(layers)

        jobs = recorder.bodies("POST", "/api/v1/jobs")
        sessions = recorder.bodies("POST", "/api/v1/sessions")
    names = [
        "sampler_v2_job",
        "estimator_v2_job",
        "sampler_v2_in_session",
        "estimator_v2_in_batch",
        "executor_sampler_job",
        "executor_estimator_job",
        "executor_sampler_in_session",
        "executor_estimator_in_session",
        "executor_sampler_in_batch",
        "executor_estimator_in_batch",
        "noise_learner_v3_job",
        "executor_noise_learner_v3_job",
    ]
    session_names = ["session", "batch", "executor_session", "executor_batch"]
    if len(jobs) != len(names) or len(sessions) != len(session_names):
        recorded = f"recorded {len(jobs)} and {len(sessions)}"
        raise SystemExit(f"expected {len(names)} jobs and {len(session_names)} sessions, {recorded}")
    for name, body in zip(names, jobs, strict=True):
        write(out / f"post_jobs_{name}.json", body)
    for name, body in zip(session_names, sessions, strict=True):
        write(out / f"post_sessions_{name}.json", body)
    write(out / "requests_seen.json", [f"{r['method']} {r['path']}" for r in recorder.requests])


def encode(result: Any) -> Any:
    from qiskit_ibm_runtime import RuntimeDecoder, RuntimeEncoder

    text = json.dumps(result, cls=RuntimeEncoder)
    decoded = json.loads(text, cls=RuntimeDecoder)  # qiskit-ibm-runtime must read its own output
    if type(decoded).__name__ != "PrimitiveResult" or len(decoded) != len(result):
        raise SystemExit("RuntimeDecoder did not read back a PrimitiveResult")
    return json.loads(text)


def execution_metadata(pub_shapes: list[tuple[tuple[int, ...], int]]) -> dict[str, Any]:
    from datetime import datetime, timezone

    from qiskit_ibm_runtime.execution_span import DoubleSliceSpan, ExecutionSpans

    start = datetime(2026, 1, 5, 10, 0, 0, tzinfo=timezone.utc)
    stop = datetime(2026, 1, 5, 10, 0, 7, tzinfo=timezone.utc)
    slices = {
        index: ((*shape, shots), slice(0, math.prod(shape)), slice(0, shots))
        for index, (shape, shots) in enumerate(pub_shapes)
    }
    return {
        "execution": {"execution_spans": ExecutionSpans([DoubleSliceSpan(start, stop, slices)])},
        "version": 2,
    }


def produce_results(out: Path) -> None:
    import numpy as np
    from qiskit.primitives import (
        PrimitiveResult,
        PubResult,
        SamplerPubResult,
        StatevectorEstimator,
        StatevectorSampler,
    )
    from qiskit.primitives.containers import DataBin
    from qiskit.quantum_info import SparsePauliOp

    c = circuits()
    thetas = np.linspace(0, np.pi, 3)
    sampled = (
        StatevectorSampler(seed=SEED)
        .run(
            [(c["bell"], None, 1000), (c["two_registers"], thetas.reshape(3, 1), 500), (c["wide"], None, 16)]
        )
        .result()
    )
    sampler_result = PrimitiveResult(
        [SamplerPubResult(p.data, {"circuit_metadata": {}}) for p in sampled],
        metadata=execution_metadata([((), 1000), ((3,), 500), ((), 16)]),
    )
    write(out / "sampler_v2_primitive_result.json", encode(sampler_result))

    zz = SparsePauliOp.from_list([("ZZ", 1.0), ("XI", 0.5)])
    zi = SparsePauliOp("ZI")
    estimated = (
        StatevectorEstimator(seed=SEED, default_precision=0.02)
        .run([(c["estimator"], [[zz], [zi]], thetas.reshape(1, 3, 1)), (c["estimator"], zz, [0.3])])
        .result()
    )
    pubs = []
    for pub in estimated:
        evs = np.asarray(pub.data.evs)
        stds = np.asarray(pub.data.stds)
        ese = np.full(evs.shape, 0.0123)
        data = DataBin(evs=evs, stds=stds, ensemble_standard_error=ese, shape=evs.shape)
        metadata = {
            "shots": 2560,
            "target_precision": 0.02,
            "circuit_metadata": {},
            "resilience": {},
            "num_randomizations": 32,
        }
        pubs.append(PubResult(data, metadata))
    estimator_result = PrimitiveResult(
        pubs,
        metadata={
            "dynamical_decoupling": {"enable": True},
            "twirling": {"enable_gates": False},
            "resilience": {"measure_mitigation": True},
            "version": 2,
        },
    )
    write(out / "estimator_v2_primitive_result.json", encode(estimator_result))


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {
        "qiskit-ibm-runtime": version("qiskit-ibm-runtime"),
        "qiskit": version("qiskit"),
        "numpy": version("numpy"),
        "samplomatic": version("samplomatic"),
        "qiskit-noise-learning": version("qiskit-noise-learning"),
        "python": platform.python_version(),
        "produced_by": "tests/realworld/produce/produce.py",
    }


OUT = HERE.parent / "qiskit"

if __name__ == "__main__":
    warnings.simplefilter("ignore", DeprecationWarning)  # SamplerV2/EstimatorV2 are deprecated in 0.50
    for sub in ("requests", "results", "backends"):
        (OUT / sub).mkdir(parents=True, exist_ok=True)
    served = copy_snapshots(OUT / "backends")
    capture_requests(OUT / "requests", served)
    produce_results(OUT / "results")
    write(OUT / "VERSIONS.json", versions())
