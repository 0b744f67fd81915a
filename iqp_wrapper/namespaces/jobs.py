"""The hand-written helpers on the generated namespaces: ``client.jobs.wait(job_id)``.

The generated ``Jobs`` / ``AsyncJobs`` classes hold one method per operation; these
subclasses add the helpers of ``iqp_wrapper.jobs`` with the client already bound, so
``client.jobs.wait(job_id)`` is ``wait_for_job(client, job_id)`` with the same typed
parameters. (``client.jobs.iter`` is generated, as every paged list operation's is.)
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from types import MethodType
from typing import Any, Concatenate, Generic, Literal, ParamSpec, Protocol, TypeAlias, TypeVar, cast, overload

from iqp_api.client import AuthenticatedClient
from iqp_api.models.executor_v01_quantum_program_result_model import ExecutorV01QuantumProgramResultModel
from iqp_api.models.executor_v02_quantum_program_result_model import ExecutorV02QuantumProgramResultModel
from iqp_api.models.executor_v10_quantum_program_result_model import ExecutorV10QuantumProgramResultModel
from iqp_api.models.executor_v11_quantum_program_result_model import ExecutorV11QuantumProgramResultModel
from iqp_api.models.executor_v20_quantum_program_result_model import ExecutorV20QuantumProgramResultModel
from iqp_api.models.job_create_response import JobCreateResponse
from iqp_api.models.job_results_type_4_type_0 import JobResultsType4Type0
from iqp_api.models.noise_learner_v3v01_noise_learner_v3_results_model import (
    NoiseLearnerV3V01NoiseLearnerV3ResultsModel,
)
from iqp_api.models.noise_learner_v3v02_noise_learner_v3_results_model import (
    NoiseLearnerV3V02NoiseLearnerV3ResultsModel,
)
from iqp_api.models.noise_learner_v3v03_noise_learner_v3_results_model import (
    NoiseLearnerV3V03NoiseLearnerV3ResultsModel,
)
from iqp_api.resources.jobs import AsyncJobs, Jobs
from iqp_wrapper._deprecation import deprecated_name
from iqp_wrapper.jobs import (
    async_job_results,
    async_submit_job,
    async_wait_for_job,
    job_results,
    submit_job,
    wait_for_job,
)

# What the generated get_results answers (the deprecated name keeps its type).
JobResultsVariant: TypeAlias = (
    ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | ExecutorV10QuantumProgramResultModel
    | ExecutorV11QuantumProgramResultModel
    | ExecutorV20QuantumProgramResultModel
    | JobResultsType4Type0
    | list[Any]
    | NoiseLearnerV3V01NoiseLearnerV3ResultsModel
    | NoiseLearnerV3V02NoiseLearnerV3ResultsModel
    | NoiseLearnerV3V03NoiseLearnerV3ResultsModel
    | str
)

P = ParamSpec("P")
R = TypeVar("R")


class HasClient(Protocol):
    """A namespace: something that holds the client its methods call with."""

    @property
    def _client(self) -> AuthenticatedClient: ...


class ClientBound(Generic[P, R]):
    """A function of ``(client, ...)`` that a namespace offers as a method of ``(...)``."""

    def __init__(self, function: Callable[Concatenate[Any, P], R]) -> None:
        # Any: the helpers take IQPClient | AsyncIQPClient, the namespace holds either.
        self._function = function
        self.__doc__ = function.__doc__

    @overload
    def __get__(self, namespace: None, owner: type[Any]) -> ClientBound[P, R]: ...

    @overload
    def __get__(self, namespace: HasClient, owner: type[Any]) -> Callable[P, R]: ...

    def __get__(self, namespace: HasClient | None, owner: type[Any]) -> ClientBound[P, R] | Callable[P, R]:
        if namespace is None:
            return self
        # A bound method, not a functools.partial: help(), inspect.signature, IDEs and
        # Jupyter show the function's own name, docstring and parameters (the client
        # already bound, so not among them).
        return cast("Callable[P, R]", MethodType(self._function, namespace._client))


class BothWays(Generic[P, R]):
    """A helper and its async twin, offered under one name by a pair of sibling namespaces:
    the blocking one on ``Sync`` (a class whose ``_awaits`` is False), the awaited one on
    ``Async``, each bound to the namespace's client as ``ClientBound`` binds it."""

    def __init__(
        self,
        sync: Callable[Concatenate[Any, P], R],
        async_: Callable[Concatenate[Any, P], Coroutine[Any, Any, R]],
    ) -> None:
        self._ways = (ClientBound(sync), ClientBound(async_))
        self.__doc__ = sync.__doc__

    @overload
    def __get__(self, namespace: None, owner: type[Any]) -> BothWays[P, R]: ...

    @overload
    def __get__(self, namespace: AwaitsNot, owner: type[Any]) -> Callable[P, R]: ...

    @overload
    def __get__(self, namespace: Awaits, owner: type[Any]) -> Callable[P, Coroutine[object, None, R]]: ...

    def __get__(self, namespace: AwaitsNot | Awaits | None, owner: type[Any]) -> object:
        if namespace is None:
            return self
        return self._ways[namespace._awaits].__get__(namespace, owner)


class AwaitsNot(Protocol):
    """A namespace of the sync client (its helpers block)."""

    @property
    def _client(self) -> AuthenticatedClient: ...

    @property
    def _awaits(self) -> Literal[False]: ...


class Awaits(Protocol):
    """A namespace of the async client (its helpers are awaited)."""

    @property
    def _client(self) -> AuthenticatedClient: ...

    @property
    def _awaits(self) -> Literal[True]: ...


class JobsWithHelpers(Jobs):
    """``client.jobs``: every jobs operation and its iterator, plus waiting, results and submission.

    One name per thing: ``submit`` creates a job (once, found by its tag if the answer is
    lost) and ``results`` reads its result (ResultsNotReadyError while it runs). The
    operations' own names for these, ``create`` and ``get_results``, still work but are
    deprecated; ``with_raw_response`` keeps them, as every operation's raw variant.
    """

    __slots__ = ()

    def create(self, *args: Any, **kwargs: Any) -> JobCreateResponse:
        """Deprecated: ``submit(body)`` creates the job once and returns a SubmittedJob."""
        deprecated_name("client.jobs.create", "client.jobs.submit")
        return super().create(*args, **kwargs)

    def get_results(self, *args: Any, **kwargs: Any) -> JobResultsVariant | None:
        """Deprecated: ``results(job_id)`` reads the result, raising ResultsNotReadyError while
        there is none."""
        deprecated_name("client.jobs.get_results", "client.jobs.results")
        return super().get_results(*args, **kwargs)

    wait = ClientBound(wait_for_job)
    results = ClientBound(job_results)
    submit = ClientBound(submit_job)


class AsyncJobsWithHelpers(AsyncJobs):
    """``client.jobs`` of the async client: the same, awaitable."""

    __slots__ = ()

    async def create(self, *args: Any, **kwargs: Any) -> JobCreateResponse:
        """Deprecated: ``await submit(body)`` creates the job once and returns a SubmittedJob."""
        deprecated_name("client.jobs.create", "client.jobs.submit")
        return await super().create(*args, **kwargs)

    async def get_results(self, *args: Any, **kwargs: Any) -> JobResultsVariant | None:
        """Deprecated: ``await results(job_id)`` reads the result, raising ResultsNotReadyError
        while there is none."""
        deprecated_name("client.jobs.get_results", "client.jobs.results")
        return await super().get_results(*args, **kwargs)

    wait = ClientBound(async_wait_for_job)
    results = ClientBound(async_job_results)
    submit = ClientBound(async_submit_job)
