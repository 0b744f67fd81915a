"""The application the README's testing examples import (``from my_app import ...``).

Written for tests/readme: the README shows tests of an application; this is that application.
"""

from __future__ import annotations

from iqp_api.api.jobs import create_job
from iqp_api.models import JobRunParams
from iqp_wrapper import IQPClient, unwrap


def online_backends(client: IQPClient) -> list[str]:
    devices = client.backends.list().devices
    return [device.name for device in devices if device.status.name == "online"]


def submit_bell_job(client: IQPClient) -> str:
    body = JobRunParams.from_dict(
        {"program_id": "sampler", "backend": "fake_heron", "params": {"pubs": [["q"]]}}
    )
    return unwrap(create_job.sync_detailed(client=client, body=body)).id
