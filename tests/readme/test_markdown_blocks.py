"""Every code block of README.md and docs/**/*.md runs, as a reader would run it, against the fake.

Python blocks run in a fresh interpreter with ``IQP_*`` pointing at the fake over HTTP on
127.0.0.1 (placeholders such as ``<job-id>`` bound to a real job of that fake); blocks with
top-level ``await`` are pasted into ``python -m asyncio``, as the README says they can be;
blocks that define ``test_*`` functions run under pytest with the ``iqp`` plugin and the
example ``my_app`` the README imports. Bash blocks run with the virtualenv's ``iqp`` on PATH.
A block that cannot run says why in the markdown (see markdown_blocks).
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from iqp_api.api.jobs import create_job
from iqp_api.models import JobRunParams
from iqp_wrapper import unwrap
from iqp_wrapper.testing.connect import connect_fake
from iqp_wrapper.testing.fake import DEFAULT_API_KEY, DEFAULT_BACKENDS, FakeBackend, FakeService, JobPlan

from .markdown_blocks import PLACEHOLDER, ROOT, Block, all_blocks, blocks_of

BLOCKS = all_blocks()
RUNNABLE = [block for block in BLOCKS if block.kind not in ("display", "not-run")]
EXAMPLE_APP = Path(__file__).parent / "example_app"
VENV_BIN = Path(sys.executable).parent
REAL_BACKEND_NAMES = ("ibm_fez", "ibm_torino", "ibm_marrakesh", "ibm_kingston")
BELL = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nbit[2] meas;\nh $0;\ncx $0, $1;\nmeas = measure $0:1;\n'
"""A Bell pair, the circuit of the job the blocks' ``<job-id>`` names."""
LIMIT = 180  # seconds any one block may take before it counts as hung


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[FakeService, dict[str, str]]]:
    """The fake over HTTP, real clock, jobs that finish at once, one finished Sampler job."""
    # The examples name real IBM backends where a reader would; the fake has them too.
    backends = (*DEFAULT_BACKENDS, *(FakeBackend(name, num_qubits=156) for name in REAL_BACKEND_NAMES))
    service = FakeService(schedule=JobPlan(queued_seconds=0, running_seconds=0), seed=0, backends=backends)
    with service.serve() as server:
        body = JobRunParams.from_dict(
            {"program_id": "sampler", "backend": "fake_heron", "params": {"pubs": [[BELL]]}}
        )
        with connect_fake(service) as client:
            job_id = unwrap(create_job.sync_detailed(client=client, body=body)).id
        yield (
            service,
            {
                "IQP_API_TOKEN": DEFAULT_API_KEY,
                "IQP_SERVICE_CRN": service.crn,
                "IQP_URL": server.url,
                "IQP_IAM_URL": server.iam_url,
                "<job-id>": job_id,
            },
        )


