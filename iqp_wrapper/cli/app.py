"""Running one ``iqp`` command: parse, dispatch, and turn every error into a message and
one of the documented exit codes."""

from __future__ import annotations

import argparse
import contextlib
import logging
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

import httpx

from iqp_wrapper.errors import (
    APIError,
    ConfigError,
    IAMError,
    IQPError,
    JobCancelledError,
    JobFailedError,
    JobTimeoutError,
)
from iqp_wrapper.transport.api_versions import APIVersionWarning

from . import connection, exits, parser
from .output import to_json
from .world import World

Handler = Callable[[argparse.Namespace, World], int]
_LOGGERS = ("iqp_wrapper", "httpx")


def run(argv: Sequence[str] | None, world: World) -> int:
    """Run the command ``argv`` (without the program name) and return its exit code."""
    cli = parser.build()
    with contextlib.redirect_stdout(world.stdout), contextlib.redirect_stderr(world.stderr):
        try:
            args = cli.parse_args(argv)
        except SystemExit as stop:  # --help, or a usage error argparse has already shown
            return stop.code if isinstance(stop.code, int) else exits.USAGE
    handler: Handler = args.handler
    json_errors = connection.wants_json(args)
    with _logging(world, verbose=bool(getattr(args, "verbose", False))), _warnings_as_messages(world):
        try:
            return handler(args, world)
        except KeyboardInterrupt:
            world.err("iqp: interrupted")
            return exits.INTERRUPTED
        except (IQPError, httpx.TransportError) as error:
            code = _exit_code(error)
            _report(world, error, json_errors)
            return code


def _exit_code(error: Exception) -> int:
    if isinstance(error, ConfigError):
        return exits.USAGE
    if isinstance(error, (JobFailedError, JobCancelledError)):
        return exits.JOB_FAILED
    if isinstance(error, JobTimeoutError):
        return exits.TIMEOUT
    return exits.API_ERROR


def _report(world: World, error: Exception, as_json: bool) -> None:
    message = str(error)
    if isinstance(error, httpx.TransportError):
        where = f" {error.request.url}" if _has_request(error) else ""
        message = f"could not reach{where}: {type(error).__name__}: {error}"
    if not as_json:
        world.err(f"iqp: {message}")
        return
    body: dict[str, Any] = {"type": type(error).__name__, "message": message}
    if isinstance(error, APIError):
        body.update(status_code=error.status_code, trace=error.trace)
    if isinstance(error, IAMError):
        body.update(status_code=error.status_code, error_code=error.error_code)
    world.err(to_json({"error": body}))


def _has_request(error: httpx.TransportError) -> bool:
    try:
        error.request  # noqa: B018 - raises when the error carries no request
    except RuntimeError:
        return False
    return True


@contextlib.contextmanager
def _warnings_as_messages(world: World) -> Iterator[None]:
    """An APIVersionWarning is for the person running the command: one line on stderr,
    like the CLI's other messages, not Python's ``file:line: Category: ...`` form."""
    with warnings.catch_warnings():
        shown = warnings.showwarning

        def show(
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            if issubclass(category, APIVersionWarning):
                world.err(f"iqp: warning: {message}")
            else:
                shown(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


@contextlib.contextmanager
def _logging(world: World, *, verbose: bool) -> Iterator[None]:
    """With --verbose, the wrapper's and httpx's logs go to stderr for this run."""
    if not verbose:
        yield
        return
    handler = logging.StreamHandler(world.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
