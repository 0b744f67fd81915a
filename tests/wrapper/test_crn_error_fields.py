"""parse_crn's ConfigError fields in every branch: which setting, from which source, what problem.

Mutation testing (docs/mutation.md) found the whitespace, malformed and empty-field branches
unpinned: a caller that handles the error by its fields would have seen none of them change.
"""

from __future__ import annotations

import pytest

from iqp_wrapper import ConfigError
from iqp_wrapper.crn import parse_crn
from iqp_wrapper.errors import ConfigSource
from iqp_wrapper.origin import Origin

GOOD = "crn:v1:bluemix:public:quantum-computing:us-east:a/abc:inst-1::"

CASES = [
    ("leading space", " " + GOOD, "whitespace"),
    ("trailing newline", GOOD + "\n", "whitespace"),
    ("not a CRN", "my-instance", "not_a_crn"),
    ("nine fields", GOOD.removesuffix(":"), "malformed"),
    ("version 2", GOOD.replace("crn:v1:", "crn:v2:"), "malformed"),
    ("other service", GOOD.replace("quantum-computing", "cos"), "wrong_service"),
    ("no environment", GOOD.replace(":bluemix:", "::"), "empty_field"),
    ("no region", GOOD.replace(":us-east:", "::"), "empty_field"),
    ("no instance", GOOD.replace(":inst-1:", "::"), "empty_field"),
]
SOURCES = [ConfigSource.ARGUMENT, ConfigSource.ENVIRONMENT, ConfigSource.SAVED_ACCOUNT]


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
@pytest.mark.parametrize(("text", "problem"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_refusal_names_setting_source_and_problem(
    text: str, problem: str, source: ConfigSource
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_crn(text, source=Origin("where it came from", source))
    assert (caught.value.setting, caught.value.source, caught.value.problem) == (
        "service_crn",
        source,
        problem,
    )


def test_a_plain_source_string_has_no_kind() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_crn(" " + GOOD, source="somewhere")
    assert (caught.value.setting, caught.value.source, caught.value.problem) == (
        "service_crn",
        None,
        "whitespace",
    )


def test_a_good_crn_parses_into_its_parts() -> None:
    crn = parse_crn(GOOD, source="x")
    assert (crn.cname, crn.service_name, crn.region, crn.instance, crn.staging) == (
        "bluemix", "quantum-computing", "us-east", "inst-1", False,
    )  # fmt: skip
    assert parse_crn(GOOD.replace("bluemix", "staging"), source="x").staging
