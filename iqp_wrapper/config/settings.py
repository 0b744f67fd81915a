"""Where connection settings come from, checked before any request is made.

Each setting is taken from the first of: an explicit argument, the environment, an
account saved with ``iqp login`` (key in the OS keyring), a saved qiskit-ibm-runtime
account. A saved account is consulted when one is named with
``account=``, or when no API key was given as an argument or in the environment; a key
from the environment is therefore never paired with an instance from the file by
accident.
"""

from __future__ import annotations

import datetime
import os
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx

from iqp_api.api_version import API_VERSION
from iqp_wrapper._secret import Secret
from iqp_wrapper.auth.flow import DEFAULT_IAM_TIMEOUT
from iqp_wrapper.config.checks import tls_from_environment
from iqp_wrapper.config.input_checks import check_credentials
from iqp_wrapper.config.sources import Search
from iqp_wrapper.credentials.qiskit_file import DEFAULT_ACCOUNTS_FILE, SavedAccount
from iqp_wrapper.credentials.source import find_account
from iqp_wrapper.crn import (
    CRN,
    KNOWN_REGIONS,
    api_url_for,
    iam_url_for,
    parse_crn,
    region_of_api_host,
)
from iqp_wrapper.errors import ConfigError, ConfigSource
from iqp_wrapper.origin import KEYWORD_ARGUMENTS, Origin, Spelling, kind_of
from iqp_wrapper.transport.network import Network, redact_userinfo

ENV_API_KEY = "IQP_API_TOKEN"
ENV_SERVICE_CRN = "IQP_SERVICE_CRN"
ENV_API_VERSION = "IQP_API_VERSION"
ENV_URL = "IQP_URL"
ENV_IAM_URL = "IQP_IAM_URL"
# The setting each environment variable gives, for ConfigError.setting.
_SETTING_OF_ENV = {
    ENV_API_KEY: "api_key",
    ENV_SERVICE_CRN: "service_crn",
    ENV_API_VERSION: "api_version",
    ENV_URL: "url",
    ENV_IAM_URL: "iam_url",
}

DEFAULT_API_VERSION: str = API_VERSION
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)

# Only loopback may be reached over plain http: a bearer token must not cross a network
# in clear text.
_LOOPBACK = ("localhost", "127.0.0.1", "::1")
# IBM Cloud console hosts: a saved account's "url" names one of these (qiskit-ibm-runtime
# derives IAM from it), not the Qiskit Runtime API.
_CLOUD_CONSOLE_HOSTS = ("cloud.ibm.com", "test.cloud.ibm.com")
# The retired API of older qiskit-ibm-runtime versions; a saved url there is ignored.
_RETIRED_API_SUFFIX = "quantum-computing.cloud.ibm.com"
_VERSION_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PRIVATE = "private."
_PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")

_T = TypeVar("_T")
TimeoutLike = float | httpx.Timeout


@dataclass(frozen=True, repr=False)
class Settings:
    """Everything needed to talk to one Qiskit Runtime instance, already validated.

    Attributes:
        api_key: the IBM Cloud API key (only IAM ever sees it).
        service_crn: the instance CRN, sent as Service-CRN.
        region: the instance's region, from the CRN.
        api_version: sent as IBM-API-Version.
        base_url: the API root, for example ``https://quantum.cloud.ibm.com/api``.
        iam_url: the IAM root, for example ``https://iam.cloud.ibm.com``.
        network: TLS and proxy settings for both IAM and the API.
        timeout: per-request timeout for API calls.
        iam_timeout: timeout for the IAM token exchange.
        sources: where each setting came from, for messages and debugging.
    """

    api_key: Secret
    service_crn: str
    region: str
    api_version: str
    base_url: str
    iam_url: str
    network: Network
    timeout: httpx.Timeout
    iam_timeout: httpx.Timeout
    sources: Mapping[str, str]

    def __repr__(self) -> str:
        # Written out rather than generated so that no future field can slip a secret in.
        return (
            f"Settings(api_key={self.api_key!r}, service_crn={self.service_crn!r}, "
            f"region={self.region!r}, api_version={self.api_version!r}, "
            f"base_url={self.base_url!r}, iam_url={self.iam_url!r}, "
            f"network={self.network!r}, timeout={self.timeout!r}, "
            f"iam_timeout={self.iam_timeout!r})"
        )


