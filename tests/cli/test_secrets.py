"""No API key or bearer token ever reaches the CLI's output or a log record, whatever the
command and however it ends, with --verbose logging on."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest

from iqp_wrapper import IQPClient
from iqp_wrapper.testing.fake import FakeService, ManualClock
from tests.helpers.submitting import submit

from .conftest import Cli

KEY = "test-key-4f8a2c9e71d3b5a0-not-real"
WRONG_KEY = "test-key-0000ffff1111eeee-wrong"

pytestmark = pytest.mark.iqp_fake(api_keys=[KEY], rate_limit=None)


def _tokens(service: FakeService) -> set[str]:
    """Every token the fake's IAM issued, and every bearer value a request carried."""
    found = set()
    for exchange in service.history:
        if exchange.operation == "iam_token" and exchange.response.status == 200:
            found.add(json.loads(exchange.response.body)["access_token"])
        authorization = exchange.request.header("authorization") or ""
        if authorization.startswith("Bearer ") and len(authorization) > len("Bearer "):
            found.add(authorization.removeprefix("Bearer "))
    return found


def test_no_secret_in_any_output_or_log(
    cli: Cli,
    iqp_fake: FakeService,
    iqp_connect: Callable[..., IQPClient],
    iqp_clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    iqp_client = iqp_connect(api_key=KEY)
    done = submit(iqp_client)
    iqp_clock.advance(10)
    running = submit(iqp_client)
    commands = [
        ("doctor",),
        ("doctor", "--json"),
        ("backends",),
        ("usage", "--json"),
        ("versions",),
        ("jobs", "list"),
        ("jobs", "show", done, "--json"),
        ("jobs", "results", done),
        ("jobs", "logs", done),
        ("jobs", "wait", running, "--json"),
        ("jobs", "results", submit(iqp_client), "--wait"),
        ("jobs", "cancel", submit(iqp_client)),
        ("jobs", "delete", done),
        ("jobs", "show", "no-such-job"),
        ("jobs", "cancel", running, "--json"),
    ]
    outputs = []
    for command in commands:
        ran = cli("--verbose", *command, env={"IQP_API_TOKEN": KEY})
        outputs.append((command, ran.code, ran.out + ran.err))
    for command in (("doctor",), ("backends", "--json"), ("jobs", "list")):
        ran = cli("-v", *command, env={"IQP_API_TOKEN": WRONG_KEY})
        outputs.append((command, ran.code, ran.out + ran.err))

    secrets = {KEY, WRONG_KEY} | _tokens(iqp_fake)
    assert len(secrets) > 5  # the runs did exchange keys for tokens
    logged = [record.getMessage() for record in caplog.records]
    assert any("HTTP Request" in message for message in logged)  # --verbose did log
    assert any("BXNIM0415E" in text for _, _, text in outputs)  # and the refusals were reported
    for command, _, text in outputs:
        assert "***" not in text, command  # nothing even tried to print a secret (the mask never fired)
        for secret in secrets:
            assert secret not in text, command
    for message in logged:
        for secret in secrets:
            assert secret not in message
