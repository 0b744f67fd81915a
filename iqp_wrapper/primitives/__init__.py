"""Run primitives and read their results, typed end to end, without qiskit or numpy.

Results: ``SamplerResult.from_json`` / ``EstimatorResult.from_json`` read both wire
forms (the REST form and qiskit's encoded form).
"""

from iqp_wrapper.primitives.bitarray import BitArray
from iqp_wrapper.primitives.errors import PubError, ResultFormatError
from iqp_wrapper.primitives.metadata import PubMetadata
from iqp_wrapper.primitives.results import (
    EstimatorData,
    EstimatorPubResult,
    EstimatorResult,
    SamplerData,
    SamplerPubResult,
    SamplerResult,
)

__all__ = [
    "BitArray",
    "EstimatorData",
    "EstimatorPubResult",
    "EstimatorResult",
    "PubError",
    "PubMetadata",
    "ResultFormatError",
    "SamplerData",
    "SamplerPubResult",
    "SamplerResult",
]
