"""The offline planner: the embedded chat model that needs no key and no network."""

import re

# The readers match a few thousand lexicon patterns by their text (re.search(pattern, ...)); the
# `re` module keeps only 512 compiled patterns, so every question recompiled most of them (the
# planner benchmark spent over half its time in re's parser). A larger cache holds them all
# once compiled; the standard library reads this module attribute on every compile.
if getattr(re, "_MAXCACHE", 0) < 8192:
    re._MAXCACHE = 8192  # type: ignore[attr-defined]

from copilot.offline.planner import OfflinePlanner
from copilot.offline.values import ValueIndex

__all__ = ["OfflinePlanner", "ValueIndex"]
