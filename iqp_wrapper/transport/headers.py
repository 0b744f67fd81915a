"""The headers the API requires, and the User-Agent this package identifies itself with.

``client.connect`` sets them; ``auth.IAMAuth`` keeps the API-only ones away from other
hosts.
"""

from __future__ import annotations

import platform

import httpx

from iqp_wrapper._version import __version__

AUTHORIZATION = "Authorization"
SERVICE_CRN = "Service-CRN"
API_VERSION = "IBM-API-Version"

# What must reach the API host and nothing else: a presigned storage URL the API hands
# out, or any other host, gets none of these.
API_ONLY_HEADERS = (AUTHORIZATION, SERVICE_CRN, API_VERSION)

USER_AGENT = f"iqp-wrapper/{__version__} (python {platform.python_version()}; httpx {httpx.__version__})"
