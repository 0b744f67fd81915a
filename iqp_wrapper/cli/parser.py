"""The command line: commands, their options, and the help that documents exit codes."""

from __future__ import annotations

import argparse

from iqp_wrapper._version import __version__
from iqp_wrapper.config.settings import ENV_API_KEY, ENV_API_VERSION, ENV_IAM_URL, ENV_SERVICE_CRN, ENV_URL

from . import connection, demo, doctor, exits, fake_serve, info, jobs, login, run
from .jobs import DEFAULT_LIST_LIMIT
from .waiting import add_wait_options

DESCRIPTION = "Use and check IBM Quantum Platform's Qiskit Runtime REST API from the shell."

EPILOG = f"""\
credentials:
  the API key comes from {ENV_API_KEY}, an account saved with `iqp login` (key in the OS
  keyring), or a saved qiskit-ibm-runtime account (never from the command line); the
  instance from --crn, {ENV_SERVICE_CRN} or the saved account.
  Also read: {ENV_URL}, {ENV_IAM_URL}, {ENV_API_VERSION}. Start with `iqp doctor`,
  or try everything without an account with `iqp demo`.

exit codes:
""" + "\n".join(f"  {code:<4} {meaning}" for code, meaning in exits.DESCRIPTIONS)


def build() -> argparse.ArgumentParser:
    """The ``iqp`` parser; each command sets ``handler``."""
    common = argparse.ArgumentParser(add_help=False)
    connection.add_options(common)
    parser = argparse.ArgumentParser(
        prog="iqp",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument(
        "--version", action="version", version=f"iqp {__version__}", help="print the version and exit"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=help,
            description=help,
            parents=[common],
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    command("doctor", "check your setup step by step and say how to fix what is wrong").set_defaults(
        handler=doctor.doctor
    )

    backends = command("backends", "list the backends the instance may use")
    backends.add_argument("--wait-times", action="store_true", help="also ask for recent queue wait times")
    backends.set_defaults(handler=info.backends)

    _jobs(command("jobs", "list, inspect, wait for, cancel and delete jobs"), common)
    run.add_commands(command("run", "run a circuit and print counts or expectation values"), common)

    login.add_commands(command)
    command("usage", "show the instance's usage in the current period").set_defaults(handler=info.usage)
    command("versions", "list the API versions and their status (no credentials needed)").set_defaults(
        handler=info.versions
    )
    command(
        "demo", "run the whole path against a fake service on 127.0.0.1 (no account needed)"
    ).set_defaults(handler=demo.demo)

    fake = command("fake", "run the embedded fake service")
    fake_commands = fake.add_subparsers(
        title="commands", metavar="COMMAND", dest="fake_command", required=True
    )
    serve = fake_commands.add_parser(
        "serve",
        help="serve the fake over HTTP on 127.0.0.1 until Ctrl-C",
        description="Serve the fake service and IAM on 127.0.0.1 until Ctrl-C, printing what to set.",
        parents=[common],
    )
    serve.add_argument(
        "--port", type=int, default=0, metavar="N", help="port to listen on (default: a free one)"
    )
    serve.add_argument(
        "--token-lifetime",
        type=float,
        default=fake_serve.DEFAULT_TOKEN_LIFETIME,
        metavar="SECONDS",
        help=f"seconds an IAM token lives ({fake_serve.DEFAULT_TOKEN_LIFETIME:g})",
    )
    plan = fake_serve.DEFAULT_PLAN
    for status, lasts in (("Queued", plan.queued_seconds), ("Running", plan.running_seconds)):
        serve.add_argument(
            f"--{status.lower()}",
            type=float,
            default=lasts,
            metavar="SECONDS",
            help=f"seconds each job stays {status} ({lasts:g})",
        )
    serve.add_argument(
        "--outcome",
        choices=("Completed", "Failed", "Cancelled"),
        default="Completed",
        help="how jobs end (one job: tag it fake-outcome:Failed[:CODE[:REASON]])",
    )
    serve.add_argument("--reason", default="", help="the state reason of Failed or Cancelled jobs")
    serve.add_argument(
        "--reason-code", type=int, default=None, metavar="CODE", help="their reason code (1000-9999)"
    )
    serve.add_argument("--no-rate-limit", action="store_true", help="accept any number of job submissions")
    serve.add_argument(
        "--clock-skew",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="run the fake's clock ahead (or behind)",
    )
    serve.set_defaults(handler=fake_serve.serve)
    return parser


def _jobs(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", dest="jobs_command", required=True)

    def job_command(name: str, help: str) -> argparse.ArgumentParser:
        found = sub.add_parser(name, help=help, description=help, parents=[common])
        if name != "list":
            found.add_argument("job_id", metavar="JOB_ID")
        return found

    listing = job_command("list", "list jobs, newest first")
    listing.add_argument(
        "--limit",
        type=int,
        metavar="N",
        default=DEFAULT_LIST_LIMIT,
        help=f"at most N jobs ({DEFAULT_LIST_LIMIT})",
    )
    listing.add_argument("--all", action="store_true", help="every matching job")
    state = listing.add_mutually_exclusive_group()
    state.add_argument("--pending", action="store_true", help="only queued and running jobs")
    state.add_argument("--finished", action="store_true", help="only jobs that have ended")
    listing.add_argument("--program", help="only jobs of this program (sampler, estimator...)")
    listing.add_argument("--backend", help="only jobs on this backend")
    listing.add_argument("--session", help="only jobs of this session or batch")
    listing.add_argument("--tag", action="append", help="only jobs with this tag (repeat for several)")
    listing.add_argument(
        "--created-after", metavar="WHEN", help="ISO 8601 date or date-time (UTC if no zone)"
    )
    listing.add_argument(
        "--created-before", metavar="WHEN", help="ISO 8601 date or date-time (UTC if no zone)"
    )
    listing.add_argument("--oldest-first", action="store_true", help="oldest first")
    listing.set_defaults(handler=jobs.list_)

    show = job_command("show", "show a job's details")
    show.add_argument("--params", action="store_true", help="include the job's input parameters")
    show.set_defaults(handler=jobs.show)

    results = job_command("results", "print a job's final result")
    results.add_argument("--wait", action="store_true", help="wait for the job to end first")
    add_wait_options(results)
    results.set_defaults(handler=jobs.results)

    job_command("logs", "print a job's logs").set_defaults(handler=jobs.logs)

    wait = job_command("wait", "wait for a job to end, showing its progress")
    add_wait_options(wait)
    wait.set_defaults(handler=jobs.wait)

    job_command("cancel", "cancel a queued or running job").set_defaults(handler=jobs.cancel)
    job_command("delete", "delete an ended job with its results and logs").set_defaults(handler=jobs.delete)
