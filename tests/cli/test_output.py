"""The CLI's small pieces: tables, durations, option names in messages, and the last-line
mask on secrets."""

from __future__ import annotations

import io

from iqp_wrapper import __version__
from iqp_wrapper.cli import World, run
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
    world = World(stdout=out, stderr=err, environ={})
    world.mask("secret-value-123")
    world.mask("short")  # too short to mask without mangling ordinary words
    world.out("a secret-value-123 b short")
    world.err("secret-value-123")
    assert out.getvalue() == "a *** b short\n" and err.getvalue() == "***\n"


def test_version_prints_the_package_version() -> None:
    out = io.StringIO()
    assert run(["--version"], World(stdout=out, stderr=io.StringIO(), environ={})) == 0
    assert out.getvalue() == f"iqp {__version__}\n"
