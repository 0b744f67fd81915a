"""What a generated model's ``from_dict`` promises, pinned on the parse path the job list takes.

The models read the payload by key without copying it (openapi/templates/model.py.jinja):
these tests hold that reading to what the copy-and-pop parse it replaced did. The caller's
dict is never changed, keys the document does not declare land in ``additional_properties``
in the payload's order (at every level, typed or not), absent optional fields stay ``UNSET``,
enum values the client does not know still parse, and broken payloads fail with the same
errors. The payloads are a fixture written from the API document and the 200-job page the
benchmarks time (built by the embedded fake).
"""

from __future__ import annotations

import copy
import datetime
import json
import pickle
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from benchmarks.payloads import build
from iqp_api.models import (
    JobResponseV3,
    JobsResponse,
    JobState,
    JobStateStatus,
    JobStatus,
    Program,
    SamplerV01DoubleSliceSpanModelDataSlices,
    SamplerV01ParamsModel,
    SamplerV01ParamsModelVersion,
    UsageV3,
)
from iqp_api.types import UNSET, _parse_datetime_before_3_11, parse_datetime

UTC = datetime.timezone.utc

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "payloads" / "job_response_extra_fields.json"


def job_payload() -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return payload


def test_the_payload_is_left_as_it_came() -> None:
    payload = job_payload()
    before = copy.deepcopy(payload)
    job = JobResponseV3.from_dict(payload)
    assert payload == before
    assert list(payload) == list(before)
    # The kept fields are a dict of the model's own: changing it leaves the payload alone.
    assert job.additional_properties is not payload
    job.additional_properties["added"] = 1
    del job.additional_properties["qiskit_version"]
    assert payload == before


def test_the_200_job_page_round_trips_and_is_not_changed() -> None:
    payload = json.loads(build().jobs)
    before = copy.deepcopy(payload)
    page = JobsResponse.from_dict(payload)
    assert payload == before
    assert len(page.jobs) == 200
    assert all(job.additional_properties == {} for job in page.jobs)
    # Milliseconds come back written as microseconds ("...58.500Z" -> "...58.500000Z"), so
    # the times compare as times and everything else as written.
    written = page.to_dict()
    assert JobsResponse.from_dict(written) == page
    for sent, back in zip(payload["jobs"], written["jobs"], strict=True):
        assert parse_datetime(back.pop("created")) == parse_datetime(sent["created"])
        assert back == {key: value for key, value in sent.items() if key != "created"}


def test_unknown_keys_are_kept_in_payload_order_at_every_level() -> None:
    payload = {
        "zeta": 1,
        "id": "job-1",
        "state": {"status": "Running", "since": "now", "reason": "r"},
        "alpha": {"nested": True},
        "status": "Running",
        "program": {"id": "sampler", "version": "2"},
        "created": "2026-03-02T10:15:30Z",
        "cost": 5,
        "usage": {"status": "pending", "seconds_left": 3},
        "middle": None,
    }
    job = JobResponseV3.from_dict(payload)
    assert list(job.additional_properties.items()) == [
        ("zeta", 1),
        ("alpha", {"nested": True}),
        ("middle", None),
    ]
    assert job.state.additional_properties == {"since": "now"}
    assert job.program.additional_properties == {"version": "2"}
    assert isinstance(job.usage, UsageV3)
    assert job.usage.additional_properties == {"seconds_left": 3}
    assert job.to_dict() == payload


@pytest.mark.parametrize(
    ("payload", "extra"),
    [
        ({"status": "Queued"}, {}),
        ({"status": "Queued", "new": 1}, {"new": 1}),
        ({"status": "Queued", "reason": "r"}, {}),
        ({"status": "Queued", "reason": "r", "new": None}, {"new": None}),
        ({"new": 1, "status": "Queued"}, {"new": 1}),
    ],
)
def test_one_more_key_than_the_required_ones_is_always_looked_at(
    payload: dict[str, Any], extra: dict[str, Any]
) -> None:
    """A payload no longer than its required keys skips the unknown-key test: the edge."""
    state = JobState.from_dict(payload)
    assert state.additional_properties == extra
    assert state.to_dict() == payload


