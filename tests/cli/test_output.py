"""The CLI's small pieces: tables, durations, option names in messages, and the last-line
mask on secrets."""

from __future__ import annotations

import io

from iqp_wrapper.cli import Runtime
from iqp_wrapper.cli.connection import CLI_SPELLING
from iqp_wrapper.cli.output import pairs, seconds, table


def test_table_aligns_columns_and_leaves_the_last_unpadded() -> None:
    assert table(("A", "BB"), [["long", "x"], ["s", ""]]) == "A     BB\nlong  x\ns"


def test_pairs_align_names() -> None:
    assert pairs([("id", "1"), ("status", "Done")]) == "id      1\nstatus  Done"


def test_durations_read_naturally() -> None:
    assert [seconds(s) for s in (0.25, 12.5, 60, 200, 3600, 7500)] == [
        "250 ms", "12.5 s", "1 min", "3 min 20 s", "1 h", "2 h 5 min",
    ]  # fmt: skip


def test_messages_name_options_not_arguments() -> None:
    assert CLI_SPELLING.given("service_crn") == "--crn"
    assert CLI_SPELLING.how_to_pass("url") == "--url"
    assert CLI_SPELLING.how_to_pass("api_key") is None  # the key is never an option


def test_a_registered_secret_never_reaches_the_streams() -> None:
    out, err = io.StringIO(), io.StringIO()
    rt = Runtime(stdout=out, stderr=err, environ={})
    rt.mask("secret-value-123")
    rt.mask("short")  # too short to mask without mangling ordinary words
    rt.out("a secret-value-123 b short")
    rt.err("secret-value-123")
    assert out.getvalue() == "a *** b short\n" and err.getvalue() == "***\n"
