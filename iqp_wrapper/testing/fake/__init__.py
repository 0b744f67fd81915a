"""An embedded fake of the Qiskit Runtime REST API and of IBM Cloud IAM.

For trying the client, checking a setup and testing code without credentials or network.
In process (no sockets)::

    from iqp_wrapper.testing.fake import FakeService, ManualClock

    clock = ManualClock()
    service = FakeService(clock=clock)
    http = httpx.Client(transport=service.transport(), base_url=service.url)
    # async: httpx.AsyncClient(transport=service.transport(), ...)

Over real HTTP on 127.0.0.1::

    with service.serve() as server:
        server.url, server.iam_url     # API base URL, IAM URL

IAM takes the key ``"fake-key-ok"`` (DEFAULT_API_KEY); the API serves DEFAULT_CRN. Jobs
advance on ``clock`` per ``schedule``; faults are queued on ``service.faults``.
"""

from iqp_wrapper.testing.fake.app import Exchange
from iqp_wrapper.testing.fake.catalog import (
    DEFAULT_API_KEY,
    DEFAULT_BACKENDS,
    DEFAULT_CRN,
    OTHER_REGION_CRN,
    FakeBackend,
    Plan,
)
from iqp_wrapper.testing.fake.clock import Clock, ManualClock
from iqp_wrapper.testing.fake.fake_service import FakeService
from iqp_wrapper.testing.fake.faults import Fault, Faults
from iqp_wrapper.testing.fake.iam import decode_claims
from iqp_wrapper.testing.fake.ratelimit import RateLimit
from iqp_wrapper.testing.fake.routes import IAM_TOKEN, OPERATIONS
from iqp_wrapper.testing.fake.schedule import JobPlan, JobSpec, Schedule
from iqp_wrapper.testing.fake.server import FakeServer
from iqp_wrapper.testing.fake.transport import FakeTransport
from iqp_wrapper.testing.fake.versions import DEFAULT_VERSIONS, VersionInfo

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_BACKENDS",
    "DEFAULT_CRN",
    "DEFAULT_VERSIONS",
    "IAM_TOKEN",
    "OPERATIONS",
    "OTHER_REGION_CRN",
    "Clock",
    "Exchange",
    "FakeBackend",
    "FakeServer",
    "FakeService",
    "FakeTransport",
    "Fault",
    "Faults",
    "JobPlan",
    "JobSpec",
    "ManualClock",
    "Plan",
    "RateLimit",
    "Schedule",
    "VersionInfo",
    "decode_claims",
]
