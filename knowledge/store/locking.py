"""Waiting, bounded, for other processes that hold the embedded store.

DuckDB lets one process open a database file read-write and then nobody else
can open it, not even read-only; SQLite answers "database is locked" while
another process writes. Both are waited out here: retry with a short backoff,
tell the user every few seconds what is happening, and give up after
`wait_s` seconds with one clear sentence.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Substrings of the drivers' lock errors (DuckDB's IO Error on the file lock, DuckDB's
# same-process clash of a read-only and a read-write instance, SQLite's busy lock).
_LOCK_MARKERS = (
    "could not set lock on file",
    "conflicting lock is held",
    "database is locked",
    "different configuration than existing connections",
)
PROGRESS_EVERY_S = 3.0


class StoreUnavailableError(RuntimeError):
    """The store cannot be opened or reached; a fatal error shown to the user as it is."""


class StoreBusyError(StoreUnavailableError):
    """The store stayed locked by other copilot processes for longer than the wait allowed."""


def is_lock_error(exc: BaseException) -> bool:
    """Whether `exc` (or what it wraps) says another process or connection holds the store."""
    while exc is not None:
        if any(marker in str(exc).lower() for marker in _LOCK_MARKERS):
            return True
        exc = exc.__cause__ or getattr(exc, "orig", None)  # type: ignore[assignment]
    return False


def waiting_message(seconds: float) -> str:
    """The progress line shown while waiting, e.g. after 3 s."""
    return f"waiting for other copilot processes to release the store ({seconds:.0f} s)..."


def retry_while_locked(
    attempt: Callable[[], T],
    wait_s: float,
    progress: Callable[[str], None] | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`attempt()`, retried while it fails with a lock error, for at most `wait_s` seconds.

    `progress` gets `waiting_message(...)` about every PROGRESS_EVERY_S seconds
    of waiting. Errors other than lock errors pass through at once. Raises
    StoreBusyError once the wait is over.
    """
    start = clock()
    next_report = start + PROGRESS_EVERY_S
    delay = 0.05
    while True:
        try:
            return attempt()
        except Exception as exc:  # the drivers' lock errors share no base class
            if not is_lock_error(exc):
                raise
            waited = clock() - start
            if waited >= wait_s:
                raise StoreBusyError(
                    f"The store is still in use by another copilot process after {wait_s:g} s "
                    "(an import or demo data being written?); try again when it has finished, "
                    "or raise COPILOT_STORE_WAIT_S."
                ) from exc
            if progress is not None and clock() >= next_report:
                progress(waiting_message(waited))
                next_report += PROGRESS_EVERY_S
            sleep(min(delay, max(wait_s - waited, 0.0)))
            delay = min(delay * 2, 0.5)
