"""Names of a package that load their submodule on first use (PEP 562).

Heavy libraries (chromadb, matplotlib, plotly, the demo generator) are only
imported when a caller asks for a name that needs them, so `copilot --help` and
`copilot ask` start fast. One helper serves every package that does this.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, submodule_of: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: `name` is read from `package.submodule_of[name]`.

    Raises AttributeError for any other name, as a module without it would.
    """

    def __getattr__(name: str) -> Any:
        if name not in submodule_of:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{submodule_of[name]}"), name)

    return __getattr__
