"""Response bodies about backends: the list, status, properties, configuration, defaults.

Calibration figures are made up, but the same for the same backend every time (seeded
by its name), laid out on a simple line of qubits.
"""

from __future__ import annotations

import random
from typing import Any

from iqp_wrapper.testing.fake.catalog import FakeBackend
from iqp_wrapper.testing.fake.clock import iso_millis, iso_seconds

_ONLINE_DATE = 1_672_531_200.0  # 2023-01-01T00:00:00Z
_TWO_QUBIT_GATE = {"Heron": "cz", "Eagle": "ecr"}
_STATUS_WORD = {"online": "active", "paused": "paused", "offline": "offline"}
_QASM = {
    "id": "gate id q { U(0, 0, 0) q; }",
    "rz": "gate rz(theta) q { U(0, 0, theta) q; }",
    "sx": "gate sx q { sdg q; h q; sdg q; }",
    "x": "gate x q { U(pi, 0, pi) q; }",
    "cz": "gate cz q0, q1 { h q1; cx q0, q1; h q1; }",
    "ecr": "gate ecr q0, q1 { rzx(pi/4) q0, q1; x q0; rzx(-pi/4) q0, q1; }",
    "cx": "gate cx c, t { CX c, t; }",
}


def two_qubit_gate(backend: FakeBackend) -> str:
    """The backend's native two-qubit gate."""
    return _TWO_QUBIT_GATE.get(backend.family, "cx")


def basis_gates(backend: FakeBackend) -> list[str]:
    """The backend's basis gates."""
    return [two_qubit_gate(backend), "id", "rz", "sx", "x"]


def pairs(backend: FakeBackend) -> list[list[int]]:
    """The coupling map: a line of qubits, both directions."""
    forward = [[q, q + 1] for q in range(backend.num_qubits - 1)]
    return forward + [[b, a] for a, b in forward]


def device(
    backend: FakeBackend, queue_length: int, *, wait_times: bool, job_seconds: float
) -> dict[str, Any]:
    """One entry of BackendsResponse.devices (API versions 2025-01-01 and later)."""
    status: dict[str, Any] = {"name": backend.status}
    if backend.status_reason:
        status["reason"] = backend.status_reason
    entry: dict[str, Any] = {
        "name": backend.name,
        "status": status,
        "is_simulator": backend.simulator,
        "qubits": backend.num_qubits,
        "queue_length": queue_length,
    }
    if backend.simulator:
        entry.update(clops=None, processor_type=None)
    else:
        entry["clops"] = {
            "type": "virtual" if backend.family == "Heron" else "hardware",
            "value": backend.clops,
        }
        entry["processor_type"] = {"family": backend.family, "revision": backend.revision, "segment": None}
        entry["performance_metrics"] = {
            "two_q_error_best": {
                "value": round(backend.two_q_error * 0.4, 6),
                "gate": two_qubit_gate(backend),
                "qubits": [0, 1],
            },
            "two_q_error_layered": {"value": round(backend.two_q_error * 1.6, 6), "unit": ""},
            "two_q_error_median": {"value": backend.two_q_error, "unit": ""},
            "readout_error_median": {"value": backend.readout_error, "unit": ""},
        }
    if wait_times:
        average = int(queue_length * job_seconds)
        entry["wait_time_seconds"] = {
            "average": average,
            "p50": int(average * 0.8),
            "p95": int(average * 2.5),
        }
    return entry


def status_body(backend: FakeBackend, queue_length: int) -> dict[str, Any]:
    """BackendStatusResponse."""
    return {
        "state": backend.status == "online",
        "status": _STATUS_WORD[backend.status],
        "message": backend.status_reason,
        "length_queue": queue_length,
        "backend_version": backend.version,
    }


