"""Instance CRNs, regions, and the API and IAM URLs that follow from them."""

from __future__ import annotations

from dataclasses import dataclass

from iqp_wrapper.errors import ConfigError
from iqp_wrapper.origin import kind_of

SERVICE_NAME = "quantum-computing"
KNOWN_REGIONS = ("us-east", "eu-de")
DEFAULT_REGION = "us-east"
STAGING_CNAME = "staging"

_API_DOMAIN = "quantum.cloud.ibm.com"
_PRIVATE = "private."
_IAM_HOSTS = {False: "iam.cloud.ibm.com", True: "iam.test.cloud.ibm.com"}
_FIELDS = 10
_EXAMPLE = "crn:v1:bluemix:public:quantum-computing:us-east:a/<account>:<instance>::"
_WHERE = "copy it from your instance's page on https://quantum.cloud.ibm.com/instances"


@dataclass(frozen=True)
class CRN:
    """The parts of a Qiskit Runtime instance CRN that decide where requests go."""

    text: str
    cname: str
    service_name: str
    region: str
    instance: str

    @property
    def staging(self) -> bool:
        """True for instances on IBM Cloud's staging environment."""
        return self.cname == STAGING_CNAME


def parse_crn(text: str, *, source: str) -> CRN:
    """Parse ``text`` as a Qiskit Runtime instance CRN, or raise ConfigError.

    ``source`` names where the value came from, for the error message.
    """
    if text != text.strip():
        raise ConfigError(
            f"The service CRN from {source} has leading or trailing whitespace; remove it.",
            setting="service_crn",
            source=kind_of(source),
            problem="whitespace",
        )
    if not text.startswith("crn:"):
        raise ConfigError(
            f"The service CRN from {source} ({text!r}) is not a CRN: a CRN looks like {_EXAMPLE}; {_WHERE}.",
            setting="service_crn",
            source=kind_of(source),
            problem="not_a_crn",
        )
    fields = text.split(":")
    if len(fields) != _FIELDS or fields[1] != "v1":
        raise ConfigError(
            f"The service CRN from {source} ({text!r}) does not parse: it has "
            f"{len(fields)} colon-separated fields, a CRN has {_FIELDS} and starts with "
            f"'crn:v1:' ({_EXAMPLE}); {_WHERE}.",
            setting="service_crn",
            source=kind_of(source),
            problem="malformed",
        )
    _, _, cname, _, service_name, region, _, instance, _, _ = fields
    if service_name != SERVICE_NAME:
        raise ConfigError(
            f"The service CRN from {source} belongs to the service {service_name!r}, not "
            f"to Qiskit Runtime ({SERVICE_NAME!r}); use the CRN of a Qiskit Runtime "
            f"instance: {_WHERE}.",
            setting="service_crn",
            source=kind_of(source),
            problem="wrong_service",
        )
    if not cname or not region or not instance:
        missing = "environment" if not cname else "region" if not region else "instance id"
        raise ConfigError(
            f"The service CRN from {source} has an empty {missing} field ({_EXAMPLE}); {_WHERE}.",
            setting="service_crn",
            source=kind_of(source),
            problem="empty_field",
        )
    return CRN(
        text=text,
        cname=cname,
        service_name=service_name,
        region=region,
        instance=instance,
    )


def api_url_for(region: str, *, private: bool = False) -> str:
    """The API base URL of ``region``: us-east has the bare domain, others a prefix."""
    host = _API_DOMAIN if region == DEFAULT_REGION else f"{region}.{_API_DOMAIN}"
    return f"https://{_PRIVATE if private else ''}{host}/api"


def iam_url_for(*, staging: bool = False, private: bool = False) -> str:
    """The IAM URL for production or staging, over the public or the private network."""
    return f"https://{_PRIVATE if private else ''}{_IAM_HOSTS[staging]}"


def region_of_api_host(host: str) -> str | None:
    """The region an IBM Quantum API host serves, or None if ``host`` is not one.

    None leaves other hosts (a local fake, a gateway, a proxy) to the user.
    """
    host = host.lower().removeprefix(_PRIVATE)
    if host == _API_DOMAIN:
        return DEFAULT_REGION
    prefix, dot, domain = host.partition(".")
    if dot and domain == _API_DOMAIN and prefix:
        return prefix
    return None
