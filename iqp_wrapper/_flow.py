"""One generator per helper, run by a blocking or an awaiting driver: no twin loops.

A flow is a generator that decides what to do and yields each piece of I/O it needs as a
``Step``; the driver performs the step and sends its result back in (or throws its error
in, where the flow may catch it), as an ``httpx.Auth`` flow does. The decisions are
written once. A step names an ``Io``, which holds the I/O both ways: ``run`` calls its
blocking side, ``arun`` calls its async side and awaits what that returns.

``blocking`` and ``awaiting`` turn one flow function into the two public twins, with the
flow's own parameters (for type checkers, ``help()`` and IDEs alike):

    def _waiting(client, job_id, *, timeout=None) -> Flow[JobResponseV3]: ...

    wait_for_job = blocking(_waiting, "wait_for_job")
    async_wait_for_job = awaiting(_waiting, "async_wait_for_job")
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable, Coroutine, Generator
from contextlib import closing
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Io:
    """One kind of I/O, written for both drivers: ``sync`` for ``run``, ``async_`` for ``arun``
    (it may return an awaitable, which is awaited; by default the same as ``sync``)."""

    sync: Callable[..., Any]
    async_: Callable[..., Any] | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Step:
        """The step that performs this I/O with these arguments."""
        return Step(self, args, kwargs)


@dataclass(frozen=True)
class Step:
    """What a flow yields: the I/O to perform and its arguments."""

    io: Io
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


Flow = Generator[Step, Any, R]


def namespace_call(
    sync: Callable[[Any], Callable[..., Any]], async_: Callable[[Any], Callable[..., Any]]
) -> Io:
    """The I/O of one namespace method: ``(client, *args)`` calls the method that ``sync`` or
    ``async_`` picks from the client (``lambda c: Jobs(c).get``). Named by attribute, not by
    string, so the type check still finds every caller when an operation is removed."""
    return Io(
        lambda client, *args, **kwargs: sync(client)(*args, **kwargs),
        lambda client, *args, **kwargs: async_(client)(*args, **kwargs),
    )


SLEEP = Io(
    lambda sleep, seconds: (sleep or time.sleep)(seconds),
    lambda sleep, seconds: (sleep or asyncio.sleep)(seconds),
)
"""``SLEEP(sleep, seconds)``: the given (injected) sleep, or the driver's own when None."""


@dataclass(frozen=True)
class _Done(Generic[R]):
    value: R


def _resume(flow: Flow[R], sent: Any = None, error: BaseException | None = None) -> Step | _Done[R]:
    """The flow's next step, or its result: it gets ``sent`` back, or ``error`` thrown in."""
    try:
        return flow.send(sent) if error is None else flow.throw(error)
    except StopIteration as done:
        return _Done(done.value)


def run(flow: Flow[R]) -> R:
    """Drive ``flow`` to its result, performing each step with plain calls."""
    with closing(flow):
        step = _resume(flow)
        while isinstance(step, Step):
            step = _resume(flow, *_performed(step))
        return step.value


async def arun(flow: Flow[R]) -> R:
    """``run`` for async helpers: a step's async side is called, and what it returns awaited."""
    with closing(flow):
        step = _resume(flow)
        while isinstance(step, Step):
            step = _resume(flow, *(await _async_performed(step)))
        return step.value


def _performed(step: Step) -> tuple[Any, BaseException | None]:
    """The step's result, or the error it raised: the flow decides what an error (Ctrl-C too) means."""
    try:
        return step.io.sync(*step.args, **step.kwargs), None
    except BaseException as error:
        return None, error


async def _async_performed(step: Step) -> tuple[Any, BaseException | None]:
    """``_performed`` for ``arun``; a cancellation is thrown in too (the flow may log it)."""
    perform = step.io.sync if step.io.async_ is None else step.io.async_
    try:
        result = perform(*step.args, **step.kwargs)
        return ((await result) if inspect.isawaitable(result) else result), None
    except BaseException as error:
        return None, error


def blocking(make: Callable[P, Flow[R]], name: str) -> Callable[P, R]:
    """The blocking helper ``name``: ``make``'s parameters and docstring, its flow run to the end."""

    def helper(*args: P.args, **kwargs: P.kwargs) -> R:
        return run(make(*args, **kwargs))

    return _described(helper, make, name, make.__doc__, _inside(make))


def awaiting(
    make: Callable[P, Flow[R]], name: str, doc: str | None = None
) -> Callable[P, Coroutine[object, None, R]]:
    """The async helper ``name``: ``make``'s parameters, its flow awaited; ``doc`` says what
    differs (by default: the blocking helper's docstring)."""

    async def helper(*args: P.args, **kwargs: P.kwargs) -> R:
        return await arun(make(*args, **kwargs))

    # An async def: help() says "async", and the annotation is what awaiting it gives.
    return _described(helper, make, name, doc or make.__doc__, _inside(make))


def then(
    first: Callable[P, T], second: Callable[[T], R], name: str, doc: str | None = None
) -> Callable[P, R]:
    """The helper ``name``: ``first``'s parameters (its checks, written once for both twins),
    then ``second`` on what it returns (the sync or the async way of going on)."""

    def helper(*args: P.args, **kwargs: P.kwargs) -> R:
        return second(first(*args, **kwargs))

    returned = inspect.signature(second).return_annotation
    return _described(helper, first, name, doc or first.__doc__, returned)


def _inside(make: Callable[..., Any]) -> Any:
    """What the flow ``make`` returns, as its annotation says: ``X`` of ``Flow[X]``."""
    returned = inspect.signature(make).return_annotation
    if isinstance(returned, str) and returned.startswith("Flow[") and returned.endswith("]"):
        return returned[len("Flow[") : -1]
    return inspect.Signature.empty


def _described(helper: F, make: Callable[..., Any], name: str, doc: str | None, returned: Any) -> F:
    """``helper`` as help(), inspect and IDEs should show it: its own name and ``doc``,
    ``make``'s parameters, and ``returned`` as its return annotation."""
    helper.__name__ = name
    owner, dot, _ = make.__qualname__.rpartition(".")  # a method keeps its class in its name
    helper.__qualname__ = owner + dot + name
    helper.__module__ = make.__module__
    helper.__doc__ = doc
    signature = inspect.signature(make).replace(return_annotation=returned)
    helper.__signature__ = signature  # type: ignore[attr-defined]
    return helper