def resolve_settings(
    api_key: str | None = None,
    *,
    service_crn: str | None = None,
    api_version: str | None = None,
    url: str | None = None,
    iam_url: str | None = None,
    region: str | None = None,
    private_endpoint: bool | None = None,
    account: str | None = None,
    accounts_file: str | os.PathLike[str] | None = None,
    verify: bool | str | ssl.SSLContext | None = None,
    proxies: str | Mapping[str, str] | None = None,
    trust_env: bool = True,
    timeout: TimeoutLike | None = None,
    iam_timeout: TimeoutLike | None = None,
    environ: Mapping[str, str] | None = None,
    spelling: Spelling = KEYWORD_ARGUMENTS,
) -> Settings:
    """Gather, check and complete the settings; raise ConfigError saying what to fix.

    Arguments win over the environment, which wins over the saved account. ``environ``
    defaults to ``os.environ``; ``spelling`` says how the caller gives settings directly
    (the CLI's options), for messages.
    """
    env = os.environ if environ is None else environ
    sources: dict[str, str] = {}

    key_given = _first(_arg(api_key, "api_key", spelling), _from_env(env, ENV_API_KEY))
    accounts_path = Path(accounts_file) if accounts_file is not None else DEFAULT_ACCOUNTS_FILE
    saved: SavedAccount | None = None
    if account is not None or key_given is None:
        saved = find_account(accounts_path, account, env)

    search = Search(
        spelling, env, accounts_path, account, saved, key_origin=key_given[1] if key_given else None
    )
    key, sources["api_key"] = _require(
        key_given or _from_saved(saved, saved.token.reveal() if saved and saved.token else None, "api_key"),
        f"No API key was found. {_capitalised(_pass_or_set(spelling, 'api_key', ENV_API_KEY))}, "
        "or save an account with `iqp login` or qiskit-ibm-runtime. "
        "Create a key at https://cloud.ibm.com/iam/apikeys. " + search.looked_in("api_key", ENV_API_KEY),
        setting="api_key",
    )
    _check_api_key(key, sources["api_key"])

    crn_text, sources["service_crn"] = _require(
        _first(_arg(service_crn, "service_crn", spelling), _from_env(env, ENV_SERVICE_CRN))
        or _from_saved(saved, saved.instance if saved else None, "service_crn"),
        "No service CRN was found. "
        f"{_capitalised(_pass_or_set(spelling, 'service_crn', ENV_SERVICE_CRN))} to your instance's "
        "CRN (on https://quantum.cloud.ibm.com/instances). "
        + search.looked_in("service_crn", ENV_SERVICE_CRN),
        setting="service_crn",
    )
    _check_not_mixed(sources["api_key"], sources["service_crn"], saved, spelling)
    check_credentials(key, sources["api_key"], crn_text, sources["service_crn"])
    crn = parse_crn(crn_text, source=sources["service_crn"])
    _check_region(crn, region, saved, sources["service_crn"])

    version, sources["api_version"] = _first(
        _arg(api_version, "api_version", spelling), _from_env(env, ENV_API_VERSION)
    ) or (DEFAULT_API_VERSION, Origin("the version this client was generated for", ConfigSource.DEFAULT))
    _check_api_version(version, sources["api_version"])

    private = _pick(private_endpoint, saved.private_endpoint if saved else None, default=False)
    saved_cloud_host = _cloud_console_host(saved.url if saved else None)

    api_url_given = _first(_arg(url, "url", spelling), _from_env(env, ENV_URL))
    if (
        api_url_given is None
        and saved is not None
        and saved.url
        and saved_cloud_host is None
        # Older qiskit-ibm-runtime versions saved their (now retired) API's URL: ignore it.
        and not _host_of(saved.url).endswith(_RETIRED_API_SUFFIX)
    ):
        api_url_given = (saved.url, Origin(f"'url' of the {saved.label}", saved.source))
    if api_url_given is not None:
        base_url = _check_api_url(*api_url_given, crn)
        sources["base_url"] = api_url_given[1]
    else:
        base_url = _derived_api_url(crn, private, spelling)
        sources["base_url"] = f"the region of the service CRN ({crn.region})"

    iam_given = _first(_arg(iam_url, "iam_url", spelling), _from_env(env, ENV_IAM_URL))
    if iam_given is not None:
        resolved_iam = _check_iam_url(*iam_given)
        sources["iam_url"] = iam_given[1]
    elif saved is not None and saved.iam_url:
        resolved_iam = _check_iam_url(saved.iam_url, Origin(saved.label, saved.source))
        sources["iam_url"] = f"'iam_url' of the {saved.label}"
    elif saved is not None and saved_cloud_host is not None:
        # qiskit-ibm-runtime's rule: IAM lives at iam.<IBM Cloud host>.
        resolved_iam = f"https://{_PRIVATE if private else ''}iam.{saved_cloud_host}"
        sources["iam_url"] = f"'url' of the {saved.label}"
    else:
        resolved_iam = iam_url_for(staging=crn.staging, private=private)
        sources["iam_url"] = "the service CRN (production or staging)"

    saved_verify = saved.verify if saved is not None else None
    verify_choice: bool | str | ssl.SSLContext = (
        verify if verify is not None else saved_verify if saved_verify is not None else True
    )
    network = Network(
        verify=tls_from_environment(_verify(verify_choice), trust_env=trust_env, env=env),
        proxies=_proxies(proxies, saved.proxies if saved else None),
        trust_env=trust_env,
    )
    api_timeout = _timeout(timeout, DEFAULT_TIMEOUT, "timeout")
    # A timeout given for the API applies to IAM too, unless IAM is given its own.
    iam_default = api_timeout if timeout is not None else DEFAULT_IAM_TIMEOUT
    return Settings(
        api_key=Secret(key),
        service_crn=crn.text,
        region=crn.region,
        api_version=version,
        base_url=base_url,
        iam_url=resolved_iam,
        network=network,
        timeout=api_timeout,
        iam_timeout=_timeout(iam_timeout, iam_default, "iam_timeout"),
        sources=sources,
    )


