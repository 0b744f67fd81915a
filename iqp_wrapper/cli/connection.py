"""From the global options to settings and clients: the CLI's one way to reach the API.

Every option falls back to the wrapper's own sources (environment, saved account), so
``iqp`` works wherever ``iqp_wrapper.connect()`` does. The API key is never an option:
a command line is visible to other users (``ps``) and kept in shell history.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import httpx

from iqp_api.client import Client
from iqp_wrapper.client import IQPClient, build_client
from iqp_wrapper.config.settings import DEFAULT_TIMEOUT, ENV_SERVICE_CRN, ENV_URL, Settings, resolve_settings
from iqp_wrapper.credentials.qiskit_file import DEFAULT_ACCOUNTS_FILE
from iqp_wrapper.crn import DEFAULT_REGION, api_url_for, parse_crn
from iqp_wrapper.errors import ConfigError, ConfigSource
from iqp_wrapper.origin import Spelling
from iqp_wrapper.transport.headers import USER_AGENT
from iqp_wrapper.transport.network import Network
from iqp_wrapper.transport.retry import RetryPolicy

from .world import World

SUPPRESS = argparse.SUPPRESS

CLI_SPELLING = Spelling(
    {
        "api_key": None,  # never an option: a command line shows in `ps` and shell history
        "service_crn": "--crn",
        "url": "--url",
        "iam_url": "--iam-url",
        "api_version": "--api-version",
        "account": "--account",
        "accounts_file": "--accounts-file",
        "timeout": "--timeout",
    }
)
"""How settings are given on the command line, for the wrapper's messages."""


def add_options(parser: argparse.ArgumentParser) -> None:
    """The global options. Defaults are left out of the namespace (SUPPRESS), so an option
    given before or after the command name counts, and a missing one means "not given"."""
    group = parser.add_argument_group("connection (each defaults to the environment, then the saved account)")
    group.add_argument(
        "--url", default=SUPPRESS, help="API base URL (IQP_URL; default: from the CRN's region)"
    )
    group.add_argument(
        "--iam-url", metavar="URL", default=SUPPRESS, help="IAM URL (IQP_IAM_URL; default: IBM Cloud's)"
    )
    group.add_argument("--crn", default=SUPPRESS, help="instance CRN (IQP_SERVICE_CRN)")
    group.add_argument(
        "--api-version", metavar="DATE", default=SUPPRESS, help="IBM-API-Version date (IQP_API_VERSION)"
    )
    group.add_argument(
        "--account", metavar="NAME", default=SUPPRESS, help="name of a saved account (iqp login, qiskit)"
    )
    group.add_argument(
        "--accounts-file",
        metavar="PATH",
        default=SUPPRESS,
        help=f"saved-accounts file (default {DEFAULT_ACCOUNTS_FILE})",
    )
    group.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=float,
        default=SUPPRESS,
        help=f"request timeout in seconds (default: {DEFAULT_TIMEOUT.read:g} s, "
        f"{DEFAULT_TIMEOUT.connect:g} s to connect)",
    )
    out = parser.add_argument_group("output")
    out.add_argument("--json", action="store_true", default=SUPPRESS, help="print JSON for scripts")
    out.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=SUPPRESS,
        help="log requests to stderr (never secrets)",
    )


def option(args: argparse.Namespace, name: str) -> str | None:
    """A global option's value, or None if it was not given."""
    value = getattr(args, name, None)
    return None if value is None else str(value)


def bad_argument(message: str, *, setting: str, problem: str) -> ConfigError:
    """The error for a value typed on the command line that cannot be used; ``iqp``
    shows the message and exits with USAGE, nothing sent."""
    return ConfigError(message, setting=setting, source=ConfigSource.ARGUMENT, problem=problem)


def wants_json(args: argparse.Namespace) -> bool:
    """True if ``--json`` was given, before or after the command."""
    return bool(getattr(args, "json", False))


def settings(args: argparse.Namespace, world: World) -> Settings:
    """The resolved settings; ConfigError says what is missing or wrong."""
    timeout = getattr(args, "timeout", None)
    accounts_file = option(args, "accounts_file")
    resolved = resolve_settings(
        None,
        service_crn=option(args, "crn"),
        api_version=option(args, "api_version"),
        url=option(args, "url"),
        iam_url=option(args, "iam_url"),
        account=option(args, "account"),
        accounts_file=Path(accounts_file) if accounts_file else None,
        timeout=timeout,
        environ=world.environ,
        spelling=CLI_SPELLING,
    )
    world.mask(resolved.api_key.reveal())
    return resolved


def client(args: argparse.Namespace, world: World, *, retries: RetryPolicy | bool = True) -> IQPClient:
    """A client for the configured instance (use it in ``with``)."""
    return build_client(settings(args, world), retries=retries)


def public_client(args: argparse.Namespace, world: World) -> Client:
    """A client without credentials, for GET /v1/versions, which needs neither key nor CRN.

    Its URL is the configured one when the configuration is complete; otherwise ``--url``
    or IQP_URL; otherwise the region of a CRN given; otherwise us-east's.
    """
    try:
        resolved = settings(args, world)
    except ConfigError:
        url = _url_without_settings(args, world)
        given = getattr(args, "timeout", None)
        timeout = httpx.Timeout(given) if given else DEFAULT_TIMEOUT
        return _bare_client(url, Network(), timeout)
    return client_without_credentials(resolved)


def client_without_credentials(resolved: Settings) -> Client:
    """A client of ``resolved``'s API that sends no token, CRN or version."""
    return _bare_client(resolved.base_url, resolved.network, resolved.timeout)


def _bare_client(url: str, network: Network, timeout: httpx.Timeout) -> Client:
    return Client(
        base_url=url,
        headers={"User-Agent": USER_AGENT},
        timeout=timeout,
        follow_redirects=False,
        httpx_args={"transport": network.transport(url)},
    )


def _url_without_settings(args: argparse.Namespace, world: World) -> str:
    given = option(args, "url") or world.environ.get(ENV_URL)
    if given:
        return given.rstrip("/")
    crn_text = option(args, "crn") or world.environ.get(ENV_SERVICE_CRN)
    if crn_text:
        try:
            return api_url_for(parse_crn(crn_text, source="the CRN given").region)
        except ConfigError:
            pass
    return api_url_for(DEFAULT_REGION)
