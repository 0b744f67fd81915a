"""``iqp demo`` end to end, ``iqp fake serve``, and the installed console script."""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from iqp_wrapper.cli import World, exits, run
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, DEFAULT_CRN, ManualClock


def _runtime(clock: ManualClock, **options: object) -> tuple[World, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    world = World(
        stdout=out,
        stderr=err,
        environ={},
        clock=clock,
        wall_clock=clock,
        sleep=clock.advance,
        interactive=False,
    )
    for name, value in options.items():
        setattr(world, name, value)
    return world, out, err


def test_the_demo_runs_the_whole_path() -> None:
    clock = ManualClock()
    world, out, err = _runtime(clock)
    assert run(["demo"], world) == exits.OK, err.getvalue()
    text = out.getvalue()
    lines = text.splitlines()
    assert lines[0].startswith("iqp demo: the whole client path against a fake Qiskit Runtime service")
    assert "fake service  http://127.0.0.1:" in lines[1]
    assert "1. IAM       exchanged the API key for a bearer token, valid 1 h" in text
    assert "2. backends  3 available to the instance" in text
    assert "fake_falcon  paused  27      7" in text
    assert (
        "3. submit    Sampler job " in text
        and "on fake_eagle (the least busy): a Bell pair, 1024 shots" in text
    )
    start = lines.index("4. wait") + 1
    waited = lines[start : start + 3]
    assert [line.split()[0] for line in waited] == ["Queued", "Running", "Completed"]
    assert lines[start + 3].startswith("5. results")
    results = text[text.index("5. results") :]
    counts = [int(line.split(":")[1].split()[0]) for line in results.splitlines()[:2]]
    assert sum(counts) == 1024
    assert "Next: set IQP_API_TOKEN and IQP_SERVICE_CRN" in text
    assert clock() - 1_777_636_800.0 < 5  # the waits moved the manual clock, a couple of seconds


def test_the_demo_as_json() -> None:
    world, out, _ = _runtime(ManualClock())
    assert run(["demo", "--json"], world) == exits.OK
    body = json.loads(out.getvalue())
    assert body["backends"] == ["fake_heron", "fake_eagle", "fake_falcon"]
    assert body["job"]["status"] == "Completed" and body["job"]["backend"] == "fake_eagle"
    assert body["job"]["polls"] >= 3
    assert sum(body["results"]["counts"].values()) == 1024
    assert body["iam"] == {"expires_in": 3600.0}
    assert DEFAULT_API_KEY not in out.getvalue()


def test_fake_serve_prints_what_to_set_and_serves_until_interrupted() -> None:
    clock = ManualClock()
    seen: dict[str, object] = {}
    world, out, _ = _runtime(clock)

    def use_it_then_interrupt() -> None:
        printed = out.getvalue()
        url = next(line.split()[-1] for line in printed.splitlines() if line.startswith("API URL"))
        seen["versions"] = httpx.get(f"{url}/v1/versions", timeout=5).status_code
        raise KeyboardInterrupt

    world.block = use_it_then_interrupt
    assert run(["fake", "serve", "--token-lifetime", "60"], world) == exits.OK
    text = out.getvalue()
    assert seen["versions"] == 200
    assert f"API key  {DEFAULT_API_KEY}  (the fake's own; not a secret)" in text
    assert f"CRN      {DEFAULT_CRN}" in text
    assert "export IQP_URL='http://127.0.0.1:" in text and f"IQP_API_TOKEN='{DEFAULT_API_KEY}'" in text
    assert text.splitlines()[-1] == "Stopped."


def test_fake_serve_as_json_with_a_skewed_clock() -> None:
    world, out, _ = _runtime(ManualClock())
    dates: list[str] = []

    def look_then_interrupt() -> None:
        info = json.loads(out.getvalue())
        dates.append(httpx.get(f"{info['url']}/v1/versions", timeout=5).headers["date"])
        raise KeyboardInterrupt

    world.block = look_then_interrupt
    assert run(["--json", "fake", "serve", "--clock-skew", "3600"], world) == exits.OK
    info = json.loads(out.getvalue())
    assert info["api_key"] == DEFAULT_API_KEY and info["environment"]["IQP_SERVICE_CRN"] == DEFAULT_CRN
    assert dates == ["Fri, 01 May 2026 13:00:00 GMT"]  # an hour ahead of the manual clock


def test_fake_serve_on_a_busy_port_is_exit_code_2() -> None:
    world, out, err = _runtime(ManualClock())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert run(["fake", "serve", "--port", str(busy.getsockname()[1])], world) == exits.USAGE
    assert err.getvalue().startswith("iqp: cannot listen on 127.0.0.1:") and out.getvalue() == ""


def test_interrupting_a_command_is_exit_code_130() -> None:
    def interrupted(_seconds: float) -> None:
        raise KeyboardInterrupt

    world, _, err = _runtime(ManualClock(), sleep=interrupted)
    assert run(["demo"], world) == exits.INTERRUPTED
    assert err.getvalue().strip() == "iqp: interrupted"


def test_the_console_script_and_python_m() -> None:
    script = Path(sys.executable).parent / "iqp"
    command = [str(script)] if script.exists() else [shutil.which("iqp") or "iqp"]
    done = subprocess.run([*command, "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "exit codes:" in done.stdout
    module = subprocess.run(
        [sys.executable, "-m", "iqp_wrapper.cli", "jobs"], capture_output=True, text=True, check=False
    )
    assert module.returncode == exits.USAGE and "jobs" in module.stderr