_Found = tuple[str, str]  # (value, where it came from)
_ENV_SOURCE = "the environment variable "
_URL_SETTINGS = {"API URL": "url", "IAM URL": "iam_url"}


def _arg(value: str | None, name: str, spelling: Spelling = KEYWORD_ARGUMENTS) -> _Found | None:
    if value is None:
        return None
    given = spelling.given(name)
    if value == "":
        raise _empty(
            f"{_capitalised(given)} is empty; give a value or leave it out.", name, ConfigSource.ARGUMENT
        )
    return value, given


def _from_env(env: Mapping[str, str], name: str) -> _Found | None:
    value = env.get(name)
    if value is None:
        return None
    if value == "":
        message = f"The environment variable {name} is set but empty; set it or unset it."
        raise _empty(message, _SETTING_OF_ENV.get(name), ConfigSource.ENVIRONMENT)
    return value, Origin(_ENV_SOURCE + name, ConfigSource.ENVIRONMENT)


def _from_saved(saved: SavedAccount | None, value: str | None, setting: str) -> _Found | None:
    if saved is None or value is None:
        return None
    if value == "":
        raise _empty(f"The {saved.label} holds an empty value; re-save the account.", setting, saved.source)
    return value, Origin(saved.label, saved.source)


def _empty(message: str, setting: str | None, source: ConfigSource) -> ConfigError:
    """A setting given as an empty string, which never means "not given"."""
    return ConfigError(message, setting=setting, source=source, problem="empty")


def _first(*found: _Found | None) -> _Found | None:
    return next((f for f in found if f is not None), None)


def _require(found: _Found | None, message: str, *, setting: str) -> _Found:
    if found is None:
        # No source gave it, so `source` is None; the message names every place looked in.
        raise ConfigError(message, setting=setting, source=None, problem="missing")
    return found


def _pass_or_set(spelling: Spelling, setting: str, variable: str) -> str:
    """The advice "pass service_crn=... or set IQP_SERVICE_CRN", in the caller's spelling."""
    how = spelling.how_to_pass(setting)
    return f"pass {how} or set {variable}" if how else f"set {variable}"


def _capitalised(text: str) -> str:
    """``text`` starting a sentence (``--crn`` and ``IQP_URL`` stay as they are)."""
    return text[:1].upper() + text[1:]


def _pick(*values: _T | None, default: _T) -> _T:
    return next((v for v in values if v is not None), default)


