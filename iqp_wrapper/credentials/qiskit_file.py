"""Writing an account into qiskit-ibm-runtime's ``~/.qiskit/qiskit-ibm.json``, on request.

For users who want qiskit-ibm-runtime and this client to share one saved account
(``iqp login --qiskit``). qiskit-ibm-runtime reads the key from that file, so the entry
holds it in plain text: that is why it is written only when asked for, created 0600 (qiskit
itself leaves it to the umask, usually 0644) and replaced atomically.

The entry has the keys and types qiskit-ibm-runtime 0.51.0's ``save_account`` writes
(``tests/credentials/qiskit_written`` holds a file it wrote): ``channel``, ``instance``,
``private_endpoint``, ``token``, ``url`` (the IBM Cloud URL, from which qiskit derives
IAM's), and ``is_default_account`` on the default one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from iqp_wrapper.config.settings import Settings
from iqp_wrapper.crn import api_url_for, parse_crn
from iqp_wrapper.errors import ConfigError, ConfigSource

from .account_file import SETTING, read_json, write_private_json

CHANNEL = "ibm_quantum_platform"
DEFAULT_FLAG = "is_default_account"
# IAM host -> the IBM Cloud URL qiskit-ibm-runtime derives it from (https://iam.<host>).
_CLOUD_URLS = {
    "iam.cloud.ibm.com": ("https://cloud.ibm.com", False),
    "private.iam.cloud.ibm.com": ("https://cloud.ibm.com", True),
    "iam.test.cloud.ibm.com": ("https://test.cloud.ibm.com", False),
    "private.iam.test.cloud.ibm.com": ("https://test.cloud.ibm.com", True),
}


def entry_for(settings: Settings) -> dict[str, Any]:
    """The qiskit-ibm-runtime entry for ``settings``, key included.

    Raises ConfigError when qiskit-ibm-runtime could not reach the same service from it:
    it derives IAM from an IBM Cloud URL and the API from the CRN, so a custom IAM or API
    URL (a gateway, a local fake) cannot be written down for it.
    """
    host = httpx.URL(settings.iam_url).host.lower()
    found = _CLOUD_URLS.get(host)
    crn = parse_crn(settings.service_crn, source=settings.sources.get("service_crn", "the CRN"))
    private = bool(found and found[1])
    derived_api = None if crn.staging else api_url_for(crn.region, private=private)
    if found is None or settings.base_url.rstrip("/") != derived_api:
        raise ConfigError(
            f"qiskit-ibm-runtime cannot be told this account's URLs (API {settings.base_url}, IAM "
            f"{settings.iam_url}): it derives them from the CRN and IBM Cloud. Leave out --qiskit, "
            "or --url and --iam-url.",
            setting="url",
            source=ConfigSource.ARGUMENT,
            problem="not_expressible",
        )
    cloud_url = found[0]
    return {
        "channel": CHANNEL,
        "instance": settings.service_crn,
        "private_endpoint": private,
        "token": settings.api_key.reveal(),
        "url": cloud_url,
    }


def save_entry(path: Path, name: str, entry: dict[str, Any], *, default: bool) -> None:
    """Put ``entry`` under ``name`` in ``path`` (replacing one of that name), keeping the rest."""
    accounts = _accounts(path)
    entry = dict(entry)
    if default:
        for other in accounts.values():
            if isinstance(other, dict):
                other.pop(DEFAULT_FLAG, None)
        entry[DEFAULT_FLAG] = True
    accounts[name] = entry
    write_private_json(path, accounts, source=ConfigSource.SAVED_ACCOUNT)


def remove_entry(path: Path, name: str) -> bool:
    """Remove the entry ``name`` from ``path``; False if there was none."""
    accounts = _accounts(path)
    if name not in accounts:
        return False
    del accounts[name]
    write_private_json(path, accounts, source=ConfigSource.SAVED_ACCOUNT)
    return True


def _accounts(path: Path) -> dict[str, Any]:
    data = read_json(path, source=ConfigSource.SAVED_ACCOUNT)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"The account file {path} should hold a JSON object of named accounts; it is left as it "
            "is. Move it away to start a new one.",
            setting=SETTING,
            source=ConfigSource.SAVED_ACCOUNT,
            problem="malformed",
        )
    return data
