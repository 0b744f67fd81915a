"""The pytest plugin: its fixtures as users get them, and that it costs other runs nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from iqp_api.api.backends import list_backends
from iqp_api.api.versions import get_versions
from iqp_wrapper import IQPClient, connect, unwrap
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, DEFAULT_CRN, FakeServer, FakeService, ManualClock

from .submitting import submit


def test_a_users_test_is_three_lines(iqp_client: IQPClient) -> None:
    backends = iqp_client.backends.list()
    assert [device.name for device in backends.devices] == ["fake_heron", "fake_eagle", "fake_falcon"]


async def test_the_async_client(iqp_async_client: IQPClient) -> None:
    backends = unwrap(await list_backends.asyncio_detailed(client=iqp_async_client))
    assert len(backends.devices) == 3


def test_the_client_goes_through_iam_and_sends_the_headers(
    iqp_client: IQPClient, iqp_fake: FakeService
) -> None:
    unwrap(list_backends.sync_detailed(client=iqp_client))
    assert iqp_fake.iam_calls == 1
    request = iqp_fake.history[-1].request
    assert request.header("service-crn") == DEFAULT_CRN
    assert request.header("ibm-api-version") == iqp_fake.live_version
    assert (request.header("authorization") or "").startswith("Bearer ")


def test_jobs_move_on_the_manual_clock(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock
) -> None:
    job_id = submit(iqp_client)
    assert iqp_fake.job_status(job_id) == "Queued"
    iqp_clock.advance(5)
    assert iqp_fake.job_status(job_id) == "Completed"


@pytest.mark.iqp_fake(token_lifetime=30, seed=5)
def test_the_marker_configures_the_fake(
    iqp_client: IQPClient, iqp_fake: FakeService, iqp_clock: ManualClock
) -> None:
    unwrap(list_backends.sync_detailed(client=iqp_client))
    iqp_clock.advance(25)  # past 80% of 30 s: the next call refreshes the token
    unwrap(list_backends.sync_detailed(client=iqp_client))
    assert iqp_fake.iam_calls == 2


def test_the_server_and_a_client_over_http(
    iqp_server: FakeServer, iqp_connect: Callable[..., IQPClient], iqp_fake: FakeService
) -> None:
    assert iqp_server.url.startswith("http://127.0.0.1:")
    client = iqp_connect(server=iqp_server, api_version="2026-03-15")
    response = list_backends.sync_detailed(client=client)
    assert unwrap(response).devices
    assert response.headers["IBM-API-Version-Status"] == "deprecated"


def test_the_environment_points_connect_at_the_fake(iqp_env: dict[str, str], iqp_fake: FakeService) -> None:
    assert iqp_env["IQP_API_TOKEN"] == DEFAULT_API_KEY
    with connect() as client:  # what an application does
        assert unwrap(get_versions.sync_detailed(client=client)).versions
        assert len(unwrap(list_backends.sync_detailed(client=client)).devices) == 3
    assert iqp_fake.iam_calls == 1


def test_the_plugin_imports_nothing_heavy_until_used() -> None:
    code = (
        "import sys, iqp_wrapper.testing.plugin\n"
        "heavy = ('httpx', 'iqp_api', 'iqp_wrapper.testing.fake', 'iqp_wrapper.client')\n"
        "print([name for name in heavy if name in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _pytest(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


def test_the_entry_point_gives_a_users_project_the_fixtures(tmp_path: Path) -> None:
    (tmp_path / "test_app.py").write_text(
        textwrap.dedent(
            """
            from iqp_api.api.backends import list_backends
            from iqp_wrapper import unwrap

            def test_backends(iqp_client):
                assert len(unwrap(list_backends.sync_detailed(client=iqp_client)).devices) == 3

            def test_no_fixture_is_autouse(request):
                assert not {"iqp_fake", "iqp_client", "iqp_server"} & set(request.fixturenames)
            """
        )
    )
    done = _pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
    disabled = _pytest(tmp_path, "-p", "no:iqp")
    assert disabled.returncode == 1 and "fixture 'iqp_client' not found" in disabled.stdout