def _check_not_mixed(
    key_source: str, crn_source: str, saved: SavedAccount | None, spelling: Spelling = KEYWORD_ARGUMENTS
) -> None:
    """Refuse a key from the environment paired with an instance from a saved account, or
    the other way round: that pair was never chosen together by anyone."""
    if saved is None:
        return
    from_env = [s for s in (key_source, crn_source) if s.startswith(_ENV_SOURCE)]
    from_saved = [s for s in (key_source, crn_source) if s == saved.label]
    if from_env and from_saved:
        both = (spelling.how_to_pass("api_key"), spelling.how_to_pass("service_crn"))
        or_pass = f", or pass {both[0]} and {both[1]}" if all(both) else ""
        raise ConfigError(
            f"The API key comes from {key_source} but the service CRN from {crn_source}. "
            f"Take both from the same place: set or unset {ENV_API_KEY} and "
            f"{ENV_SERVICE_CRN} together{or_pass}.",
            setting="api_key",
            source=kind_of(key_source),
            problem="mixed_sources",
        )


def _check_region(crn: CRN, region: str | None, saved: SavedAccount | None, crn_source: str) -> None:
    """An explicit region, or a saved one beside a saved CRN, must agree with the CRN.

    A saved region is only a preference qiskit-ibm-runtime uses to pick an instance; once
    a CRN is given elsewhere it has nothing left to decide.
    """
    stated: _Found | None = _arg(region, "region")
    if stated is None and saved is not None and saved.region and crn_source == saved.label:
        stated = (saved.region, Origin(f"'region' of the {saved.label}", saved.source))
    if stated is not None and stated[0] != crn.region:
        raise ConfigError(
            f"The region {stated[0]!r} from {stated[1]} contradicts the service CRN from "
            f"{crn_source}, whose instance is in {crn.region!r}; drop the region or use the "
            f"CRN of an instance in {stated[0]!r}.",
            setting="region",
            source=kind_of(stated[1]),
            problem="contradicts_crn",
        )


def _check_api_key(key: str, source: str) -> None:
    # Messages describe the key's shape but never include it.
    if key.strip() == "":
        raise ConfigError(
            f"The API key from {source} is blank; set it to your IBM Cloud API key.",
            setting="api_key",
            source=kind_of(source),
            problem="blank",
        )
    if key != key.strip():
        raise ConfigError(
            f"The API key from {source} has leading or trailing whitespace (often a "
            "newline pasted with it); remove it.",
            setting="api_key",
            source=kind_of(source),
            problem="whitespace",
        )
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "'\"":
        raise ConfigError(
            f"The API key from {source} is wrapped in quotes; remove them (shells and .env "
            "files do not always strip them).",
            setting="api_key",
            source=kind_of(source),
            problem="quoted",
        )


def _check_api_version(version: str, source: str) -> None:
    try:
        valid = _VERSION_RE.fullmatch(version) is not None and bool(datetime.date.fromisoformat(version))
    except ValueError:
        valid = False
    if not valid:
        raise ConfigError(
            f"The API version {version!r} from {source} is not a date like "
            f"{DEFAULT_API_VERSION} (YYYY-MM-DD); GET /v1/versions lists the versions the "
            "API supports.",
            setting="api_version",
            source=kind_of(source),
            problem="malformed",
        )


def _check_url(url: str, source: str, what: str) -> httpx.URL:
    setting = _URL_SETTINGS[what]
    if url != url.strip():
        raise ConfigError(
            f"The {what} from {source} has leading or trailing whitespace.",
            setting=setting,
            source=kind_of(source),
            problem="whitespace",
        )
    try:
        parsed: httpx.URL | None = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("https", "http") or not parsed.host:
        raise ConfigError(
            f"The {what} from {source} ({redact_userinfo(url)!r}) is not an absolute http(s) URL.",
            setting=setting,
            source=kind_of(source),
            problem="malformed",
        )
    if parsed.scheme == "http" and parsed.host not in _LOOPBACK:
        raise ConfigError(
            f"The {what} from {source} uses plain http; use https (plain http is accepted "
            "only for localhost).",
            setting=setting,
            source=kind_of(source),
            problem="insecure_scheme",
        )
    if parsed.userinfo or parsed.query or parsed.fragment:
        raise ConfigError(
            f"The {what} from {source} should have no user name, query or fragment.",
            setting=setting,
            source=kind_of(source),
            problem="unexpected_parts",
        )
    return parsed


