"""``iqp doctor`` against servers that break in every way it exists to diagnose.

Each row is a broken setup: an API URL answering 200 with an HTML page (a captive portal,
a wrong host), a wrong content type, truncated or reset bodies, TLS spoken to a plain
server, a name that does not resolve, a proxy that is not there, IAM answering HTML. In
text and JSON modes alike, the doctor exits 3 with a report line that says what is wrong
and what to do, never a traceback, and shows no secret.
"""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from iqp_wrapper.cli import World, run

from .rawserver import (
    API_KEY,
    TOKEN_PREFIX,
    RawServer,
    body_bytes,
    cut_mid_body,
    reset_after_headers,
    respond,
)

pytestmark = pytest.mark.reliability

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/raw0account:raw0instance::"
HTML = b"<!doctype html><html><body>Please sign in to the hotel Wi-Fi</body></html>"
VERSIONS = "/api/v1/versions"
TOKEN = "/identity/token"


@dataclass(frozen=True)
class Broken:
    """A broken setup: what to script on the server, what to change in the environment,
    and the check that must fail."""

    check: str
    script: Callable[[RawServer], None] = lambda raw: None
    env: Callable[[RawServer, int], dict[str, str]] = lambda raw, closed: {}
    problems: frozenset[str] = field(default_factory=frozenset)


def _versions(*actions: object) -> Callable[[RawServer], None]:
    return lambda raw: raw.script("GET", VERSIONS, *actions)  # type: ignore[arg-type]


def _token(*actions: object) -> Callable[[RawServer], None]:
    return lambda raw: raw.script("POST", TOKEN, *actions)  # type: ignore[arg-type]


CASES = {
    "api_html_200": Broken("api", _versions(body_bytes(HTML, headers={"Content-Type": "text/html"}))),
    "api_html_as_json": Broken("api", _versions(body_bytes(HTML))),
    "api_wrong_content_type": Broken(
        "api", _versions(body_bytes(b"versions: 2025-05-01", headers={"Content-Type": "text/plain"}))
    ),
    "api_truncated": Broken("api", _versions(*[cut_mid_body() for _ in range(4)])),
    "api_reset": Broken("api", _versions(*[reset_after_headers() for _ in range(4)])),
    "api_json_nan": Broken("api", _versions(body_bytes(b'{"versions": NaN}'))),
    "api_500_html": Broken("api", _versions(respond((500, HTML, {"Content-Type": "text/html"})))),
    "iam_html_200": Broken("iam", _token(body_bytes(HTML, headers={"Content-Type": "text/html"}))),
    "iam_truncated": Broken("iam", _token(*[cut_mid_body() for _ in range(4)])),
    "iam_500_html": Broken(
        "iam", _token(*[respond((500, HTML, {"Content-Type": "text/html"})) for _ in range(4)])
    ),
    "dns": Broken("api", env=lambda raw, closed: {"IQP_URL": "https://no-such-host.invalid/api"}),
    "tls_to_plain": Broken("api", env=lambda raw, closed: {"IQP_URL": f"https://127.0.0.1:{raw.port}/api"}),
    "iam_tls_to_plain": Broken(
        "iam", env=lambda raw, closed: {"IQP_IAM_URL": f"https://127.0.0.1:{raw.port}"}
    ),
    "proxy_gone": Broken(
        "api",
        env=lambda raw, closed: {
            "IQP_URL": "https://quantum.cloud.ibm.com/api",
            "HTTPS_PROXY": f"http://127.0.0.1:{closed}",
        },
    ),
    "instance_html_200": Broken(
        "instance", lambda raw: raw.script("GET", r"/api/v1/instances/usage", body_bytes(HTML))
    ),
}


@pytest.fixture
def raw() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def doctor(raw: RawServer, extra_env: dict[str, str], *argv: str) -> tuple[int, str, str]:
    environ = {
        "IQP_API_TOKEN": API_KEY,
        "IQP_SERVICE_CRN": CRN,
        "IQP_URL": raw.api_url,
        "IQP_IAM_URL": raw.iam_url,
        **extra_env,
    }
    out, err = io.StringIO(), io.StringIO()
    code = run(
        ["doctor", "--timeout", "1", *argv], World(stdout=out, stderr=err, environ=environ, interactive=False)
    )
    return code, out.getvalue(), err.getvalue()


def test_a_healthy_raw_server_passes(raw: RawServer) -> None:
    code, out, err = doctor(raw, {})
    assert code == 0, out + err


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_doctor_reports_every_broken_server(
    raw: RawServer, closed_port: int, case: str, as_json: bool
) -> None:
    broken = CASES[case]
    broken.script(raw)
    code, out, err = doctor(raw, broken.env(raw, closed_port), *(["--json"] if as_json else []))
    assert "Traceback" not in out + err
    assert API_KEY not in out + err and TOKEN_PREFIX not in out + err
    assert code == 3, (out, err)
    if as_json:
        check = {check["id"]: check for check in json.loads(out)["checks"]}[broken.check]
        assert check["status"] == "fail", check
        assert check["fix"], check
        assert check["problem"] != "unexpected_error", check
    else:
        title = {"api": "API ", "iam": "IAM ", "instance": "instance"}[broken.check]
        assert any(line.startswith(f"  FAIL  {title}") for line in out.splitlines()), out
        assert "fix:" in out
