"""SamplerPub and EstimatorPub: what to run, checked before anything is sent.

The wire form is IBM's REST form: Sampler ``[qasm, parameter_values, shots]`` and
Estimator ``[qasm, observables, parameter_values, precision]``. Parameter values go out
as nested lists whose last axis follows the circuit's parameters (sorted by name, as the
service binds them); observables as a Pauli string, a mapping of Pauli strings to
coefficients, or nested lists of those.

Wherever PUBs are taken, qiskit's PUB-like tuples are too: Sampler ``(circuit[,
parameter_values[, shots]])`` and Estimator ``(circuit, observables[, parameter_values[,
precision]])`` (or the same as lists, as IBM's REST guide writes them); they become
SamplerPub/EstimatorPub with the same checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from iqp_wrapper.primitives.circuits import Circuit, QuantumCircuitLike, as_circuit
from iqp_wrapper.primitives.errors import PubError
from iqp_wrapper.primitives.json_types import JSON
from iqp_wrapper.primitives.nested import shape_of

CircuitLike: TypeAlias = str | QuantumCircuitLike | Circuit
"""OpenQASM 3 text, or a qiskit QuantumCircuit (only when qiskit is installed)."""

Number: TypeAlias = int | float
NumberArray: TypeAlias = Number | Sequence["NumberArray"]
"""A number, or nested sequences of numbers."""

ParameterValues: TypeAlias = Mapping[str, NumberArray] | Sequence[NumberArray]
"""A mapping of parameter names to numbers or arrays (all of one shape), or nested lists
whose last axis lists every parameter in order."""


def is_count(value: object) -> bool:
    """A whole number of at least 1, as shots, chunk sizes and a session's max_time are
    (``True`` is not one, though Python counts it as 1)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def checked_shots(shots: int | None, pub: int | None = None) -> int | None:
    """``shots`` where it is a count or None (not given), for a PUB or for every PUB of a
    call; PubError otherwise."""
    if shots is not None and not is_count(shots):
        raise PubError(f"shots must be a positive whole number, not {shots!r}", pub=pub, field="shots")
    return shots


def checked_precision(precision: float | None, pub: int | None = None) -> float | None:
    """``precision`` as a float where it is a positive number, None where not given, for a
    PUB or for every PUB of a call; PubError otherwise."""
    if precision is None:
        return None
    if isinstance(precision, bool) or not isinstance(precision, (int, float)) or not precision > 0:
        raise PubError(f"precision must be a positive number, not {precision!r}", pub=pub, field="precision")
    return float(precision)


PauliSum: TypeAlias = Mapping[str, Number]
Observable: TypeAlias = str | PauliSum
Observables: TypeAlias = Observable | Sequence["Observables"]
"""``"ZZ"``, ``{"IZ": 1.0, "XX": -0.5}``, or nested lists of those for broadcasting."""

_PAULI = frozenset("IXYZ")


@dataclass(frozen=True, init=False)
class SamplerPub:
    """A circuit to sample, with optional parameter values (a sweep) and shots."""

    circuit: Circuit
    parameter_values: JSON
    shape: tuple[int, ...]
    shots: int | None

    def __init__(
        self,
        circuit: CircuitLike,
        parameter_values: ParameterValues | None = None,
        shots: int | None = None,
        *,
        pub: int | None = None,
    ) -> None:
        read = as_circuit(circuit, pub=pub)
        if not read.declares_bits:
            raise PubError(
                "the circuit declares no classical bits, so a Sampler has nothing to return; "
                "measure into a bit register",
                pub=pub,
                field="circuit",
            )
        values, shape = _parameter_values(read, parameter_values, pub)
        object.__setattr__(self, "circuit", read)
        object.__setattr__(self, "parameter_values", values)
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "shots", checked_shots(shots, pub))

    def to_json(self) -> list[JSON]:
        """The PUB in the REST form: ``[qasm, parameter_values, shots]``."""
        return [self.circuit.qasm, self.parameter_values, self.shots]


