"""One generator per helper, run by a blocking or an awaiting driver: no twin loops.

A flow is a generator that decides what to do and yields each piece of I/O it needs as a
step, ``(kind, argument)``; the driver performs the step and sends its result back in (or
throws its error in, where the flow may catch it), as an ``httpx.Auth`` flow does. The
decisions are written once; ``run`` performs the steps with plain calls, ``arun`` awaits
those that return an awaitable. Each helper gives the driver its actions by kind, sync or
async, so the same flow serves ``submit_job`` and ``async_submit_job``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Mapping
from typing import Any, TypeVar

R = TypeVar("R")

Step = tuple[str, Any]
Flow = Generator[Step, Any, R]
Actions = Mapping[str, Callable[[Any], Any]]


def run(flow: Flow[R], actions: Actions) -> R:
    """Drive ``flow`` to its result, performing each step with ``actions[kind](argument)``."""
    try:
        step = next(flow)
        while True:
            try:
                result = actions[step[0]](step[1])
            except Exception as error:  # the flow decides what an error means
                step = flow.throw(error)
            else:
                step = flow.send(result)
    except StopIteration as done:
        value: R = done.value
        return value
    finally:
        flow.close()


async def arun(flow: Flow[R], actions: Actions) -> R:
    """``run`` for async helpers: an action may return an awaitable, which is awaited."""
    try:
        step = next(flow)
        while True:
            try:
                result = actions[step[0]](step[1])
                if inspect.isawaitable(result):
                    result = await result
            except Exception as error:
                step = flow.throw(error)
            else:
                step = flow.send(result)
    except StopIteration as done:
        value: R = done.value
        return value
    finally:
        flow.close()
