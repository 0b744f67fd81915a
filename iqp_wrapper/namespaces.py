"""The hand-written helpers on the generated namespaces: ``client.jobs.wait(job_id)``.

The generated ``Jobs`` / ``AsyncJobs`` classes hold one method per operation; these
subclasses add the helpers of ``iqp_wrapper.jobs`` with the client already bound, so
``client.jobs.wait(job_id)`` is ``wait_for_job(client, job_id)`` with the same typed
parameters. (``client.jobs.iter`` is generated, as every paged list operation's is.)
"""

from __future__ import annotations

from collections.abc import Callable
from types import MethodType
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar, cast, overload

from iqp_api.client import AuthenticatedClient
from iqp_api.resources.jobs import AsyncJobs, Jobs
from iqp_wrapper.jobs import (
    async_job_results,
    async_submit_job,
    async_wait_for_job,
    job_results,
    submit_job,
    wait_for_job,
)

P = ParamSpec("P")
R = TypeVar("R")


class HasClient(Protocol):
    """A namespace: something that holds the client its methods call with."""

    @property
    def _client(self) -> AuthenticatedClient: ...


class ClientBound(Generic[P, R]):
    """A function of ``(client, ...)`` that a namespace offers as a method of ``(...)``."""

    def __init__(self, function: Callable[Concatenate[AuthenticatedClient, P], R]) -> None:
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


class JobsWithHelpers(Jobs):
    """``client.jobs``: every jobs operation and its iterator, plus waiting, results and submission."""

    __slots__ = ()

    wait = ClientBound(wait_for_job)
    results = ClientBound(job_results)
    submit = ClientBound(submit_job)


class AsyncJobsWithHelpers(AsyncJobs):
    """``client.jobs`` of the async client: the same, awaitable."""

    __slots__ = ()

    wait = ClientBound(async_wait_for_job)
    results = ClientBound(async_job_results)
    submit = ClientBound(async_submit_job)