@dataclass(frozen=True, init=False)
class EstimatorPub:
    """A circuit and the observables to estimate on it, with optional parameter values
    and target precision; observables and parameter values broadcast against each other."""

    circuit: Circuit
    observables: JSON
    parameter_values: JSON
    shape: tuple[int, ...]
    precision: float | None

    def __init__(
        self,
        circuit: CircuitLike,
        observables: Observables,
        parameter_values: ParameterValues | None = None,
        precision: float | None = None,
        *,
        pub: int | None = None,
    ) -> None:
        read = as_circuit(circuit, pub=pub)
        obs, obs_shape = _observables(observables, pub)
        values, param_shape = _parameter_values(read, parameter_values, pub)
        shape = _broadcast(obs_shape, param_shape, pub)
        object.__setattr__(self, "circuit", read)
        object.__setattr__(self, "observables", obs)
        object.__setattr__(self, "parameter_values", values)
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "precision", checked_precision(precision, pub))

    def to_json(self) -> list[JSON]:
        """The PUB in the REST form: ``[qasm, observables, parameter_values, precision]``."""
        return [self.circuit.qasm, self.observables, self.parameter_values, self.precision]


# -- parameter values ----------------------------------------------------------------


def _parameter_values(
    circuit: Circuit, values: ParameterValues | None, pub: int | None
) -> tuple[JSON, tuple[int, ...]]:
    """The values as nested lists of shape ``(*shape, parameters)``, and the PUB's shape."""
    names = circuit.parameters
    if values is None:
        if names:
            raise PubError(
                f"the circuit has parameters {list(names)}; give parameter_values for them",
                pub=pub,
                field="parameter_values",
            )
        return None, ()
    if isinstance(values, Mapping):
        return _from_mapping(names, values, pub)
    nested = _plain(values, pub)
    try:
        shape = shape_of(nested, what="parameter_values")
    except ValueError as exc:
        raise PubError(str(exc), pub=pub, field="parameter_values") from None
    if not shape:
        raise PubError(
            "parameter_values must be a list (one value per parameter) or a mapping of names",
            pub=pub,
            field="parameter_values",
        )
    if shape[-1] != len(names):
        raise PubError(
            f"the last axis of parameter_values has {shape[-1]} values but the circuit has "
            f"{len(names)} parameters {list(names)}",
            pub=pub,
            field="parameter_values",
        )
    return nested, shape[:-1]


def _from_mapping(
    names: tuple[str, ...], values: Mapping[str, NumberArray], pub: int | None
) -> tuple[JSON, tuple[int, ...]]:
    unknown = sorted(set(values) - set(names))
    missing = [n for n in names if n not in values]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(f"missing {missing}")
        if unknown:
            parts.append(f"unknown {unknown}")
        raise PubError(
            f"parameter_values must name exactly the circuit's parameters {list(names)}: {', '.join(parts)}",
            pub=pub,
            field="parameter_values",
        )
    columns: dict[str, JSON] = {}
    shapes: dict[str, tuple[int, ...]] = {}
    for name in names:
        column = _plain(values[name], pub)
        try:
            shapes[name] = shape_of(column, what=f"parameter_values[{name!r}]")
        except ValueError as exc:
            raise PubError(str(exc), pub=pub, field="parameter_values") from None
        columns[name] = column
    distinct = {s for s in shapes.values() if s}
    if len(distinct) > 1:
        raise PubError(
            f"the parameter arrays have different shapes {shapes}; give them one shape (or single numbers)",
            pub=pub,
            field="parameter_values",
        )
    shape = distinct.pop() if distinct else ()
    return _stack([columns[n] for n in names], [shapes[n] for n in names], shape), shape


def _stack(columns: list[JSON], shapes: list[tuple[int, ...]], shape: tuple[int, ...]) -> JSON:
    """Nested lists of shape ``(*shape, len(columns))`` from per-parameter arrays; a single
    number stands for its whole array."""
    if not shape:
        return list(columns)
    rows: list[JSON] = []
    for i in range(shape[0]):
        row = [_element(c, i) if s else c for c, s in zip(columns, shapes, strict=True)]
        rows.append(_stack(row, [s[1:] if s else s for s in shapes], shape[1:]))
    return rows


def _element(array: JSON, index: int) -> JSON:
    assert isinstance(array, list)
    return array[index]


