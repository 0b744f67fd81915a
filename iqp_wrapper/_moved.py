"""Module paths from before the folders (``iqp_wrapper.retry``...), still importable for now.

In 0.x the transport, auth and configuration modules lay flat at the top of the package;
they now live in ``transport/``, ``auth/`` and ``config/`` (docs/architecture.md). Code
that imports an old path keeps running: the old name is the new module itself (so patching
``"<old path>.<name>"`` in a test still patches the code that runs), with one
DeprecationWarning naming the new path. Type checkers know only the new paths.

``iqp_wrapper.config``, ``iqp_wrapper.auth`` and ``iqp_wrapper.namespaces`` are packages
now and need no alias (``BECAME_PACKAGES``): they re-export what the modules of those names
exported.
"""

# folders-rewrite: skip (this file names the old paths on purpose)

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

MOVED: dict[str, str] = {
    "iqp_wrapper._bodies": "iqp_wrapper.transport._bodies",
    "iqp_wrapper._deadline": "iqp_wrapper.transport._deadline",
    "iqp_wrapper._lean_client": "iqp_wrapper.transport._lean_client",
    "iqp_wrapper.aiohttp_transport": "iqp_wrapper.transport.aiohttp_transport",
    "iqp_wrapper.api_versions": "iqp_wrapper.transport.api_versions",
    "iqp_wrapper.async_backend": "iqp_wrapper.transport.async_backend",
    "iqp_wrapper.headers": "iqp_wrapper.transport.headers",
    "iqp_wrapper.network": "iqp_wrapper.transport.network",
    "iqp_wrapper.retry": "iqp_wrapper.transport.retry",
    "iqp_wrapper.iam": "iqp_wrapper.auth.iam",
    "iqp_wrapper._singleflight": "iqp_wrapper.auth._singleflight",
    "iqp_wrapper.config_checks": "iqp_wrapper.config.checks",
    "iqp_wrapper.config_sources": "iqp_wrapper.config.sources",
    "iqp_wrapper.input_checks": "iqp_wrapper.config.input_checks",
    "iqp_wrapper.accounts": "iqp_wrapper.credentials.qiskit_file",
    "iqp_wrapper.primitives.namespace": "iqp_wrapper.namespaces.primitives",
}
"""Every module moved to another path, old path -> new path: each old path imports as the
new module, with a warning."""

BECAME_PACKAGES: dict[str, str] = {
    "iqp_wrapper.auth": "iqp_wrapper.auth.flow",
    "iqp_wrapper.config": "iqp_wrapper.config.settings",
    "iqp_wrapper.namespaces": "iqp_wrapper.namespaces.jobs",
}
"""Old module paths that are packages now, package -> the module that holds what the old
module held. The package re-exports those names, so the old path needs no alias and no
warning (the import system finds the package before ``_MovedFinder`` is asked)."""


# Plain classes with the finder and loader methods: importlib.abc would cost ~10 ms at import.
class _MovedFinder:
    """Finds an old path only when nothing else did (it sits last on ``sys.meta_path``)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, cast("Loader", _MovedLoader()))


class _MovedLoader:
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None  # the default empty module; exec_module swaps in the real one

    def exec_module(self, module: ModuleType) -> None:
        old = module.__name__
        new = MOVED[old]
        warnings.warn(
            f"{old} has moved to {new}; import it from there (the old path will be removed).",
            DeprecationWarning,
            stacklevel=2,  # warnings skips importlib's own frames: the import statement
        )
        # The import system hands out whatever sys.modules holds once this returns.
        sys.modules[old] = importlib.import_module(new)


def install() -> None:
    """Let the old paths import (once per process, however often called)."""
    if not any(isinstance(finder, _MovedFinder) for finder in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
