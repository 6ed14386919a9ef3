"""Fitted models kept per input data, and a bound on how many fits run at once.

Why: a churn model (gradient boosting + permutation importance, ~2.5 s CPU on
the 2,000-customer demo store) and a persona clustering (K-means over k = 3..8
with silhouettes, ~0.7 s) were recomputed on every question, although the data
had not changed. Under 50 users the repeated fits took the CPU from everyone
else (round 2: churn p95 75 s, metrics p95 18 s; benchmarks/results/load.md).

Keys are content fingerprints, not a version counter: `fingerprint()` hashes the
very frames or arrays the fit reads (values, index, column names, dtypes) plus
the fit's arguments. So a hit is by construction the same computation on the
same input (the fits use fixed seeds), and any import, demo-data run or edit
that changes the input changes the key: there is nothing to invalidate by hand
and no path (CLI, web, Slack, another process) that can leave a stale entry.
Old entries simply age out of the small LRU.

Heavy slots: a fit that is not cached runs while holding one of
`heavy_workers()` slots (COPILOT_HEAVY_WORKERS, default: cores - 1, at least 1),
so at most that many fits compete for the CPU and light questions (metrics,
segments) keep the rest. Concurrent requests for the same key wait for the one
fit in flight instead of fitting again (single flight).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

_T = TypeVar("_T")
MAX_ENTRIES = 16  # fitted models of a 2,000-customer store are ~1 MB each
HEAVY_WORKERS_ENV = "COPILOT_HEAVY_WORKERS"
ASK_WORKERS_ENV = "COPILOT_ASK_WORKERS"


def heavy_workers() -> int:
    """How many uncached fits may run at once (COPILOT_HEAVY_WORKERS, else cores - 1, >= 1).

    Raises ValueError naming the variable when it is set to anything but a positive integer.
    """
    return _workers(HEAVY_WORKERS_ENV, max(1, (os.cpu_count() or 2) - 1))


def ask_workers() -> int:
    """How many questions the web's jobs answer at once (COPILOT_ASK_WORKERS, else 2 x cores).

    Raises ValueError naming the variable when it is set to anything but a positive integer.
    """
    return _workers(ASK_WORKERS_ENV, 2 * (os.cpu_count() or 2))


def _workers(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a positive integer, not {raw!r}.")
    return int(raw)


class _Permit:
    """An ask slot held by one question; shared by the threads its tools run on."""

    def __init__(self) -> None:
        self.held = False


_PERMIT: ContextVar[_Permit | None] = ContextVar("copilot_ask_permit", default=None)


class AskSlots:
    """A bound on questions answered at once, so 50 users do not share the CPU 50 ways.

    With every question on its own thread, 50 questions at once each get 1/50 of
    the CPU (and of Python's GIL): all finish late together, and the server's own
    loop that sends replies starves too (a 50-user run: first replies ~66 s). A
    question holds a slot while it works; while one of its fits waits for or holds
    a heavy slot (`FitCache.heavy_slot`), it lends its ask slot to the next question,
    so heavy questions never keep light ones waiting.
    """

    def __init__(self, workers: int | None = None) -> None:
        self._slots = threading.BoundedSemaphore(workers or ask_workers())

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold an ask slot while the block runs (waits for a free one)."""
        permit = _Permit()
        self._slots.acquire()
        permit.held = True
        token = _PERMIT.set(permit)
        try:
            yield
        finally:
            _PERMIT.reset(token)
            if permit.held:
                permit.held = False
                self._slots.release()

    @contextmanager
    def lent(self) -> Iterator[None]:
        """Give the current question's slot back while the block runs, then take one again."""
        permit = _PERMIT.get()
        if permit is None or not permit.held:
            yield
            return
        permit.held = False
        self._slots.release()
        try:
            yield
        finally:
            self._slots.acquire()
            permit.held = True


ASKS = AskSlots()
"""The process's ask slots (web/jobs.py holds one per question it answers)."""


def fingerprint(*parts: Any) -> str:
    """A SHA-256 hex digest of DataFrames, Series, arrays and plain values, in order.

    Frames and Series hash their values row by row with their index
    (`pd.util.hash_pandas_object`), plus column names and dtypes; arrays hash their
    bytes, shape and dtype; anything else hashes its `repr` (dates, ints, None, str).
    """
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, pd.DataFrame):
            digest.update(b"frame")
            digest.update(repr([(str(c), str(t)) for c, t in part.dtypes.items()]).encode())
            digest.update(pd.util.hash_pandas_object(part, index=True).to_numpy().tobytes())
        elif isinstance(part, pd.Series):
            digest.update(b"series" + str(part.dtype).encode() + repr(part.name).encode())
            digest.update(pd.util.hash_pandas_object(part, index=True).to_numpy().tobytes())
        elif isinstance(part, np.ndarray):
            array = np.ascontiguousarray(part)
            digest.update(b"array" + str(array.dtype).encode() + repr(array.shape).encode())
            digest.update(array.tobytes())
        else:
            digest.update(b"value" + repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


@dataclass
class CacheStats:
    """Counters since start (or `clear()`): hits, misses (fits run) and seconds spent fitting."""

    hits: int = 0
    misses: int = 0
    fit_seconds: float = 0.0
    waiting: int = 0  # fits waiting for a heavy slot right now


class FitCache:
    """A thread-safe LRU of fitted results keyed by (kind, fingerprint), with single flight."""

    def __init__(self, max_entries: int = MAX_ENTRIES, workers: int | None = None) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._in_flight: dict[tuple[str, str], threading.Lock] = {}
        self._slots = threading.BoundedSemaphore(workers or heavy_workers())
        self.stats = CacheStats()
        self.enabled = True

    def get_or_fit(self, kind: str, key: str, fit: Callable[[], _T]) -> _T:
        """The cached result of `fit()` for (kind, key); runs `fit` in a heavy slot on a miss.

        `fit` must be deterministic in its input (what `key` fingerprints); callers
        must not mutate the result, which other requests share.
        """
        entry = (kind, key)
        if not self.enabled:
            with self.heavy_slot():
                return fit()
        with self._lock:
            if entry in self._entries:
                self._entries.move_to_end(entry)
                self.stats.hits += 1
                return self._entries[entry]
            flight = self._in_flight.setdefault(entry, threading.Lock())
        with flight:  # a second request for the same key waits here for the first one's fit
            with self._lock:
                if entry in self._entries:
                    self._entries.move_to_end(entry)
                    self.stats.hits += 1
                    return self._entries[entry]
            try:
                with self.heavy_slot():
                    started = time.perf_counter()
                    value = fit()
                    elapsed = time.perf_counter() - started
                with self._lock:
                    self.stats.misses += 1
                    self.stats.fit_seconds += elapsed
                    self._entries[entry] = value
                    while len(self._entries) > self.max_entries:
                        self._entries.popitem(last=False)
            finally:  # a failed fit is not cached: the next request tries again
                with self._lock:
                    self._in_flight.pop(entry, None)
        return value

    @contextmanager
    def heavy_slot(self) -> Iterator[None]:
        """Hold one of the heavy slots while the block runs (waits for a free one)."""
        with ASKS.lent():  # a question waiting for or running a fit lends its ask slot
            with self._lock:
                self.stats.waiting += 1
            self._slots.acquire()
            with self._lock:
                self.stats.waiting -= 1
            try:
                yield
            finally:
                self._slots.release()

    def clear(self) -> None:
        """Forget every entry and reset the counters (tests; nothing needs it for correctness)."""
        with self._lock:
            self._entries.clear()
            self.stats = CacheStats()


FITS = FitCache()
"""The process's cache: the churn model and the persona clustering use it."""