def _plain(value: object, pub: int | None) -> JSON:
    """Nested sequences (lists, tuples, numpy arrays) as nested lists of numbers."""
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and not isinstance(value, (list, tuple)):
        value = tolist()
    if isinstance(value, bool) or value is None:
        raise PubError(f"{value!r} is not a number", pub=pub, field="parameter_values")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(v, pub) for v in value]
    raise PubError(f"{type(value).__name__} is not a number or an array", pub=pub, field="parameter_values")


# -- observables -----------------------------------------------------------------------


def _observables(observables: Observables, pub: int | None) -> tuple[JSON, tuple[int, ...]]:
    shape: list[int] = []
    level: object = observables
    while isinstance(level, Sequence) and not isinstance(level, str):
        if not level:
            raise PubError("observables contain an empty list", pub=pub, field="observables")
        shape.append(len(level))
        level = level[0]
    lengths: set[int] = set()

    def read(value: object, depth: int) -> JSON:
        if depth < len(shape):
            if isinstance(value, str) or not isinstance(value, Sequence) or len(value) != shape[depth]:
                raise PubError(
                    "observables are ragged: nested lists differ in length", pub=pub, field="observables"
                )
            return [read(v, depth + 1) for v in value]
        if isinstance(value, str):
            _pauli(value, pub, lengths)
            return value
        if isinstance(value, Mapping):
            if not value:
                raise PubError("an observable mapping is empty", pub=pub, field="observables")
            out: dict[str, JSON] = {}
            for pauli, coefficient in value.items():
                _pauli(pauli, pub, lengths)
                if isinstance(coefficient, bool) or not isinstance(coefficient, (int, float)):
                    raise PubError(
                        f"the coefficient of {pauli!r} must be a real number, not {coefficient!r}",
                        pub=pub,
                        field="observables",
                    )
                out[pauli] = float(coefficient)
            return out
        raise PubError(
            f"an observable is a Pauli string or a mapping of Pauli strings to coefficients, "
            f"not {type(value).__name__}",
            pub=pub,
            field="observables",
        )

    result = read(observables, 0)
    if len(lengths) > 1:
        raise PubError(
            f"the Pauli strings have different lengths {sorted(lengths)}; give every one a letter per qubit",
            pub=pub,
            field="observables",
        )
    return result, tuple(shape)


def _pauli(text: object, pub: int | None, lengths: set[int]) -> None:
    if not isinstance(text, str) or not text or not set(text) <= _PAULI:
        raise PubError(
            f"{text!r} is not a Pauli string (letters I, X, Y, Z, one per qubit, qubit 0 last)",
            pub=pub,
            field="observables",
        )
    lengths.add(len(text))


def _broadcast(a: tuple[int, ...], b: tuple[int, ...], pub: int | None) -> tuple[int, ...]:
    """numpy's broadcasting, as the service applies it to observables and parameter values."""
    out: list[int] = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and 1 not in (x, y):
            raise PubError(
                f"observables of shape {a} and parameter values of shape {b} do not broadcast "
                "(each axis, counted from the last, must be equal or 1)",
                pub=pub,
                field="observables",
            )
        out.append(max(x, y))
    return tuple(reversed(out))


# -- PUB-like tuples ---------------------------------------------------------------------

SamplerPubLike: TypeAlias = (
    SamplerPub
    | CircuitLike
    | tuple[CircuitLike]
    | tuple[CircuitLike, ParameterValues | None]
    | tuple[CircuitLike, ParameterValues | None, int | None]
)
"""A SamplerPub, a bare circuit, or a tuple ``(circuit[, parameter_values[, shots]])``."""

EstimatorPubLike: TypeAlias = (
    EstimatorPub
    | tuple[CircuitLike, Observables]
    | tuple[CircuitLike, Observables, ParameterValues | None]
    | tuple[CircuitLike, Observables, ParameterValues | None, float | None]
)
"""An EstimatorPub, or a tuple ``(circuit, observables[, parameter_values[, precision]])``."""

_SAMPLER_FORM = "(circuit[, parameter_values[, shots]])"
_ESTIMATOR_FORM = "(circuit, observables[, parameter_values[, precision]])"


