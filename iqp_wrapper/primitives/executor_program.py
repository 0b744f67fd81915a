"""Quantum programs for the executor (params schema v2.0), built without qiskit or numpy.

A program is circuits, one per item, sent together as OpenQASM 3 (the schema's
``OpenQasm3DataModel``), and per item the circuit arguments: parameter values as an
``f64`` CompressedTensorModel of shape ``(*sweep, parameters)`` whose last axis follows
the circuit's parameters (sorted by name, as the service loads them); every sweep point
runs ``shots`` times. ``QuantumProgram.to_params`` gives the ``params`` of a job of
program ``executor``, the shape qiskit-ibm-runtime's executor sends.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from iqp_wrapper.primitives.circuits import Circuit, as_circuit
from iqp_wrapper.primitives.errors import ProgramError, PubError
from iqp_wrapper.primitives.json_types import JSON, JSONObject
from iqp_wrapper.primitives.nested import flatten
from iqp_wrapper.primitives.pubs import CircuitLike, ParameterValues, _parameter_values, is_count

SCHEMA_VERSION = "v2.0"
MeasLevel: TypeAlias = Literal["classified", "kerneled", "avg_kerneled", "both"]
_MEAS_LEVELS = ("classified", "kerneled", "avg_kerneled", "both")


@dataclass(frozen=True)
class ExecutorOptions:
    """Runtime options of an executor job (the schema's ``OptionsModel``).

    Attributes:
        init_qubits: reset the qubits to the ground state before each shot.
        rep_delay: delay between shots in seconds; None takes the backend's default.
        scheduler_timing: return each item's circuit schedule timing in its metadata.
        stretch_values: return each item's resolved stretch values in its metadata.
        experimental: options the service may change or drop without notice.
    """

    init_qubits: bool = True
    rep_delay: float | None = None
    scheduler_timing: bool = False
    stretch_values: bool = False
    experimental: JSONObject = field(default_factory=dict)

    def to_json(self) -> JSONObject:
        return {
            "init_qubits": self.init_qubits,
            "rep_delay": self.rep_delay,
            "scheduler_timing": self.scheduler_timing,
            "stretch_values": self.stretch_values,
            "experimental": dict(self.experimental),
        }


@dataclass(frozen=True, init=False)
class CircuitItem:
    """One circuit of a program and its arguments.

    Attributes:
        circuit: the circuit as sent (OpenQASM 3 text, parameter names in binding order).
        arguments: the parameter values, flat, in C order of ``(*shape, parameters)``.
        shape: the sweep shape: one result per element (``()`` for a single binding).
        chunk_size: most bindings per shot loop; None lets the service choose ("auto").
    """

    circuit: Circuit
    arguments: tuple[float, ...]
    shape: tuple[int, ...]
    chunk_size: int | None

    def __init__(
        self,
        circuit: CircuitLike,
        circuit_arguments: ParameterValues | None = None,
        *,
        chunk_size: int | None = None,
        item: int | None = None,
    ) -> None:
        try:
            read = as_circuit(circuit, pub=item)
            values, shape = _parameter_values(read, circuit_arguments, item)
        except PubError as exc:
            raise ProgramError(
                str(exc).split(": ", 1)[-1] if item is not None else str(exc),
                pub=item,
                field="circuit_arguments" if exc.field == "parameter_values" else exc.field,
            ) from None
        if chunk_size is not None and not is_count(chunk_size):
            raise ProgramError(
                f"chunk_size must be a positive whole number or None, not {chunk_size!r}",
                pub=item,
                field="chunk_size",
            )
        flat = [] if values is None else flatten(values, len(shape) + 1)
        object.__setattr__(self, "circuit", read)
        object.__setattr__(self, "arguments", tuple(float(v) for v in flat))  # type: ignore[arg-type]
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "chunk_size", chunk_size)

    def to_json(self) -> JSONObject:
        """The item as the schema's ``CircuitItemModel`` (the circuit goes apart)."""
        tensor_shape = [*self.shape, len(self.circuit.parameters)]
        raw = struct.pack(f"<{len(self.arguments)}d", *self.arguments)
        return {
            "item_type": "circuit",
            "circuit_arguments": {
                "data": base64.b64encode(zlib.compress(raw)).decode("ascii"),
                "shape": tensor_shape,  # type: ignore[dict-item]
                "dtype": "f64",
            },
            # The item's own shape extends the arguments' by broadcasting; qiskit-ibm-runtime
            # sends [] (no replication), and so does this client.
            "shape": [],
            "chunk_size": "auto" if self.chunk_size is None else self.chunk_size,
        }


@dataclass(frozen=True, init=False)
class QuantumProgram:
    """Circuit items to run ``shots`` times each (per sweep point).

    Attributes:
        items: the program's items, in order; results come back in the same order.
        shots: shots per circuit binding.
        meas_level: ``classified`` (bits; the default), ``kerneled`` or ``avg_kerneled``
            (IQ data), or ``both``.
        passthrough_data: JSON data the service returns unchanged with the result.
    """

    items: tuple[CircuitItem, ...]
    shots: int
    meas_level: MeasLevel
    passthrough_data: JSON

    def __init__(
        self,
        items: Sequence[CircuitItem | CircuitLike],
        *,
        shots: int,
        meas_level: MeasLevel = "classified",
        passthrough_data: JSON = None,
    ) -> None:
        if isinstance(items, (str, CircuitItem)) or not isinstance(items, Sequence) or not items:
            raise ProgramError("items must be a non-empty list of CircuitItem or circuits", field="items")
        read = tuple(i if isinstance(i, CircuitItem) else CircuitItem(i, item=n) for n, i in enumerate(items))
        if not is_count(shots):
            raise ProgramError(f"shots must be a positive whole number, not {shots!r}", field="shots")
        if meas_level not in _MEAS_LEVELS:
            raise ProgramError(
                f"meas_level must be one of {', '.join(_MEAS_LEVELS)}, not {meas_level!r}", field="meas_level"
            )
        if len({i.chunk_size is None for i in read}) > 1:
            raise ProgramError(
                "give every item a chunk_size, or none of them (the service's choice)", field="chunk_size"
            )
        for n, i in enumerate(read):
            if not i.circuit.declares_bits and meas_level == "classified":
                raise ProgramError(
                    "the circuit declares no classical bits, so it returns nothing; "
                    "measure into a bit register",
                    pub=n,
                    field="circuit",
                )
        object.__setattr__(self, "items", read)
        object.__setattr__(self, "shots", shots)
        object.__setattr__(self, "meas_level", meas_level)
        object.__setattr__(self, "passthrough_data", passthrough_data)

    def to_params(self, options: ExecutorOptions | None = None) -> JSONObject:
        """The ``params`` of an executor job: the schema's v2.0 ``ParamsModel``."""
        program: JSONObject = {
            "shots": self.shots,
            "circuits": {"data": [i.circuit.qasm for i in self.items]},
            "items": [i.to_json() for i in self.items],
            "semantic_role": None,
            "meas_level": self.meas_level,
            "passthrough_data": self.passthrough_data,
        }
        return {
            "schema_version": SCHEMA_VERSION,
            "quantum_program": program,
            "options": (options or ExecutorOptions()).to_json(),
        }
