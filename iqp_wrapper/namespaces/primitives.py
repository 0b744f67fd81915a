"""``client.primitives``: the primitives with the client already bound.

``client.primitives.submit_sampler("ibm_fez", [bell], shots=1000)`` is
``submit_sampler(client, "ibm_fez", [bell], shots=1000)``, with the same typed
parameters; on the async client the same names are the ``async_`` twins, awaited.
"""

from __future__ import annotations

from typing import Literal

from iqp_api.client import AuthenticatedClient
from iqp_wrapper.namespaces.jobs import BothWays, ClientBound
from iqp_wrapper.primitives import executor_submit, fetch, sessions, submit


class _Primitives:
    """Each name once, with its blocking helper and its async twin (``BothWays``)."""

    __slots__ = ("_client",)
    _awaits: bool

    def __init__(self, client: AuthenticatedClient) -> None:
        self._client = client

    submit_sampler = BothWays(submit.submit_sampler, submit.async_submit_sampler)
    submit_estimator = BothWays(submit.submit_estimator, submit.async_submit_estimator)
    submit_executor = BothWays(executor_submit.submit_executor, executor_submit.async_submit_executor)
    least_busy = BothWays(submit.least_busy, submit.async_least_busy)
    # A session is opened by ``with`` or ``async with``: one function serves both.
    open_session = ClientBound(sessions.open_session)
    open_batch = ClientBound(sessions.open_batch)
    sampler_result = BothWays(fetch.sampler_result, fetch.async_sampler_result)
    estimator_result = BothWays(fetch.estimator_result, fetch.async_estimator_result)
    executor_result = BothWays(fetch.executor_result, fetch.async_executor_result)


class Primitives(_Primitives):
    """Sampler, Estimator and executor jobs: submit, pick a backend, open sessions, read results."""

    __slots__ = ()
    _awaits: Literal[False] = False


class AsyncPrimitives(_Primitives):
    """The same for the async client: each method is awaited (``async with`` a session)."""

    __slots__ = ()
    _awaits: Literal[True] = True