def as_sampler_pub(pub: SamplerPubLike, *, index: int | None = None) -> SamplerPub:
    """``pub`` as a SamplerPub: given one, it is returned; a circuit or a tuple
    ``(circuit[, parameter_values[, shots]])`` is checked as ``SamplerPub(...)`` checks it.
    ``index`` is the PUB's place in the list, for PubError's message."""
    if isinstance(pub, SamplerPub):
        return pub
    if not isinstance(pub, (tuple, list)):
        return SamplerPub(pub, pub=index)
    parts: Sequence[object] = pub
    if not 1 <= len(parts) <= 3:
        raise PubError(
            f"a Sampler PUB tuple is {_SAMPLER_FORM}: 1 to 3 items, not {len(parts)}", pub=index, field="pub"
        )
    circuit, values, shots = (*parts, None, None)[:3]
    if len(parts) == 2 and isinstance(values, int) and not isinstance(values, bool):
        raise PubError(
            f"the second item of a Sampler PUB tuple is its parameter values, not shots ({values!r}); "
            "to set only shots write (circuit, None, shots)",
            pub=index,
            field="parameter_values",
        )
    return SamplerPub(circuit, values, shots, pub=index)  # type: ignore[arg-type]  # checked inside


def as_estimator_pub(pub: EstimatorPubLike, *, index: int | None = None) -> EstimatorPub:
    """``pub`` as an EstimatorPub: given one, it is returned; a tuple ``(circuit,
    observables[, parameter_values[, precision]])`` is checked as ``EstimatorPub(...)``
    checks it. ``index`` is the PUB's place in the list, for PubError's message."""
    if isinstance(pub, EstimatorPub):
        return pub
    if not isinstance(pub, (tuple, list)):
        raise PubError(
            f"expected an EstimatorPub or a tuple {_ESTIMATOR_FORM}, got {type(pub).__name__}",
            pub=index,
        )
    parts: Sequence[object] = pub
    if not 2 <= len(parts) <= 4:
        raise PubError(
            f"an Estimator PUB tuple is {_ESTIMATOR_FORM}: 2 to 4 items, not {len(parts)}",
            pub=index,
            field="pub",
        )
    circuit, observables, values, precision = (*parts, None, None)[:4]
    return EstimatorPub(circuit, observables, values, precision, pub=index)  # type: ignore[arg-type]  # checked inside


def sampler_pubs(pubs: Sequence[SamplerPubLike]) -> list[SamplerPub]:
    """PUBs as given to submit_sampler: SamplerPubs, bare circuits or PUB-like tuples."""
    if isinstance(pubs, (str, SamplerPub)) or not isinstance(pubs, Sequence) or not pubs:
        raise PubError(f"pubs must be a non-empty list of SamplerPub, circuits or tuples {_SAMPLER_FORM}")
    _not_one_pub_tuple(pubs, _SAMPLER_FORM)
    return [as_sampler_pub(p, index=i) for i, p in enumerate(pubs)]


def estimator_pubs(pubs: Sequence[EstimatorPubLike]) -> list[EstimatorPub]:
    """PUBs as given to submit_estimator: EstimatorPubs or PUB-like tuples."""
    if isinstance(pubs, EstimatorPub) or not isinstance(pubs, Sequence) or not pubs:
        raise PubError(f"pubs must be a non-empty list of EstimatorPub or tuples {_ESTIMATOR_FORM}")
    _not_one_pub_tuple(pubs, _ESTIMATOR_FORM)
    return [as_estimator_pub(p, index=i) for i, p in enumerate(pubs)]


def _not_one_pub_tuple(pubs: Sequence[object], form: str) -> None:
    """A single PUB tuple given where the list of PUBs goes (``[(qasm, "ZZ")]`` meant, but
    ``(qasm, "ZZ")`` written) would otherwise fail on its second item with a puzzling message."""
    if isinstance(pubs, tuple) and len(pubs) > 1 and isinstance(pubs[0], str):
        rest = pubs[1:]
        if any(item is None or isinstance(item, (int, float, Mapping)) for item in rest) or (
            isinstance(rest[0], str) and not rest[0].lstrip().startswith(("OPENQASM", "//", "/*"))
        ):
            raise PubError(f"pubs is a list of PUBs: put a single PUB tuple {form} in a list, [(...)]")
