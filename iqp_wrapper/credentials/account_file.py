"""Reading and writing small JSON files that hold account settings, defensively.

Both qiskit-ibm-runtime's ``~/.qiskit/qiskit-ibm.json`` and our own ``accounts.json`` go
through here. A file in place of which there is a link, a pipe, a directory or a device
is refused, not followed or waited on; a file larger than any account list could be, or
nested deeper than any account could be, is refused before it is parsed; a file others may
read or change is read, with a warning that says the ``chmod`` that fixes it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shlex
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iqp_wrapper.errors import ConfigError, ConfigSource

MAX_BYTES = 1 << 20
"""The largest account file read (1 MiB). One account takes about 400 bytes, so this holds
thousands; a larger file is not an account list, and reading it whole is what an attacker
who can write there would want."""
MAX_DEPTH = 16
"""The deepest nesting read. An account file is three levels deep (accounts, an account,
its proxies); the JSON parser recurses once per level and would fail with RecursionError
near 1000."""

SETTING = "accounts_file"
_log = logging.getLogger(__name__)
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a link in place of the file fails the open (ELOOP)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO in place of the file does not block the open
    | getattr(os, "O_CLOEXEC", 0)
)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]")


@dataclass(frozen=True)
class Exposure:
    """An account file that users other than its owner may read or change."""

    path: Path
    mode: int

    @property
    def fix(self) -> str:
        return f"chmod 600 {shlex.quote(str(self.path))}"

    @property
    def message(self) -> str:
        return f"{self.detail}; run: {self.fix}"

    @property
    def detail(self) -> str:
        who = []
        if self.mode & (stat.S_IRGRP | stat.S_IROTH):
            who.append("read")
        if self.mode & (stat.S_IWGRP | stat.S_IWOTH):
            who.append("changed")
        return (
            f"{self.path} (mode {stat.filemode(self.mode)[1:]}) can be {' and '.join(who) or 'used'} by "
            "other users"
        )


def exposure(path: Path, st: os.stat_result) -> Exposure | None:
    """The exposure of a file with stat ``st``, or None if only its owner can use it."""
    if os.name == "nt" or not st.st_mode & 0o077:
        return None  # Windows keeps access in ACLs, not in these bits
    return Exposure(path, stat.S_IMODE(st.st_mode))


def check_exposure(path: Path, *, source: ConfigSource) -> Exposure | None:
    """The exposure of ``path`` if it is a regular file (no error otherwise: the read says)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return exposure(path, st) if stat.S_ISREG(st.st_mode) else None


def read_json(path: Path, *, source: ConfigSource) -> Any | None:
    """The JSON value in ``path``, or None when there is no file there at all.

    Raises ConfigError (setting ``accounts_file``) when something other than a regular
    file is there, or the file is too large, too deeply nested, or not JSON. Logs a
    WARNING when other users may read or change the file.
    """
    data = _read_bytes(path, source)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _error(path, source, "malformed", "is not UTF-8 text") from None
    if _too_deep(text):
        raise _error(
            path,
            source,
            "too_deeply_nested",
            f"is nested more than {MAX_DEPTH} levels deep, which no account file is",
        )
    try:
        return json.loads(text)
    except RecursionError:  # the depth scan above should make this unreachable
        raise _error(path, source, "too_deeply_nested", "is nested too deeply") from None
    except ValueError as exc:
        # Only the position: the text of a JSON error can quote the file, key included.
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise _error(path, source, "malformed", f"is not valid JSON{where}") from None


def _read_bytes(path: Path, source: ConfigSource) -> bytes | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _error(path, source, "unreadable", f"cannot be examined ({_reason(exc)})") from None
    _check_kind(path, st, source)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        return None  # removed in between: as if it had never been there
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # replaced by a link in between
            raise _error(path, source, "symlink", "is a symbolic link") from None
        raise _error(path, source, "unreadable", f"cannot be opened ({_reason(exc)})") from None
    try:
        st = os.fstat(fd)  # of what was opened, whatever the path names now
        _check_kind(path, st, source)
        found = exposure(path, st)
        if found is not None:
            _log.warning("%s", found.message)
        if st.st_size > MAX_BYTES:
            raise _too_large(path, source, st.st_size)
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_BYTES:  # bounded even if the size reported was wrong
            chunk = os.read(fd, MAX_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_BYTES:
            raise _too_large(path, source, total)
        return b"".join(chunks)
    except OSError as exc:
        raise _error(path, source, "unreadable", f"cannot be read ({_reason(exc)})") from None
    finally:
        os.close(fd)


def _check_kind(path: Path, st: os.stat_result, source: ConfigSource) -> None:
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISLNK(mode):
        raise _error(path, source, "symlink", _link_problem(path))
    kind = (
        "a directory"
        if stat.S_ISDIR(mode)
        else "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
    )
    raise _error(
        path,
        source,
        "not_a_file",
        f"is {kind}, not a file; move it away (the client then finds no saved account there)",
    )


def _link_problem(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that loops back on itself; remove the link"
        return "is a symbolic link to nothing; remove the link"
    return (
        f"is a symbolic link; account files are read only in place, so that a link cannot "
        f"send the client to another file. Replace the link with the file it points to "
        f"(mv {shlex.quote(os.path.realpath(path))} {shlex.quote(str(path))}), or name the "
        "real file (accounts_file= or --accounts-file)"
    )


def _too_large(path: Path, source: ConfigSource, size: int) -> ConfigError:
    return _error(
        path,
        source,
        "too_large",
        f"is larger ({size} bytes or more) than any account file ({MAX_BYTES} bytes at most); it is not read",
    )


def _too_deep(text: str) -> bool:
    """True if brackets outside strings nest deeper than MAX_DEPTH (stops at the first
    that does, so a hostile file costs little)."""
    depth = 0
    for char in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        else:
            depth -= 1
    return False


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _error(path: Path, source: ConfigSource, problem: str, said: str) -> ConfigError:
    return ConfigError(f"The account file {path} {said}.", setting=SETTING, source=source, problem=problem)


def write_private_json(path: Path, value: Any, *, source: ConfigSource) -> None:
    """Replace ``path`` with ``value`` as JSON, atomically, readable by its owner only.

    The text goes to a new file in the same directory (created 0600), reaches the disk,
    and is then renamed over ``path``: a reader sees the old file or the new one, never
    half of one, and a crash leaves the old one. What stands at ``path`` is checked first:
    a link or a directory there is an error, not something to write through. A failure
    to write (a full disk, a read-only directory) is a ConfigError, and leaves ``path`` as
    it was.
    """
    text = json.dumps(value, indent=4, sort_keys=True) + "\n"
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            pass
        else:
            _check_kind(path, st, source)
        _replace(path, text)
    except OSError as exc:
        raise _error(path, source, "unwritable", f"cannot be written ({_reason(exc)})") from None


def _replace(path: Path, text: str) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles to sync)."""
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
