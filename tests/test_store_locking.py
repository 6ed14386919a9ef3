"""Waiting for other processes that hold the embedded store: bounded, with progress, then clear."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import text

from knowledge.store.database import connect_warehouse, writable_warehouse
from knowledge.store.locking import (
    StoreBusyError,
    StoreUnavailableError,
    is_lock_error,
    retry_while_locked,
    waiting_message,
)

DUCKDB_LOCK = 'IO Error: Could not set lock on file "x.duckdb": Conflicting lock is held'


class FakeClock:
    """A clock that advances only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_lock_errors_are_recognised_through_wrappers() -> None:
    wrapped = RuntimeError("outer")
    wrapped.__cause__ = duckdb.IOException(DUCKDB_LOCK)
    assert is_lock_error(wrapped)
    assert is_lock_error(Exception("database is locked"))
    assert not is_lock_error(ValueError("Table with name orders does not exist"))


def test_retry_waits_reports_progress_and_then_succeeds() -> None:
    clock = FakeClock()
    lines: list[str] = []
    attempts = {"n": 0}

    def attempt() -> str:
        attempts["n"] += 1
        if clock.now < 7.0:  # another process holds the file for 7 s
            raise duckdb.IOException(DUCKDB_LOCK)
        return "opened"

    result = retry_while_locked(attempt, 60, lines.append, clock=clock, sleep=clock.sleep)
    assert result == "opened"
    assert attempts["n"] > 2
    assert max(clock.sleeps) <= 0.5  # short backoff: the waiter notices the release quickly
    # A line about every 3 s of waiting, in the words the user sees.
    assert lines == [waiting_message(3.0), waiting_message(6.0)]
    assert lines[0] == "waiting for other copilot processes to release the store (3 s)..."


def test_retry_gives_up_with_one_clear_sentence() -> None:
    clock = FakeClock()

    def attempt() -> None:
        raise duckdb.IOException(DUCKDB_LOCK)

    with pytest.raises(StoreBusyError) as raised:
        retry_while_locked(attempt, 2.0, None, clock=clock, sleep=clock.sleep)
    message = str(raised.value)
    assert "another copilot process" in message and "COPILOT_STORE_WAIT_S" in message
    assert "\n" not in message
    assert isinstance(raised.value, StoreUnavailableError)  # front ends show it as it is
    assert clock.now == pytest.approx(2.0, abs=0.6)


def test_other_errors_are_not_retried() -> None:
    clock = FakeClock()
    calls = {"n": 0}

    def attempt() -> None:
        calls["n"] += 1
        raise ValueError("bad SQL")

    with pytest.raises(ValueError):
        retry_while_locked(attempt, 60, None, clock=clock, sleep=clock.sleep)
    assert calls["n"] == 1 and clock.sleeps == []


def _hold_file_in_another_process(path: Path, seconds: float) -> subprocess.Popen:
    """A real second process that opens the DuckDB file read-write and keeps it for a while."""
    script = textwrap.dedent(
        f"""
        import sys, time, duckdb
        conn = duckdb.connect({str(path)!r})
        print("holding", flush=True)
        time.sleep({seconds})
        conn.close()
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "holding"
    return process


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    with writable_warehouse(f"duckdb:///{path}") as engine, engine.begin() as conn:
        conn.execute(text("INSERT INTO products (sku, name_en) VALUES ('A1', 'Tea')"))
    return path


def test_reader_waits_for_a_writer_process_then_reads(small_store: Path) -> None:
    holder = _hold_file_in_another_process(small_store, 4.0)
    lines: list[str] = []
    started = time.monotonic()
    engine = connect_warehouse(f"duckdb:///{small_store}", wait_s=60, progress=lines.append)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name_en FROM products")).scalar_one() == "Tea"
    waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert waited >= 1.0  # it did wait for the other process
    assert lines and lines[0].startswith("waiting for other copilot processes")
    engine.dispose()


def test_writer_gives_up_after_the_wait_with_a_clear_error(small_store: Path) -> None:
    holder = _hold_file_in_another_process(small_store, 6.0)
    try:
        with (
            pytest.raises(StoreBusyError, match="still in use by another copilot process"),
            writable_warehouse(f"duckdb:///{small_store}", wait_s=1.0),
        ):
            pass
    finally:
        holder.wait(timeout=30)
    # Once the other process is gone the write goes through.
    with writable_warehouse(f"duckdb:///{small_store}", wait_s=5.0) as engine:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO products (sku, name_en) VALUES ('B2', 'Rice')"))
    reader = connect_warehouse(f"duckdb:///{small_store}")
    with reader.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM products")).scalar_one() == 2
    reader.dispose()


def test_readers_hold_nothing_while_idle(small_store: Path) -> None:
    """A reader engine that is not in a question lets another process write at once."""
    reader = connect_warehouse(f"duckdb:///{small_store}")
    with reader.connect() as conn:
        conn.execute(text("SELECT count(*) FROM products")).scalar_one()
    script = textwrap.dedent(
        f"""
        import duckdb
        conn = duckdb.connect({str(small_store)!r})
        conn.execute("INSERT INTO products (sku, name_en) VALUES ('C3', 'Salt')")
        conn.close()
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    with reader.connect() as conn:  # and the reader sees the new row on its next connection
        assert conn.execute(text("SELECT count(*) FROM products")).scalar_one() == 2
    reader.dispose()
