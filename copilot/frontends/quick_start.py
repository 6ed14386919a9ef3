"""Starting a command without the cyclic garbage collector's repeated full scans.

Starting `copilot ask` creates about 130,000 long-lived objects (modules,
classes, ORM and Pydantic models, compiled patterns; the web UI about 200,000)
and almost no garbage cycles. While they are created, the collector's thresholds
trigger collection after collection, each scanning everything created so far,
and the interpreter's exit scans them all once more: together about a quarter of
the command's CPU time (4.2 s -> 3.0-3.2 s of CPU for `copilot ask`, measured at
load 20-23; issue 10).

`start_up()` pauses the collector while the command loads its modules and opens
its stores, then freezes what exists (`gc.freeze`: moved to a permanent
generation that later collections skip, as the gc module's documentation
describes for long-lived start-up objects) and resumes collecting. Garbage made
afterwards (the question's frames and tables) is collected as usual; the cost is
that a cycle created during start-up and dropped before its end is kept until
the process exits.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def start_up() -> Iterator[None]:
    """Run the block (imports, opening the stores) with the collector paused, then freeze
    every object that exists and collect as usual from there on. Nests: an inner block
    leaves the collector as the outer one set it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


@contextmanager
def collecting() -> Iterator[None]:
    """Collect garbage as usual inside a `start_up()` block, for work that makes much of it
    (generating the demo store of a new home); the pause resumes after the block."""
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was_enabled:
            gc.disable()
