"""The doctor's first steps, made without a request: API key, service CRN, API URL.

The settings are resolved exactly as every command resolves them. When that fails, the
ConfigError is the authority on what to fix; its ``setting`` and ``problem`` fields decide
which step it belongs to (never its wording), and the probes below say what the other
steps found, so that the report can say "key OK, CRN wrong" rather than "configuration
wrong".
"""

from __future__ import annotations

import argparse
from pathlib import Path

import httpx

from iqp_wrapper.config.settings import ENV_API_KEY, ENV_SERVICE_CRN, Settings
from iqp_wrapper.credentials.qiskit_file import DEFAULT_ACCOUNTS_FILE, SavedAccount
from iqp_wrapper.credentials.source import find_account
from iqp_wrapper.crn import parse_crn, region_of_api_host
from iqp_wrapper.errors import ConfigError, ConfigSource
from iqp_wrapper.origin import Origin

from .. import connection
from ..world import World
from .report import Check, fail, ok, skip

KEY, CRN, URL = "api_key", "service_crn", "api_url"
KEY_TITLE, CRN_TITLE, URL_TITLE = "API key", "service CRN", "API URL"
KEYS_PAGE = "https://cloud.ibm.com/iam/apikeys"
INSTANCES_PAGE = "https://quantum.cloud.ibm.com/instances"


def configuration(args: argparse.Namespace, world: World) -> tuple[Settings | None, list[Check]]:
    """The settings (None if they cannot be resolved) and the three configuration checks."""
    try:
        settings = connection.settings(args, world)
    except ConfigError as error:
        return None, _pinpoint(args, world, error)
    return settings, [_key(settings), _crn(settings), _url(settings)]


def _key(settings: Settings) -> Check:
    length = len(settings.api_key.reveal())  # its length only: the key itself is never shown
    return ok(KEY, KEY_TITLE, f"present ({length} characters), from {settings.sources['api_key']}")


def _crn(settings: Settings) -> Check:
    crn = parse_crn(settings.service_crn, source=settings.sources["service_crn"])
    where = " (IBM Cloud staging)" if crn.staging else ""
    return ok(
        CRN,
        CRN_TITLE,
        f"a Qiskit Runtime ({crn.service_name}) instance in {crn.region}{where}, "
        f"from {settings.sources['service_crn']}",
    )


def _url(settings: Settings) -> Check:
    region = region_of_api_host(httpx.URL(settings.base_url).host)
    source = settings.sources["base_url"]
    if region is None:
        said = f"not an IBM Quantum host: the instance check tells whether it serves {settings.region}"
    else:
        said = f"serves {region}, the CRN's region"
    return ok(URL, URL_TITLE, f"{settings.base_url}, from {source}; {said}")


# The settings whose errors belong to the API URL step.
_URL_SETTINGS = ("url", "iam_url", "region")


def _pinpoint(args: argparse.Namespace, world: World, error: ConfigError) -> list[Check]:
    message = str(error)
    saved, saved_problem = _saved_account(args, world)
    if saved_problem is not None:
        return [
            fail(
                KEY, KEY_TITLE, "the saved account cannot be used", fix=saved_problem, problem="bad_account"
            ),
            skip(CRN, CRN_TITLE, "needs a usable account"),
            skip(URL, URL_TITLE, "needs a usable account"),
        ]
    checks: list[Check] = []
    key_source = _key_source(world, saved)
    if key_source is None:
        checks.append(
            fail(
                KEY,
                KEY_TITLE,
                "not found",
                fix=f"run `iqp login` (the key goes to the OS keyring), or set {ENV_API_KEY} to your IBM "
                f"Cloud API key (create one at {KEYS_PAGE}), or save an account with qiskit-ibm-runtime",
                problem="missing_key",
            )
        )
    elif error.setting == "api_key":
        checks.append(
            fail(KEY, KEY_TITLE, f"found in {key_source}, but unusable", fix=message, problem="bad_key")
        )
    else:
        checks.append(ok(KEY, KEY_TITLE, f"present, from {key_source}"))

    crn_text, crn_source = _crn_text(args, world, saved)
    crn_ok = False
    if crn_text is None:
        checks.append(
            fail(
                CRN,
                CRN_TITLE,
                "not found",
                fix=f"set {ENV_SERVICE_CRN} (or pass --crn) to your instance's CRN, from {INSTANCES_PAGE}",
                problem="missing_crn",
            )
        )
    else:
        try:
            crn = parse_crn(crn_text, source=crn_source)
        except ConfigError as crn_error:
            if crn_error.problem == "wrong_service":
                checks.append(
                    fail(
                        CRN,
                        CRN_TITLE,
                        "not a Qiskit Runtime instance",
                        fix=str(crn_error),
                        problem="wrong_service",
                    )
                )
            else:
                checks.append(fail(CRN, CRN_TITLE, "does not parse", fix=str(crn_error), problem="bad_crn"))
        else:
            crn_ok = True
            checks.append(
                ok(CRN, CRN_TITLE, f"a {crn.service_name} instance in {crn.region}, from {crn_source}")
            )

    if error.setting == "url" and error.problem == "wrong_region":
        checks.append(
            fail(URL, URL_TITLE, "its region is not the CRN's", fix=message, problem="wrong_region")
        )
    elif error.setting in _URL_SETTINGS:
        checks.append(fail(URL, URL_TITLE, "unusable", fix=message, problem="bad_url"))
    elif not crn_ok:
        checks.append(skip(URL, URL_TITLE, "needs a valid CRN"))
    elif all(check.passed for check in checks):
        # Nothing above explains the error: show it as it is.
        checks.append(fail(URL, "configuration", "unusable", fix=message, problem="bad_config"))
    else:
        checks.append(skip(URL, URL_TITLE, "needs the steps above"))
    return checks


def _saved_account(args: argparse.Namespace, world: World) -> tuple[SavedAccount | None, str | None]:
    """The saved account the configuration would read, or why it cannot be read."""
    account = connection.option(args, "account")
    if account is None and world.environ.get(ENV_API_KEY):
        return None, None  # a key from the environment: the saved account is not consulted
    given = connection.option(args, "accounts_file")
    path = Path(given) if given else DEFAULT_ACCOUNTS_FILE
    try:
        return find_account(path, account, world.environ), None
    except ConfigError as error:
        return None, str(error)


def _key_source(world: World, saved: SavedAccount | None) -> str | None:
    if world.environ.get(ENV_API_KEY):
        return f"the environment variable {ENV_API_KEY}"
    if saved is not None and saved.token:
        return saved.label
    return None


def _crn_text(args: argparse.Namespace, world: World, saved: SavedAccount | None) -> tuple[str | None, str]:
    given = connection.option(args, "crn")
    if given:
        return given, connection.CLI_SPELLING.given("service_crn")
    if world.environ.get(ENV_SERVICE_CRN):
        return world.environ[ENV_SERVICE_CRN], Origin(
            f"the environment variable {ENV_SERVICE_CRN}", ConfigSource.ENVIRONMENT
        )
    if saved is not None and saved.instance:
        return saved.instance, Origin(saved.label, saved.source)
    return None, ""
