"""IAM authentication: the API key exchanged for bearer tokens put on API requests.

``flow`` holds ``IAMAuth``, the httpx auth flow; ``iam`` the token exchange itself;
``_singleflight`` makes many threads and tasks share one exchange. The names of
``flow`` are re-exported here, so importing them from this package keeps working.
"""

from iqp_wrapper.auth.flow import DEFAULT_IAM_TIMEOUT, DEFAULT_REFRESH_FRACTION, IAMAuth

__all__ = ["DEFAULT_IAM_TIMEOUT", "DEFAULT_REFRESH_FRACTION", "IAMAuth"]
