"""The offline planner: the embedded chat model that needs no key and no network."""

from copilot.offline.planner import OfflinePlanner
from copilot.offline.values import ValueIndex

__all__ = ["OfflinePlanner", "ValueIndex"]