def environment(values: dict[str, str], home: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("IQP_", "SSL_CERT_")) and "proxy" not in name.lower()
    }
    env.update({name: value for name, value in values.items() if not name.startswith("<")})
    env["HOME"] = str(home)  # no saved account of the developer's is read
    env["NO_PROXY"] = "127.0.0.1,localhost"
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join([str(EXAMPLE_APP), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def bind_placeholders(code: str, values: dict[str, str]) -> str:
    unbound = sorted({p for p in PLACEHOLDER.findall(code) if p not in values})
    assert not unbound, f"the test binds no value to {unbound}: add one to the fake fixture"
    for placeholder in PLACEHOLDER.findall(code):
        code = code.replace(placeholder, values[placeholder])
    return code


def run(command: list[str], env: dict[str, str], *, cwd: Path, stdin: str | None = None) -> str:
    done = subprocess.run(
        command, input=stdin, env=env, cwd=cwd, capture_output=True, text=True, timeout=LIMIT
    )
    output = f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    assert done.returncode == 0, f"exit {done.returncode}\n{output}"
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, output
    return done.stdout


def previous_code_block(block: Block) -> Block | None:
    earlier = [b for b in blocks_of(block.path) if b.line < block.line and b.lang == block.lang]
    return earlier[-1] if earlier else None


def next_code_block(block: Block) -> Block | None:
    later = [b for b in blocks_of(block.path) if b.line > block.line and b.lang == block.lang]
    return later[0] if later else None


def start_server(block: Block, env: dict[str, str]) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Start a ``run: serve`` block and read the variables from the ``export`` line it prints."""
    server = subprocess.Popen(
        ["bash", "-c", block.code],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # so that stopping it stops what it started
    )
    assert server.stdout is not None
    for line in server.stdout:
        if line.strip().startswith("export "):
            words = shlex.split(line)
            return server, dict(word.split("=", 1) for word in words[1:])
    server.wait(LIMIT)
    raise AssertionError(f"{block.id} printed no export line (exit {server.returncode})")


def stop(server: subprocess.Popen[str]) -> None:
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# -- the tests ------------------------------------------------------------------------------


def test_every_block_is_found_and_runs_or_says_why_not() -> None:
    assert any(block.path == Path("README.md") for block in BLOCKS)
    for block in BLOCKS:
        reason = block.not_run_reason
        if reason is not None:
            assert len(reason) >= 15, f"{block.id}: say why it is not run"
            assert block.lang in ("python", "py", "pycon", "bash", "sh", "shell", "console"), block.id
        if block.marker is not None and block.marker[0] == "run":
            assert block.kind == "serve", f"{block.id}: unknown marker {block.marker}"
    # The README's own examples are run, not merely listed.
    assert sum(1 for block in RUNNABLE if block.path == Path("README.md")) >= 5


@pytest.mark.parametrize("block", RUNNABLE, ids=[block.id for block in RUNNABLE])
def test_block_runs(block: Block, fake: tuple[FakeService, dict[str, str]], tmp_path: Path) -> None:
    values = fake[1]
    # Each block is a reader's fresh program: the job quota used by the blocks before it
    # (the fake is shared for speed) is not this one's to wait out.
    fake[0].reset_rate_limit()
    env = environment(values, tmp_path)
    code = bind_placeholders(block.code, values)
    # Blocks read the example files by the paths a reader at the repository root uses.
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    if block.kind == "script":
        run([sys.executable, "-c", code], env, cwd=tmp_path)
    elif block.kind == "asyncio-repl":
        # Pasted as is, then Enter: what "paste it into python -m asyncio" means.
        run([sys.executable, "-m", "asyncio"], env, cwd=tmp_path, stdin=code + "\n")
    elif block.kind == "pytest":
        test_file = tmp_path / "test_from_markdown.py"
        test_file.write_text(code, encoding="utf-8")
        out = run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
            env,
            cwd=tmp_path,
        )
        assert " passed" in out and "failed" not in out, out
    elif block.kind == "serve":
        following = next_code_block(block)
        assert following is not None and following.kind == "shell", f"{block.id}: nothing uses this server"
        server, exported = start_server(block, env)
        stop(server)
        assert "IQP_URL" in exported and "IQP_IAM_URL" in exported
    else:
        served = previous_code_block(block)
        if served is not None and served.kind == "serve":
            server, exported = start_server(served, env)
            try:
                run(["bash", "-eo", "pipefail", "-c", code], {**env, **exported}, cwd=ROOT)
            finally:
                stop(server)
        else:
            run(["bash", "-eo", "pipefail", "-c", code], env, cwd=ROOT)


def test_the_function_names_claim_holds() -> None:
    """The README: every module has the two ``_detailed`` functions; only ``close_session``
    (204, no body) lacks ``sync`` and ``asyncio``."""
    import importlib
    import pkgutil

    import iqp_api.api

    without_body: list[str] = []
    for tag in pkgutil.iter_modules(iqp_api.api.__path__):
        package = importlib.import_module(f"iqp_api.api.{tag.name}")
        for op in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"iqp_api.api.{tag.name}.{op.name}")
            assert callable(module.sync_detailed) and callable(module.asyncio_detailed), module.__name__
            has_plain = hasattr(module, "sync"), hasattr(module, "asyncio")
            assert has_plain in ((True, True), (False, False)), module.__name__
            if not has_plain[0]:
                without_body.append(op.name)
    assert without_body == ["close_session"]
