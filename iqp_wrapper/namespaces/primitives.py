"""``client.primitives``: the primitives with the client already bound.

``client.primitives.submit_sampler("ibm_fez", [bell], shots=1000)`` is
``submit_sampler(client, "ibm_fez", [bell], shots=1000)``, with the same typed
parameters; on the async client the same names are the ``async_`` twins, awaited.
"""

from __future__ import annotations

from iqp_api.client import AuthenticatedClient
from iqp_wrapper.namespaces.jobs import ClientBound
from iqp_wrapper.primitives import executor_submit, fetch, sessions, submit


class Primitives:
    """Sampler, Estimator and executor jobs: submit, pick a backend, open sessions, read results."""

    __slots__ = ("_client",)

    def __init__(self, client: AuthenticatedClient) -> None:
        self._client = client

    submit_sampler = ClientBound(submit.submit_sampler)
    submit_estimator = ClientBound(submit.submit_estimator)
    submit_executor = ClientBound(executor_submit.submit_executor)
    least_busy = ClientBound(submit.least_busy)
    open_session = ClientBound(sessions.open_session)
    open_batch = ClientBound(sessions.open_batch)
    sampler_result = ClientBound(fetch.sampler_result)
    estimator_result = ClientBound(fetch.estimator_result)
    executor_result = ClientBound(fetch.executor_result)


class AsyncPrimitives:
    """The same for the async client: each method is awaited (``async with`` a session)."""

    __slots__ = ("_client",)

    def __init__(self, client: AuthenticatedClient) -> None:
        self._client = client

    submit_sampler = ClientBound(submit.async_submit_sampler)
    submit_estimator = ClientBound(submit.async_submit_estimator)
    submit_executor = ClientBound(executor_submit.async_submit_executor)
    least_busy = ClientBound(submit.async_least_busy)
    open_session = ClientBound(sessions.open_session)
    open_batch = ClientBound(sessions.open_batch)
    sampler_result = ClientBound(fetch.async_sampler_result)
    estimator_result = ClientBound(fetch.async_estimator_result)
    executor_result = ClientBound(fetch.async_executor_result)
