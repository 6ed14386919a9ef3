"""Regular expressions compiled on first use instead of at import.

The offline planner's modules define some 170 module-level patterns; compiling
them all costs about 0.2 s of CPU on every `copilot ask`, while one question
uses a quarter of them (issue 10). `lazy_compile(pattern, flags)` takes what
`re.compile` takes and returns an object that compiles on its first method or
attribute access (`search`, `match`, `finditer`, `sub`, `pattern`...), then
behaves as the compiled pattern. Thread-safe: two threads compiling at once get
equal patterns (re caches them).

It is not an `re.Pattern`: pass it to code that calls its methods, not to
`re.search(pattern, ...)` or an `isinstance(x, re.Pattern)` check (use `.compiled`).
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """A regular expression compiled when first used (see the module docstring)."""

    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, pattern: str, flags: int | re.RegexFlag = 0) -> None:
        self._source = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet); re.error if invalid."""
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        # Only called for names not found on the object: the Pattern's methods and fields.
        # Fields not set yet (while copy or pickle rebuild the object) and dunder look-ups
        # (__deepcopy__, __setstate__) are not the pattern's: no compiling, no recursion.
        if name in LazyPattern.__slots__ or name == "compiled" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self._source!r}, {self._flags!r})"


def lazy_compile(pattern: str, flags: int | re.RegexFlag = 0) -> LazyPattern:
    """`re.compile(pattern, flags)`, deferred until the pattern is first used."""
    return LazyPattern(pattern, flags)
