"""iqp_wrapper: a typed Python client for IBM Quantum Platform's Qiskit Runtime REST API.

>>> from iqp_api.api.jobs import get_job
>>> from iqp_wrapper import connect, unwrap
>>> with connect() as client:  # IQP_API_TOKEN and IQP_SERVICE_CRN, or a saved account
...     job = unwrap(get_job.sync_detailed("<job id>", client=client))
"""

import logging

from iqp_wrapper._version import __version__
from iqp_wrapper.auth import IAMAuth
from iqp_wrapper.client import IQPClient, build_client, connect
from iqp_wrapper.config import (
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
    APIError,
    AuthenticationError,
    ConfigError,
    ConflictError,
    ErrorDetail,
    IAMConnectionError,
    IAMError,
    IAMTimeoutError,
    IQPError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from iqp_wrapper.network import Network
from iqp_wrapper.responses import unwrap
from iqp_wrapper.retry import RetryPolicy, RetryTransport

# A library leaves logging configuration to the application.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "DEFAULT_API_VERSION",
    "ENV_API_KEY",
    "ENV_API_VERSION",
    "ENV_IAM_URL",
    "ENV_SERVICE_CRN",
    "ENV_URL",
    "APIError",
    "AuthenticationError",
    "ConfigError",
    "ConflictError",
    "ErrorDetail",
    "IAMAuth",
    "IAMConnectionError",
    "IAMError",
    "IAMTimeoutError",
    "IQPClient",
    "IQPError",
    "Network",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "RetryTransport",
    "ServerError",
    "Settings",
    "UnexpectedResponseError",
    "__version__",
    "build_client",
    "connect",
    "resolve_settings",
    "unwrap",
]
