"""connect() refuses an API key or CRN that no real one looks like, before any request."""

from __future__ import annotations

import pytest

from iqp_wrapper import ConfigError, ConfigSource, connect

KEY = "test-key-not-real-0123456789"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/test0account:test0instance::"

BAD = {
    "cr_lf": ("\r\nX-Injected: yes", "control_characters"),
    "nul": ("\x00", "control_characters"),
    "tab": ("\t1", "control_characters"),
    "non_ascii": ("\u00e9", "non_ascii"),
    "typographic_dash": ("\u2013x", "non_ascii"),
    "space": (" x", "whitespace"),
}


def _connect(**kwargs: object) -> None:
    options: dict[str, object] = {"api_key": KEY, "service_crn": CRN, "trust_env": False}
    options.update(kwargs)
    connect(**options)  # type: ignore[arg-type]


def test_good_values_pass() -> None:
    _connect()


@pytest.mark.parametrize("case", sorted(BAD))
def test_api_key_with_bad_characters(case: str) -> None:
    extra, problem = BAD[case]
    key = KEY[:10] + extra + KEY[10:]
    with pytest.raises(ConfigError) as caught:
        _connect(api_key=key)
    assert caught.value.setting == "api_key"
    assert caught.value.problem == problem
    assert caught.value.source is ConfigSource.ARGUMENT
    assert key not in str(caught.value) and KEY[:10] not in str(caught.value)


@pytest.mark.parametrize("case", sorted(BAD))
def test_crn_with_bad_characters(case: str) -> None:
    extra, problem = BAD[case]
    crn = CRN.replace("test0instance", "test0" + extra + "instance")
    with pytest.raises(ConfigError) as caught:
        _connect(service_crn=crn)
    assert caught.value.setting == "service_crn"
    assert caught.value.problem == problem
    assert "\r" not in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("wrapped", "problem"),
    [
        ("{%s}", "braced"),
        ("[%s]", "braced"),
        ("'%s", "quoted"),
        ('%s"', "quoted"),
        ("\u201c%s\u201d", "non_ascii"),  # typographic quotes are caught as non-ASCII first
    ],
)
@pytest.mark.parametrize("setting", ["api_key", "service_crn"])
def test_wrapped_values(wrapped: str, problem: str, setting: str) -> None:
    value = wrapped % (KEY if setting == "api_key" else CRN)
    with pytest.raises(ConfigError) as caught:
        _connect(**{setting: value})
    assert caught.value.setting == setting
    assert caught.value.problem == problem


@pytest.mark.parametrize("setting", ["api_key", "service_crn"])
def test_absurd_lengths(setting: str) -> None:
    value = KEY * 40 if setting == "api_key" else CRN.replace("test0instance", "i" * 600)
    with pytest.raises(ConfigError) as caught:
        _connect(**{setting: value})
    assert caught.value.problem == "too_long"
    assert caught.value.setting == setting


def test_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IQP_API_TOKEN", "{" + KEY + "}")
    monkeypatch.setenv("IQP_SERVICE_CRN", CRN)
    with pytest.raises(ConfigError) as caught:
        connect(trust_env=False)
    assert caught.value.source is ConfigSource.ENVIRONMENT
    assert caught.value.problem == "braced"
    assert "IQP_API_TOKEN" in str(caught.value)
