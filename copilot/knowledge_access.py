"""The knowledge base, opened on first use: most questions never need it, and the
first start embeds the starter documents (seconds to tens of seconds on 2 cores)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


class LazyKnowledgeBase:
    """Opens the Chroma knowledge base (and loads the starter documents) on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._kb: Any = None
        self._lock = threading.Lock()

    def open(self, progress: Callable[[str, float], None] | None = None) -> Any:
        """The KnowledgeBase, with the starter knowledge loaded (idempotent, thread-safe)."""
        with self._lock:
            if self._kb is None:
                from knowledge.documents import KnowledgeBase, ensure_starter_knowledge

                kb = KnowledgeBase(self.directory)
                ensure_starter_knowledge(kb, progress=progress)
                self._kb = kb
            return self._kb

    def warm_up_in_background(self) -> threading.Thread:
        """Open the knowledge base on a daemon thread (the web UI does this at launch)."""
        thread = threading.Thread(target=self.open, name="knowledge-warm-up", daemon=True)
        thread.start()
        return thread

    def __getattr__(self, name: str) -> Any:
        # search(), list(), add() ... go to the real knowledge base.
        return getattr(self.open(), name)