def test_absent_optional_fields_stay_unset() -> None:
    job = JobResponseV3.from_dict(
        {
            "id": "job-1",
            "state": {"status": "Queued"},
            "status": "Queued",
            "program": {"id": "sampler"},
            "created": "2026-03-02T10:15:30Z",
            "cost": 1,
        }
    )
    for name in ("backend", "params", "remote_storage", "usage", "tags", "session_id", "private"):
        assert getattr(job, name) is UNSET, name
    assert job.additional_properties == {}


class ReadOnlyPayload(Mapping[str, Any]):
    """A mapping that is not a dict (what a caller might hand over instead of parsed JSON)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


@pytest.mark.parametrize("wrap", [MappingProxyType, ReadOnlyPayload])
def test_other_mappings_parse_as_the_same_dict_does(wrap: Any) -> None:
    payload = job_payload()
    expected = JobResponseV3.from_dict(payload)
    assert JobResponseV3.from_dict(wrap(payload)) == expected
    assert JobResponseV3.from_dict(wrap(payload)).additional_properties == {
        "queue_info": payload["queue_info"],
        "qiskit_version": "2.2.1",
    }


@pytest.mark.parametrize(("value", "name"), [([], "list"), (None, "NoneType"), ("{}", "str")])
def test_a_payload_that_is_not_an_object_is_a_type_error(value: object, name: str) -> None:
    with pytest.raises(TypeError, match=f"expected a JSON object, got {name}"):
        JobResponseV3.from_dict(value)  # type: ignore[arg-type]
    payload = job_payload()
    payload["state"] = value
    with pytest.raises(TypeError, match=f"expected a JSON object, got {name}"):
        JobResponseV3.from_dict(payload)


def test_a_missing_required_key_is_a_key_error_naming_it() -> None:
    payload = job_payload()
    del payload["status"]
    with pytest.raises(KeyError, match="status"):
        JobResponseV3.from_dict(payload)
    with pytest.raises(KeyError, match="id"):
        Program.from_dict({"name": "sampler"})


def test_a_required_id_that_is_not_a_string_is_a_type_error() -> None:
    payload = job_payload()
    payload["program"] = {"id": None}
    with pytest.raises(TypeError, match="id: expected a string, got NoneType"):
        JobResponseV3.from_dict(payload)


def test_known_enum_values_are_the_members_themselves() -> None:
    job = JobResponseV3.from_dict(job_payload())
    assert job.status is JobStatus.COMPLETED
    assert job.state.status is JobStateStatus.COMPLETED


def test_an_unknown_enum_value_parses_and_round_trips() -> None:
    payload = job_payload()
    payload["status"] = "Hibernating"
    payload["state"] = {"status": "Hibernating"}
    job = JobResponseV3.from_dict(payload)
    assert job.status == "Hibernating"
    assert isinstance(job.status, JobStatus)
    assert not job.status.is_known
    assert not job.state.status.is_known
    assert job.to_dict() == payload


@pytest.mark.parametrize(("value", "error"), [(7, ValueError), (["Queued"], TypeError)])
def test_an_enum_value_of_the_wrong_type_fails_as_the_enum_does(
    value: object, error: type[Exception]
) -> None:
    payload = job_payload()
    payload["status"] = value
    with pytest.raises(error):
        JobResponseV3.from_dict(payload)


def test_number_enums_known_unknown_and_booleans() -> None:
    base: dict[str, Any] = {"pubs": []}
    known = SamplerV01ParamsModel.from_dict({**base, "version": 2}).version
    assert known is SamplerV01ParamsModelVersion.VALUE_2
    later = SamplerV01ParamsModel.from_dict({**base, "version": 3}).version
    assert later == 3
    assert isinstance(later, SamplerV01ParamsModelVersion)
    assert not later.is_known
    with pytest.raises(ValueError, match="True"):
        SamplerV01ParamsModel.from_dict({**base, "version": True})


def test_typed_additional_properties_are_parsed_and_skip_declared_keys() -> None:
    payload = {"first": [0, [1, 2]], "second": [3]}
    parsed = SamplerV01DoubleSliceSpanModelDataSlices.from_dict(payload)
    assert parsed.additional_properties == {"first": [0, [1, 2]], "second": [3]}
    assert list(parsed.additional_properties) == ["first", "second"]
    assert parsed.to_dict() == payload
    assert SamplerV01DoubleSliceSpanModelDataSlices.from_dict({}).additional_properties == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-02T10:15:30Z", datetime.datetime(2026, 3, 2, 10, 15, 30, tzinfo=UTC)),
        (
            "2026-03-02T10:15:30.250Z",
            datetime.datetime(2026, 3, 2, 10, 15, 30, 250000, tzinfo=UTC),
        ),
        (
            "2026-03-02T10:15:30.000001Z",
            datetime.datetime(2026, 3, 2, 10, 15, 30, 1, tzinfo=UTC),
        ),
        ("2026-03-02T10:15:30+00:00", datetime.datetime(2026, 3, 2, 10, 15, 30, tzinfo=UTC)),
        (
            "2026-03-02T12:15:30+02:00",
            datetime.datetime(2026, 3, 2, 12, 15, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        ),
        ("2026-03-02T10:15:30", datetime.datetime(2026, 3, 2, 10, 15, 30)),
    ],
)
def test_timestamps_read_alike_on_every_python(text: str, expected: datetime.datetime) -> None:
    """The 3.10 reading (``Z`` spelled as an offset) and the running one agree on the API's forms."""
    assert parse_datetime(text) == expected
    assert parse_datetime(text).utcoffset() == expected.utcoffset()
    assert _parse_datetime_before_3_11(text) == expected
    assert _parse_datetime_before_3_11(text).utcoffset() == expected.utcoffset()


