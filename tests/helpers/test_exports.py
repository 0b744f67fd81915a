"""The package's top-level names: every one resolves (they are imported on first use)."""

from __future__ import annotations

import importlib

import pytest

import iqp_wrapper
from iqp_wrapper import jobs


def test_every_exported_name_resolves_to_its_home() -> None:
    homes = iqp_wrapper._HOME_OF
    assert set(iqp_wrapper.__all__) == set(homes) | {"__version__"}
    for name, module in homes.items():
        assert getattr(iqp_wrapper, name) is getattr(importlib.import_module(module), name)
    assert set(iqp_wrapper.__all__) <= set(dir(iqp_wrapper))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        iqp_wrapper.nope  # noqa: B018


def test_the_job_helpers_are_exported_from_both_places() -> None:
    for name in ("iter_jobs", "aiter_jobs", "wait_for_job", "async_wait_for_job", "job_results"):
        assert getattr(iqp_wrapper, name) is getattr(jobs, name)
