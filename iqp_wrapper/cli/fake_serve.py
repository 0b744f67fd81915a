"""``iqp fake serve``: the embedded fake over HTTP on 127.0.0.1 until Ctrl-C, with what to
set to use it (the fake's own key and CRN: not secrets)."""

from __future__ import annotations

import argparse
import contextlib
import inspect

from iqp_wrapper.config.settings import ENV_API_KEY, ENV_IAM_URL, ENV_SERVICE_CRN, ENV_URL
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, FakeService, JobPlan, RateLimit

from . import exits
from .output import pairs, to_json
from .world import World

# The fake's own defaults, which the options' help shows.
DEFAULT_PLAN = JobPlan()
DEFAULT_TOKEN_LIFETIME: float = inspect.signature(FakeService).parameters["token_lifetime"].default


def serve(args: argparse.Namespace, world: World) -> int:
    """Serve until interrupted."""
    try:
        plan = JobPlan(
            queued_seconds=args.queued,
            running_seconds=args.running,
            outcome=args.outcome,
            reason=getattr(args, "reason", ""),
            reason_code=getattr(args, "reason_code", None),
        )
    except ValueError as error:
        world.err(f"iqp: {error}")
        return exits.USAGE
    service = FakeService(
        clock=world.wall_clock,
        token_lifetime=args.token_lifetime,
        schedule=plan,
        rate_limit=None if args.no_rate_limit else RateLimit(),
    )
    service.clock_skew = args.clock_skew
    try:
        server = service.serve(port=args.port)
    except OSError as error:
        world.err(f"iqp: cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}")
        return exits.USAGE
    with server:
        values = {
            ENV_URL: server.url,
            ENV_IAM_URL: server.iam_url,
            ENV_API_KEY: DEFAULT_API_KEY,
            ENV_SERVICE_CRN: service.crn,
        }
        if getattr(args, "json", False):
            world.out(
                to_json(
                    {
                        "url": server.url,
                        "iam_url": server.iam_url,
                        "api_key": DEFAULT_API_KEY,
                        "crn": service.crn,
                        "environment": values,
                    }
                )
            )
        else:
            world.out("A fake Qiskit Runtime service and IAM are running (Ctrl-C stops them).")
            world.out(
                pairs(
                    [
                        ("API URL", server.url),
                        ("IAM URL", server.iam_url),
                        ("API key", f"{DEFAULT_API_KEY}  (the fake's own; not a secret)"),
                        ("CRN", service.crn),
                    ]
                )
            )
            world.out("")
            world.out("To use it from another shell:")
            world.out("  export " + " ".join(f"{name}='{value}'" for name, value in values.items()))
            world.out("  iqp doctor")
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how it is meant to stop
            world.block()
    if not getattr(args, "json", False):
        world.out("Stopped.")
    return exits.OK
