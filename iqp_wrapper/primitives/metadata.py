"""PUB metadata: the fields the service documents, typed; the rest kept whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from iqp_wrapper.primitives.json_types import JSON, JSONObject


@dataclass(frozen=True)
class PubMetadata:
    """Metadata of one PUB's result.

    Attributes:
        shots: shots run for the PUB (Estimator), when given.
        target_precision: the precision aimed at (Estimator), when given.
        num_randomizations: twirling randomizations (Estimator), when given.
        circuit_metadata: the circuit's own metadata, as sent.
        raw: the metadata exactly as received, every field included.
    """

    shots: int | None = None
    target_precision: float | None = None
    num_randomizations: int | None = None
    circuit_metadata: JSONObject = field(default_factory=dict)
    raw: JSONObject = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: JSON) -> PubMetadata:
        if not isinstance(data, dict):
            return cls()
        circuit = data.get("circuit_metadata")
        return cls(
            shots=_int(data.get("shots")),
            target_precision=_float(data.get("target_precision")),
            num_randomizations=_int(data.get("num_randomizations")),
            circuit_metadata=circuit if isinstance(circuit, dict) else {},
            raw=data,
        )


def _int(value: JSON) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: JSON) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None
