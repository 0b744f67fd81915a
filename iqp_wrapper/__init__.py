"""iqp_wrapper: a typed Python client for IBM Quantum Platform's Qiskit Runtime REST API.

>>> from iqp_api.api.jobs import get_job
>>> from iqp_wrapper import connect, unwrap
>>> with connect() as client:  # IQP_API_TOKEN and IQP_SERVICE_CRN, or a saved account
...     job = unwrap(get_job.sync_detailed("<job id>", client=client))

The names below are imported on first use, so that importing a submodule (the pytest
plugin ``iqp_wrapper.testing.plugin`` is imported by every pytest run where this package is
installed) costs nothing until the client itself is needed.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from iqp_wrapper._moved import install as _install_moved_paths
from iqp_wrapper._version import __version__

_install_moved_paths()  # module paths from before the folders keep importing, with a warning

if TYPE_CHECKING:
    from iqp_wrapper.auth.flow import IAMAuth
    from iqp_wrapper.client import (
        AsyncIQPClient,
        IQPClient,
        async_connect,
        build_client,
        connect,
        connect_async,
    )
    from iqp_wrapper.config.settings import (
        DEFAULT_API_VERSION,
        ENV_API_KEY,
        ENV_API_VERSION,
        ENV_IAM_URL,
        ENV_SERVICE_CRN,
        ENV_URL,
        Settings,
        resolve_settings,
    )
    from iqp_wrapper.errors import (
        APIConnectionError,
        APIError,
        APITimeoutError,
        AuthenticationError,
        ClientClosedError,
        ConfigError,
        ConfigSource,
        ConflictError,
        ErrorDetail,
        IAMConnectionError,
        IAMError,
        IAMTimeoutError,
        IQPError,
        JobCancelledError,
        JobError,
        JobFailedError,
        JobTimeoutError,
        JobWaitInterrupted,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        ResponseTooLargeError,
        ResultsNotReadyError,
        ServerError,
        SubmissionUnknownError,
        UnexpectedResponseError,
    )
    from iqp_wrapper.jobs import (
        JobResult,
        SubmittedJob,
        WaitProgress,
        aiter_jobs,
        async_iter_jobs,
        async_job_results,
        async_submit_job,
        async_wait_for_job,
        iter_jobs,
        job_results,
        result_data,
        submit_job,
        wait_for_job,
    )
    from iqp_wrapper.responses import unwrap
    from iqp_wrapper.transport.network import Network
    from iqp_wrapper.transport.retry import RetryPolicy, RetryTransport

# A library leaves logging configuration to the application.
logging.getLogger(__name__).addHandler(logging.NullHandler())

_HOMES = {
    "iqp_wrapper.auth.flow": ("IAMAuth",),
    "iqp_wrapper.client": (
        "AsyncIQPClient",
        "IQPClient",
        "async_connect",
        "build_client",
        "connect",
        "connect_async",
    ),
    "iqp_wrapper.config.settings": (
        "DEFAULT_API_VERSION",
        "ENV_API_KEY",
        "ENV_API_VERSION",
        "ENV_IAM_URL",
        "ENV_SERVICE_CRN",
        "ENV_URL",
        "Settings",
        "resolve_settings",
    ),
    "iqp_wrapper.errors": (
        "APIConnectionError",
        "APIError",
        "APITimeoutError",
        "AuthenticationError",
        "ClientClosedError",
        "ConfigError",
        "ConfigSource",
        "ConflictError",
        "ErrorDetail",
        "IAMConnectionError",
        "IAMError",
        "IAMTimeoutError",
        "IQPError",
        "JobCancelledError",
        "JobError",
        "JobFailedError",
        "JobTimeoutError",
        "JobWaitInterrupted",
        "NotFoundError",
        "PermissionDeniedError",
        "RateLimitError",
        "ResponseTooLargeError",
        "ResultsNotReadyError",
        "ServerError",
        "SubmissionUnknownError",
        "UnexpectedResponseError",
    ),
    "iqp_wrapper.jobs": (
        "JobResult",
        "SubmittedJob",
        "WaitProgress",
        "aiter_jobs",
        "async_iter_jobs",
        "async_job_results",
        "async_submit_job",
        "async_wait_for_job",
        "iter_jobs",
        "job_results",
        "result_data",
        "submit_job",
        "wait_for_job",
    ),
    "iqp_wrapper.transport.network": ("Network",),
    "iqp_wrapper.responses": ("unwrap",),
    "iqp_wrapper.transport.retry": ("RetryPolicy", "RetryTransport"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "DEFAULT_API_VERSION",
    "ENV_API_KEY",
    "ENV_API_VERSION",
    "ENV_IAM_URL",
    "ENV_SERVICE_CRN",
    "ENV_URL",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncIQPClient",
    "AuthenticationError",
    "ClientClosedError",
    "ConfigError",
    "ConfigSource",
    "ConflictError",
    "ErrorDetail",
    "IAMAuth",
    "IAMConnectionError",
    "IAMError",
    "IAMTimeoutError",
    "IQPClient",
    "IQPError",
    "JobCancelledError",
    "JobError",
    "JobFailedError",
    "JobResult",
    "JobTimeoutError",
    "JobWaitInterrupted",
    "Network",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResultsNotReadyError",
    "RetryPolicy",
    "RetryTransport",
    "ServerError",
    "Settings",
    "SubmissionUnknownError",
    "SubmittedJob",
    "UnexpectedResponseError",
    "WaitProgress",
    "__version__",
    "aiter_jobs",
    "async_connect",
    "async_iter_jobs",
    "async_job_results",
    "async_submit_job",
    "async_wait_for_job",
    "build_client",
    "connect",
    "connect_async",
    "iter_jobs",
    "job_results",
    "resolve_settings",
    "result_data",
    "submit_job",
    "unwrap",
    "wait_for_job",
]


def __getattr__(name: str) -> object:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
