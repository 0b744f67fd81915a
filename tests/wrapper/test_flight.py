"""Flight, the one-result rendezvous under IAMAuth's single flight: its edges on their own."""

from __future__ import annotations

import asyncio
import threading

import pytest

from iqp_wrapper.auth._singleflight import Flight

PATIENCE = 10.0


def test_result_before_the_end_is_a_programming_error() -> None:
    with pytest.raises(AssertionError, match=r"^result\(\) before the flight finished"):
        Flight[int]().result()


def test_waiting_on_an_unfinished_flight_times_out() -> None:
    outcome: list[bool] = []
    thread = threading.Thread(target=lambda: outcome.append(Flight[int]().wait(0.05)), daemon=True)
    thread.start()
    thread.join(PATIENCE)
    assert outcome == [False]


async def test_waiting_on_a_finished_flight_returns_at_once() -> None:
    flight = Flight[int]()
    flight.resolve(7)
    assert flight.wait(0) is True
    assert await flight.wait_async(0.01) is True
    assert flight.result() == 7


async def test_an_async_wait_times_out() -> None:
    assert await Flight[int]().wait_async(0.01) is False


class NeedsKeywords(Exception):
    def __init__(self, *, code: int) -> None:
        super().__init__(f"code {code}")
        self.code = code


def test_an_error_that_cannot_be_copied_is_raised_itself() -> None:
    flight = Flight[int]()
    error = NeedsKeywords(code=3)
    flight.fail(error)
    with pytest.raises(NeedsKeywords) as caught:
        flight.result()
    assert caught.value is error


def test_an_error_is_copied_per_waiter() -> None:
    flight = Flight[int]()
    error = ValueError("shared")
    flight.fail(error)
    with pytest.raises(ValueError, match="shared") as caught:
        flight.result()
    assert caught.value is not error


def test_finishing_wakes_no_one_on_a_closed_loop() -> None:
    flight = Flight[int]()
    loop = asyncio.new_event_loop()
    task = loop.create_task(flight.wait_async(None))
    loop.run_until_complete(asyncio.sleep(0))  # the task parks on this loop
    task.cancel()
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()
    flight.resolve(5)  # that loop is gone: nothing to wake, and no error for the finisher
    assert flight.result() == 5
