"""Submitting jobs through the real client, for tests that need some."""

from __future__ import annotations

from typing import Any

from iqp_api.api.jobs import create_job
from iqp_api.client import AuthenticatedClient
from iqp_api.models import JobRunParams
from iqp_wrapper import unwrap


def submit(client: AuthenticatedClient, **fields: Any) -> str:
    """Create a job (a sampler on fake_heron unless told otherwise) and return its ID."""
    body = JobRunParams.from_dict({"program_id": "sampler", "backend": "fake_heron", **fields})
    return unwrap(create_job.sync_detailed(client=client, body=body)).id


async def asubmit(client: AuthenticatedClient, **fields: Any) -> str:
    """``submit`` for async tests."""
    body = JobRunParams.from_dict({"program_id": "sampler", "backend": "fake_heron", **fields})
    return unwrap(await create_job.asyncio_detailed(client=client, body=body)).id
