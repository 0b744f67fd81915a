"""Run primitives and read their results, typed end to end, without qiskit or numpy.

- Inputs: ``SamplerPub``, ``EstimatorPub`` (OpenQASM 3 text or a qiskit QuantumCircuit),
  or qiskit-style tuples (``SamplerPubLike``, ``EstimatorPubLike``), checked before
  anything is sent (``PubError``).
- Submission: ``submit_sampler``, ``submit_estimator`` (and ``async_`` twins), paced to
  the job-submission rate limit; ``least_busy`` picks a backend.
- Executor (program ``executor``, schema v2.0): ``QuantumProgram`` of ``CircuitItem``s,
  ``submit_executor``; ``executor_result`` reads v0.1 to v2.0 results into typed tensors,
  ``.sampler_result()`` into counts.
- Sessions and batches: ``with open_session(...) as s:``, ``open_batch``.
- Results: ``sampler_result``/``estimator_result`` fetch and decode a job's result;
  ``SamplerResult.from_json``/``EstimatorResult.from_json`` read either wire form.
"""

from iqp_wrapper.primitives.bitarray import BitArray
from iqp_wrapper.primitives.errors import ProgramError, PubError, ResultFormatError
from iqp_wrapper.primitives.executor_program import CircuitItem, ExecutorOptions, QuantumProgram
from iqp_wrapper.primitives.executor_results import ExecutorItemResult, ExecutorResult
from iqp_wrapper.primitives.executor_submit import async_submit_executor, executor_body, submit_executor
from iqp_wrapper.primitives.fetch import (
    async_estimator_result,
    async_executor_result,
    async_sampler_result,
    estimator_result,
    executor_result,
    sampler_result,
)
from iqp_wrapper.primitives.metadata import PubMetadata
from iqp_wrapper.primitives.pacing import Pacer, SubmitWait
from iqp_wrapper.primitives.pubs import (
    EstimatorPub,
    EstimatorPubLike,
    SamplerPub,
    SamplerPubLike,
    as_estimator_pub,
    as_sampler_pub,
)
from iqp_wrapper.primitives.results import (
    EstimatorData,
    EstimatorPubResult,
    EstimatorResult,
    SamplerData,
    SamplerPubResult,
    SamplerResult,
)
from iqp_wrapper.primitives.sessions import Session, open_batch, open_session
from iqp_wrapper.primitives.submit import (
    EstimatorOptions,
    SamplerOptions,
    async_least_busy,
    async_submit_estimator,
    async_submit_sampler,
    estimator_body,
    least_busy,
    sampler_body,
    submit_estimator,
    submit_sampler,
)
from iqp_wrapper.primitives.tensors import Tensor

__all__ = [
    "BitArray",
    "CircuitItem",
    "EstimatorData",
    "EstimatorOptions",
    "EstimatorPub",
    "EstimatorPubLike",
    "EstimatorPubResult",
    "EstimatorResult",
    "ExecutorItemResult",
    "ExecutorOptions",
    "ExecutorResult",
    "Pacer",
    "ProgramError",
    "PubError",
    "PubMetadata",
    "QuantumProgram",
    "ResultFormatError",
    "SamplerData",
    "SamplerOptions",
    "SamplerPub",
    "SamplerPubLike",
    "SamplerPubResult",
    "SamplerResult",
    "Session",
    "SubmitWait",
    "Tensor",
    "as_estimator_pub",
    "as_sampler_pub",
    "async_estimator_result",
    "async_executor_result",
    "async_least_busy",
    "async_sampler_result",
    "async_submit_estimator",
    "async_submit_executor",
    "async_submit_sampler",
    "estimator_body",
    "estimator_result",
    "executor_body",
    "executor_result",
    "least_busy",
    "open_batch",
    "open_session",
    "sampler_body",
    "sampler_result",
    "submit_estimator",
    "submit_executor",
    "submit_sampler",
]