def _check_api_url(url: str, source: str, crn: CRN) -> str:
    parsed = _check_url(url, source, "API URL")
    url = url.rstrip("/")
    region = region_of_api_host(parsed.host)
    if region is None:
        return url  # not an IBM host (a local fake, a gateway): the user knows best
    if region != crn.region:
        raise ConfigError(
            f"The API URL from {source} ({url}) serves the region {region!r}, but the service "
            f"CRN's instance is in {crn.region!r}; the API would answer 'instance not found'. "
            f"Use {api_url_for(crn.region)} or leave the URL out to derive it from the CRN.",
            setting="url",
            source=kind_of(source),
            problem="wrong_region",
        )
    if parsed.path.rstrip("/") != "/api":
        raise ConfigError(
            f"The API URL from {source} ({url}) should be the API root ending in /api, for "
            f"example {api_url_for(region)}.",
            setting="url",
            source=kind_of(source),
            problem="not_api_root",
        )
    return url


def _check_iam_url(url: str, source: str) -> str:
    parsed = _check_url(url, source, "IAM URL")
    if parsed.path.rstrip("/").endswith("/identity/token"):
        raise ConfigError(
            f"The IAM URL from {source} should be IAM's root (https://iam.cloud.ibm.com); "
            "/identity/token is added by the client.",
            setting="iam_url",
            source=kind_of(source),
            problem="not_iam_root",
        )
    return url.rstrip("/")


def _derived_api_url(crn: CRN, private: bool, spelling: Spelling = KEYWORD_ARGUMENTS) -> str:
    pass_or_set = _pass_or_set(spelling, "url", ENV_URL)
    if crn.staging:
        raise ConfigError(
            f"The service CRN is for IBM Cloud staging, whose API URL this client does not "
            f"derive; {pass_or_set}.",
            setting="url",
            source=ConfigSource.DEFAULT,
            problem="not_derivable",
        )
    if crn.region not in KNOWN_REGIONS:
        raise ConfigError(
            f"The service CRN names the region {crn.region!r}, which this client does not "
            f"know (known: {', '.join(KNOWN_REGIONS)}). Check the CRN; if IBM has opened "
            f"that region, {pass_or_set}.",
            setting="url",
            source=ConfigSource.DEFAULT,
            problem="unknown_region",
        )
    return api_url_for(crn.region, private=private)


def _host_of(url: str) -> str:
    try:
        return httpx.URL(url).host.lower()
    except httpx.InvalidURL:
        return ""


def _cloud_console_host(url: str | None) -> str | None:
    if url is None:
        return None
    host = _host_of(url).removeprefix(_PRIVATE)
    return host if host in _CLOUD_CONSOLE_HOSTS else None


def _verify(value: bool | str | ssl.SSLContext) -> bool | ssl.SSLContext:
    if not isinstance(value, str):
        return value
    # A CA bundle path: build the context here, once, and fail now if the path is wrong.
    path = Path(value).expanduser()
    try:
        if path.is_dir():
            return ssl.create_default_context(capath=str(path))
        return ssl.create_default_context(cafile=str(path))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(
            f"verify={value!r} should name a CA bundle file or directory, but it cannot be "
            f"loaded ({exc.__class__.__name__}); fix the path, or pass verify=True for the "
            "default CAs.",
            setting="verify",
            source=ConfigSource.ARGUMENT,
            problem="unloadable",
        ) from None


def _proxies(given: str | Mapping[str, str] | None, saved: Mapping[str, str] | None) -> Mapping[str, str]:
    if isinstance(given, str):
        chosen: Mapping[str, str] = {"all": given}
    else:
        chosen = given if given is not None else (saved or {})
    for key, value in chosen.items():
        try:
            parsed: httpx.URL | None = httpx.URL(value)
        except httpx.InvalidURL:
            parsed = None
        if parsed is None or not parsed.host or parsed.scheme not in _PROXY_SCHEMES:
            raise ConfigError(
                f"The proxy for {key!r} ({redact_userinfo(value)!r}) should be a URL like "
                "http://proxy.example.com:8080.",
                setting="proxies",
                source=ConfigSource.ARGUMENT if given is not None else ConfigSource.SAVED_ACCOUNT,
                problem="malformed",
            )
    return dict(chosen)


def _timeout(value: TimeoutLike | None, default: httpx.Timeout, name: str) -> httpx.Timeout:
    if value is None:
        return default
    if isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(
            f"{name} should be a positive number of seconds or an httpx.Timeout.",
            setting=name,
            source=ConfigSource.ARGUMENT,
            problem="out_of_range",
        )
    return httpx.Timeout(float(value))
