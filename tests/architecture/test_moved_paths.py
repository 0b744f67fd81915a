"""The folders moved modules; what users import keeps working.

Every name exported from ``iqp_wrapper`` is the same as before; ``iqp_wrapper.config``,
``.auth`` and ``.namespaces`` re-export what those modules exported; each old module path
imports as the new module, with one DeprecationWarning naming the new path.
"""

# folders-rewrite: skip (this file names the old paths on purpose)

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import warnings
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest

import iqp_wrapper
from iqp_wrapper import _moved

# The public names, as they were before the folders. Changing this list changes the
# package's public surface: do it on purpose, with a CHANGELOG entry.
PUBLIC = [
    "APIConnectionError", "APIError", "APITimeoutError", "AsyncIQPClient", "AuthenticationError",
    "ClientClosedError", "ConfigError", "ConfigSource", "ConflictError", "DEFAULT_API_VERSION",
    "ENV_API_KEY", "ENV_API_VERSION", "ENV_IAM_URL", "ENV_SERVICE_CRN", "ENV_URL", "ErrorDetail",
    "IAMAuth", "IAMConnectionError", "IAMError", "IAMTimeoutError", "IQPClient", "IQPError",
    "JobCancelledError", "JobError", "JobFailedError", "JobResult", "JobTimeoutError",
    "JobWaitInterrupted", "Network", "NotFoundError", "PermissionDeniedError", "RateLimitError",
    "ResponseTooLargeError", "ResultsNotReadyError", "RetryPolicy", "RetryTransport", "ServerError",
    "Settings", "SubmissionUnknownError", "SubmittedJob", "UnexpectedResponseError", "WaitProgress",
    "__version__", "aiter_jobs", "async_connect", "async_iter_jobs", "async_job_results", "async_submit_job",
    "async_wait_for_job", "build_client", "connect", "connect_async", "iter_jobs", "job_results",
    "resolve_settings", "result_data", "submit_job", "unwrap", "wait_for_job",
]  # fmt: skip


def public_names(module: ModuleType) -> set[str]:
    """The public names a module defines itself (classes, functions, constants; not imports)."""
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text("utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    # Type variables are the module's own business.
    return {name for name in names if not name.startswith("_") and name not in ("P", "R")}


def test_the_public_names_are_unchanged_and_resolve_to_their_new_homes() -> None:
    assert sorted(iqp_wrapper.__all__) == PUBLIC
    assert iqp_wrapper.RetryPolicy is importlib.import_module("iqp_wrapper.transport.retry").RetryPolicy
    assert iqp_wrapper.Network is importlib.import_module("iqp_wrapper.transport.network").Network
    assert iqp_wrapper.IAMAuth is importlib.import_module("iqp_wrapper.auth.flow").IAMAuth
    assert iqp_wrapper.Settings is importlib.import_module("iqp_wrapper.config.settings").Settings


@pytest.mark.repo_files  # reads the source files
@pytest.mark.parametrize(("package", "module"), sorted(_moved.BECAME_PACKAGES.items()))
def test_a_module_that_became_a_package_re_exports_its_names(package: str, module: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the package path is current: no warning
        exported = importlib.import_module(package)
    defined = importlib.import_module(module)
    names = set(exported.__all__)
    assert public_names(defined) - names == set(), f"{package} does not re-export them"
    for name in names:
        assert getattr(exported, name) is getattr(defined, name)


@pytest.mark.parametrize(("old", "new"), sorted(_moved.MOVED.items()))
def test_an_old_path_imports_the_new_module_with_one_warning(old: str, new: str) -> None:
    sys.modules.pop(old, None)  # as in a fresh process: the alias is made on first import
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        __import__(old)  # as an import statement does (importlib.import_module is a frame of its own)
    module = sys.modules[old]
    assert module is importlib.import_module(new)
    moved = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert [str(w.message) for w in moved] == [
        f"{old} has moved to {new}; import it from there (the old path will be removed)."
    ]
    assert moved[0].filename == __file__  # it points at the import, not at importlib
    parent, _, leaf = old.rpartition(".")
    assert getattr(importlib.import_module(parent), leaf) is module  # from <parent> import <leaf>


def test_patching_through_an_old_path_reaches_the_code_that_runs() -> None:
    retry = importlib.import_module("iqp_wrapper.transport.retry")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with mock.patch("iqp_wrapper.retry._log") as log:
            assert retry._log is log


@pytest.mark.repo_files  # reads the source files
def test_the_old_files_are_gone_and_every_new_path_imports() -> None:
    root = Path(iqp_wrapper.__file__).parent.parent
    for old, new in _moved.MOVED.items():
        assert not (root / (old.replace(".", "/") + ".py")).exists(), old
        importlib.import_module(new)
    for package, module in _moved.BECAME_PACKAGES.items():
        assert (root / package.replace(".", "/") / "__init__.py").is_file(), package
        assert not (root / (package.replace(".", "/") + ".py")).exists(), package
        importlib.import_module(module)
    assert not set(_moved.MOVED) & set(_moved.BECAME_PACKAGES)  # a package path is never aliased
    assert importlib.util.find_spec("iqp_wrapper.not_a_module") is None  # the finder takes only its own
