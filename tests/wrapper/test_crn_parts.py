"""A CRN's parts, and the message naming exactly which part is missing."""

from __future__ import annotations

import pytest

from iqp_wrapper import ConfigError
from iqp_wrapper.crn import iam_url_for, parse_crn

ACCOUNT = "a/test-account-not-real"


def crn(cname: str = "bluemix", region: str = "us-east", instance: str = "test-instance-not-real") -> str:
    return f"crn:v1:{cname}:public:quantum-computing:{region}:{ACCOUNT}:{instance}::"


def test_every_part_is_kept() -> None:
    parsed = parse_crn(crn(region="eu-de"), source="a test")
    assert parsed.text == crn(region="eu-de")
    assert parsed.cname == "bluemix"
    assert parsed.service_name == "quantum-computing"
    assert parsed.region == "eu-de"
    assert parsed.instance == "test-instance-not-real"
    assert not parsed.staging
    assert parse_crn(crn(cname="staging"), source="a test").staging


@pytest.mark.parametrize(
    ("parts", "missing"),
    [
        ({"cname": ""}, "environment"),
        ({"region": ""}, "region"),
        ({"instance": ""}, "instance id"),
        ({"cname": "", "region": ""}, "environment"),  # the first empty field is named
        ({"region": "", "instance": ""}, "region"),
    ],
)
def test_an_empty_part_is_named(parts: dict[str, str], missing: str) -> None:
    with pytest.raises(ConfigError, match=f"has an empty {missing} field") as caught:
        parse_crn(crn(**parts), source="the service_crn argument")
    assert "from the service_crn argument" in str(caught.value)


def test_iam_defaults_to_production_on_the_public_network() -> None:
    assert iam_url_for() == "https://iam.cloud.ibm.com"
    assert iam_url_for(private=True) == "https://private.iam.cloud.ibm.com"
    assert iam_url_for(staging=True) == "https://iam.test.cloud.ibm.com"