def properties_body(backend: FakeBackend, now: float) -> dict[str, Any]:
    """BackendPropertiesResponse: a calibration taken at the start of the current hour."""
    calibrated = float(int(now) // 3600 * 3600)
    date = iso_millis(calibrated)
    rng = random.Random(backend.name)

    def nduv(name: str, unit: str, value: float) -> dict[str, Any]:
        return {"date": date, "name": name, "unit": unit, "value": round(value, 9)}

    qubits = [
        [
            nduv("T1", "us", rng.uniform(120, 320)),
            nduv("T2", "us", rng.uniform(60, 260)),
            nduv("frequency", "GHz", rng.uniform(4.6, 5.2)),
            nduv("readout_error", "", rng.uniform(0.5, 1.5) * backend.readout_error),
            nduv("prob_meas0_prep1", "", rng.uniform(0.5, 2.0) * backend.readout_error),
            nduv("prob_meas1_prep0", "", rng.uniform(0.2, 1.0) * backend.readout_error),
            nduv("readout_length", "ns", 1560.0),
        ]
        for _ in range(backend.num_qubits)
    ]
    gates: list[dict[str, Any]] = []
    for name in ("id", "sx", "x", "rz"):
        for q in range(backend.num_qubits):
            error = 0.0 if name == "rz" else rng.uniform(1e-4, 6e-4)
            length = 0.0 if name == "rz" else 32.0
            gates.append(
                {
                    "gate": name,
                    "name": f"{name}{q}",
                    "qubits": [q],
                    "parameters": [nduv("gate_error", "", error), nduv("gate_length", "ns", length)],
                }
            )
    for a, b in pairs(backend):
        error = rng.uniform(0.5, 1.5) * backend.two_q_error
        gates.append(
            {
                "gate": two_qubit_gate(backend),
                "name": f"{two_qubit_gate(backend)}{a}_{b}",
                "qubits": [a, b],
                "parameters": [nduv("gate_error", "", error), nduv("gate_length", "ns", 68.0)],
            }
        )
    return {
        "backend_name": backend.name,
        "backend_version": backend.version,
        "last_update_date": iso_seconds(calibrated),
        "general": [],
        "qubits": qubits,
        "gates": gates,
    }


def configuration_body(backend: FakeBackend) -> dict[str, Any]:
    """BackendConfigurationResponse: the static description of the backend."""
    n = backend.num_qubits
    single = [[q] for q in range(n)]
    gates: list[dict[str, Any]] = [
        {
            "name": name,
            "parameters": ["theta"] if name == "rz" else [],
            "qasm_def": _QASM[name],
            "coupling_map": pairs(backend) if name == two_qubit_gate(backend) else single,
        }
        for name in basis_gates(backend)
    ]
    # Like the real snapshots, instructions without a definition carry nulls.
    gates.append({"name": "reset", "parameters": None, "qasm_def": None})
    revision = backend.revision if "." in backend.revision else f"{backend.revision}.0"
    return {
        "backend_name": backend.name,
        "backend_version": backend.version,
        "display_name": "".join(part.capitalize() for part in backend.name.split("_")),
        "n_qubits": n,
        "basis_gates": basis_gates(backend),
        "supported_instructions": [*basis_gates(backend), "measure", "delay", "reset", "if_else"],
        "supported_features": ["qasm3"],
        "gates": gates,
        "coupling_map": pairs(backend),
        "coords": [[q // 16, q % 16] for q in range(n)],
        "meas_map": [list(range(n))],
        "local": False,
        "simulator": backend.simulator,
        "conditional": False,
        "open_pulse": False,
        "memory": True,
        "credits_required": True,
        "max_shots": backend.max_shots,
        "max_experiments": 300,
        "dynamic_reprate_enabled": True,
        "default_rep_delay": 250.0,
        "dt": 0.5,
        "dtm": 0.5,
        "meas_levels": [1, 2],
        "rep_delay_range": [0.0, 500.0],
        "online_date": iso_millis(_ONLINE_DATE),
        "processor_type": {"family": backend.family, "revision": revision},
        "clops_h": backend.clops,
        "timing_constraints": {
            "granularity": 16,
            "min_length": 64,
            "pulse_alignment": 16,
            "acquire_alignment": 16,
        },
        # One control channel per directed pair, its scale a complex number as [re, im]
        # (as the real snapshots carry it); Heron devices have none.
        "u_channel_lo": []
        if backend.family == "Heron"
        else [[{"q": t, "scale": [1.0, 0.0]}] for _c, t in pairs(backend)],
    }


def defaults_body(backend: FakeBackend) -> dict[str, Any]:
    """BackendDefaultsResponse (free-form): estimated frequencies, no pulse library."""
    rng = random.Random(f"{backend.name}:defaults")
    return {
        "qubit_freq_est": [round(rng.uniform(4.6, 5.2), 6) for _ in range(backend.num_qubits)],
        "meas_freq_est": [round(rng.uniform(6.9, 7.4), 6) for _ in range(backend.num_qubits)],
        "buffer": 0,
        "pulse_library": [],
        "cmd_def": [],
    }