# -- additional_properties is made when needed ------------------------------------------


def test_an_object_with_no_extra_fields_holds_no_dict_until_one_is_asked_for() -> None:
    # The parse of a large list makes no dict per object for extras it does not have.
    page = JobsResponse.from_dict(json.loads(build().jobs))
    assert all(job._additional_properties is None for job in page.jobs)
    assert all(job.state._additional_properties is None for job in page.jobs)
    job = page.jobs[0]
    assert job.additional_keys == []
    assert "anything" not in job
    assert job._additional_properties is None  # reading keys made nothing either
    assert job.additional_properties == {}
    assert job.additional_properties is job.additional_properties  # made once, then kept


def test_extras_written_before_any_were_read_are_kept_and_sent() -> None:
    state = JobState.from_dict({"status": "Queued"})
    state["since"] = "now"
    assert state.additional_properties == {"since": "now"}
    assert state.to_dict() == {"status": "Queued", "since": "now"}
    fresh = JobState.from_dict({"status": "Queued"})
    fresh.additional_properties = {"given": 1}
    assert fresh.to_dict() == {"status": "Queued", "given": 1}
    del fresh["given"]
    assert fresh.to_dict() == {"status": "Queued"}


def test_no_extras_and_an_empty_dict_of_them_compare_and_show_alike() -> None:
    untouched = JobState.from_dict({"status": "Queued"})
    read = JobState.from_dict({"status": "Queued"})
    assert read.additional_properties == {}
    assert untouched == read
    assert repr(untouched) == repr(read)
    assert "{}" in repr(untouched)
    with_extra = JobState.from_dict({"status": "Queued", "since": "now"})
    assert with_extra != untouched
    assert "'since': 'now'" in repr(with_extra)


def test_models_copy_and_pickle_with_or_without_extras() -> None:
    for payload in ({"status": "Queued"}, {"status": "Queued", "since": "now"}):
        state = JobState.from_dict(payload)
        for clone in (copy.copy(state), copy.deepcopy(state), pickle.loads(pickle.dumps(state))):
            assert clone == state
            assert clone.reason is UNSET  # the one UNSET survives copying and pickling
            assert clone.to_dict() == payload
