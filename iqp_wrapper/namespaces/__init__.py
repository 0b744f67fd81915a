"""The client's hand-written namespaces: generated operations plus the helpers over them.

``jobs`` is ``client.jobs`` (the generated job operations with ``iter``, ``wait``,
``results`` and ``submit``); ``primitives`` is ``client.primitives`` (Sampler, Estimator,
sessions). The client builds them on first use. The names of ``jobs`` are re-exported
here, so importing them from this package keeps working.
"""

from iqp_wrapper.namespaces.jobs import (
    AsyncJobsWithHelpers,
    Awaits,
    AwaitsNot,
    BothWays,
    ClientBound,
    HasClient,
    JobResultsVariant,
    JobsWithHelpers,
)

__all__ = [
    "AsyncJobsWithHelpers",
    "Awaits",
    "AwaitsNot",
    "BothWays",
    "ClientBound",
    "HasClient",
    "JobResultsVariant",
    "JobsWithHelpers",
]
