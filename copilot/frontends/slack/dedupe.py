"""Small thread-safe helpers: a bounded TTL set of seen event ids, and one lock per key."""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable


class SeenEvents:
    """Remembers event ids for `ttl_s` seconds (at most `max_size` of them).

    Slack retries an event up to three times within about five minutes, so the
    default TTL of ten minutes covers every retry of an event we have seen.
    """

    def __init__(
        self,
        ttl_s: float = 600.0,
        max_size: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl_s = ttl_s
        self._max_size = max_size
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """Record `key`; True when it was not seen within the TTL (check and record are atomic)."""
        now = self._clock()
        with self._lock:
            while self._seen and next(iter(self._seen.values())) <= now - self._ttl_s:
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            while len(self._seen) > self._max_size:
                self._seen.popitem(last=False)
            return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)


class KeyedLocks:
    """One lock per key (a conversation), dropped once nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, threading.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._guard = threading.Lock()

    def __call__(self, key: str) -> threading.Lock:
        """The lock of `key` (hold a reference while using it: `with locks(key): ...`)."""
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = threading.Lock()
                self._locks[key] = lock
            return lock
