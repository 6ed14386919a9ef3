"""Langsmith's REST API models load on first use, not on every start.

langchain_core imports langsmith's RunTree for its tracers, and langsmith (0.15)
imports one enum from `langsmith.types` there, whose package `__init__` imports
all of its ~160 generated API models: about 0.4-0.8 s of CPU on every start of
the copilot (issue 10), for an API the copilot never calls (tracing is off).

`defer_langsmith_types` installs an import hook (nothing is imported until then,
so `copilot --help` pays nothing): when `langsmith.types` is first imported, the
package is created with its `__init__` deferred to the first attribute read.
Its submodules (`langsmith.types.run_select_field`) import as usual, and every
name of the package is there when asked for (`from langsmith.types import Run`).
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

PACKAGE = "langsmith.types"


class _DeferredInitLoader:
    """Creates the package as its own loader would, and runs its `__init__` on the
    first read of a name the package does not have yet."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def __getattr__(self, name: str) -> Any:  # get_resource_reader, is_package...
        return getattr(self.loader, name)

    def create_module(self, spec: Any) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        loaded = False

        def load_on_first_use(name: str) -> Any:
            nonlocal loaded
            if loaded:
                raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
            loaded = True
            del module.__dict__["__getattr__"]  # the package's own names from here on
            self.loader.exec_module(module)
            return getattr(module, name)

        module.__getattr__ = load_on_first_use  # type: ignore[method-assign]


class _DeferredPackageFinder:
    """A meta path finder for PACKAGE only, used once: the spec the other finders give,
    with its loader wrapped."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != PACKAGE:
            return None
        sys.meta_path.remove(self)
        from importlib.util import find_spec  # the ordinary finders, from here on

        spec = find_spec(fullname)
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            return spec  # not the package layout this was written for: import it as it is
        spec.loader = _DeferredInitLoader(spec.loader)
        return spec


def defer_langsmith_types() -> None:
    """Install the hook (once; nothing happens if the package is already imported)."""
    if PACKAGE in sys.modules:
        return
    if any(isinstance(finder, _DeferredPackageFinder) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, _DeferredPackageFinder())
