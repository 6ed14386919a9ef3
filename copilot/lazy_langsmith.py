"""Langsmith's REST API models load on first use, not on every start.

langchain_core imports langsmith's RunTree for its tracers, and langsmith (0.15)
imports one enum from `langsmith.types` there, whose package `__init__` imports
all of its ~160 generated API models: about 0.8 s of CPU on every start of the
copilot (issue 10), for an API the copilot never calls (tracing is off). This
registers `langsmith.types` as a package whose `__init__` runs on the first
attribute read instead; its submodules (`langsmith.types.run_select_field`)
import as usual, and any name of the package is still there when asked for.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any

PACKAGE = "langsmith.types"


def defer_langsmith_types() -> None:
    """Register `langsmith.types` with a deferred `__init__` (no-op if already imported,
    or if langsmith is missing or laid out differently)."""
    if PACKAGE in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(PACKAGE)  # imports langsmith itself: cheap, lazy
    except ImportError:
        return
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return
    module = importlib.util.module_from_spec(spec)
    loaded = False

    def load_on_first_use(name: str) -> Any:
        nonlocal loaded
        if loaded:
            raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")
        loaded = True
        del module.__dict__["__getattr__"]  # the package's own names from here on
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        return getattr(module, name)

    module.__getattr__ = load_on_first_use  # type: ignore[method-assign]
    sys.modules[PACKAGE] = module
    parent: ModuleType | None = sys.modules.get(PACKAGE.rpartition(".")[0])
    if parent is not None:
        setattr(parent, PACKAGE.rpartition(".")[2], module)
