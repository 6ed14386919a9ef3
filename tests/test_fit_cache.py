"""The fit cache: a cached churn model / persona clustering equals a fresh fit; changed data refits."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.demo import generate_demo_data
from knowledge.store import connect_store
from tests.conftest import AS_OF
from tools.base import ToolContext, ToolOutput
from tools.churn import predict_churn
from tools.fit_cache import FITS, AskSlots, FitCache, fingerprint, heavy_workers
from tools.segments.persona_report import customer_personas


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[Engine]:  # noqa: ANN001
    """A store of its own: the last test changes its orders."""
    engine = connect_store(f"duckdb:///{tmp_path_factory.mktemp('fits')}/store.duckdb")
    generate_demo_data(engine, customers=1200, seed=3)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    FITS.clear()
    FITS.enabled = True
    yield
    FITS.enabled = True
    FITS.clear()


def _ctx(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=None, as_of=AS_OF)  # type: ignore[arg-type]


def _same(a: ToolOutput, b: ToolOutput) -> None:
    """Everything a user sees: the model's text, the data, every table."""
    assert a.for_model == b.for_model
    assert a.data == b.data
    assert [t.title for t in a.artifacts] == [t.title for t in b.artifacts]
    for left, right in zip(a.artifacts, b.artifacts, strict=True):
        pd.testing.assert_frame_equal(left.frame, right.frame)


def _fresh(call) -> ToolOutput:  # noqa: ANN001
    FITS.enabled = False
    try:
        return call()
    finally:
        FITS.enabled = True


def test_churn_from_the_cache_equals_a_fresh_fit(store: Engine) -> None:
    first = predict_churn(_ctx(store), save_scores=False)
    again = predict_churn(_ctx(store), save_scores=False)
    assert (FITS.stats.misses, FITS.stats.hits) == (1, 1)
    _same(first, again)
    _same(again, _fresh(lambda: predict_churn(_ctx(store), save_scores=False)))
    # Another horizon is another model, not a hit.
    predict_churn(_ctx(store), horizon_days=60, save_scores=False)
    assert FITS.stats.misses == 2


def test_personas_from_the_cache_equal_a_fresh_clustering(store: Engine) -> None:
    first = customer_personas(_ctx(store), save=False)
    again = customer_personas(_ctx(store), save=False)
    assert (FITS.stats.misses, FITS.stats.hits) == (1, 1)
    _same(first, again)
    _same(again, _fresh(lambda: customer_personas(_ctx(store), save=False)))
    customer_personas(_ctx(store), k=4, save=False)
    assert FITS.stats.misses == 2


def test_changed_orders_refit_and_match_a_fresh_fit(store: Engine) -> None:
    before = predict_churn(_ctx(store), save_scores=False)
    personas_before = customer_personas(_ctx(store), save=False)
    # An import that cancels a tenth of the orders: both inputs change, so both refit.
    with store.begin() as conn:
        conn.execute(text("UPDATE orders SET status = 'cancelled' WHERE right(order_id, 1) = '0'"))
    after = predict_churn(_ctx(store), save_scores=False)
    personas_after = customer_personas(_ctx(store), save=False)
    assert (FITS.stats.misses, FITS.stats.hits) == (4, 0)
    assert after.data != before.data
    assert personas_after.for_model != personas_before.for_model
    _same(after, _fresh(lambda: predict_churn(_ctx(store), save_scores=False)))
    _same(personas_after, _fresh(lambda: customer_personas(_ctx(store), save=False)))


def test_concurrent_requests_fit_once_and_fits_share_the_slots() -> None:
    cache = FitCache(workers=1)
    calls: list[str] = []
    running = [0, 0]  # now, most at once
    lock = threading.Lock()

    def slow_fit(name: str) -> str:
        with lock:
            calls.append(name)
            running[0] += 1
            running[1] = max(running)
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return name.upper()

    keys = ["a"] * 4 + ["b"] * 4
    results: list[str] = []
    threads = [
        threading.Thread(
            target=lambda k=k: results.append(cache.get_or_fit("t", k, lambda: slow_fit(k)))
        )
        for k in keys
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(calls) == ["a", "b"]  # one fit per key, however many asked at once
    assert sorted(results) == ["A"] * 4 + ["B"] * 4
    assert running[1] == 1  # one heavy slot: the two fits never overlapped
    assert (cache.stats.misses, cache.stats.hits) == (2, 6)


def test_a_failed_fit_is_not_cached() -> None:
    cache = FitCache(workers=1)
    with pytest.raises(ValueError):
        cache.get_or_fit("t", "k", lambda: (_ for _ in ()).throw(ValueError("no labels")))
    assert cache.get_or_fit("t", "k", lambda: 7) == 7


def test_fingerprint_sees_values_index_and_dtypes() -> None:
    frame = pd.DataFrame({"x": [1, 2]}, index=[10, 11])
    assert fingerprint(frame) == fingerprint(frame.copy())
    assert fingerprint(frame) != fingerprint(frame.assign(x=[1, 3]))
    assert fingerprint(frame) != fingerprint(frame.set_axis([10, 12]))
    assert fingerprint(frame) != fingerprint(frame.astype(float))
    assert fingerprint(frame, 90) != fingerprint(frame, 60)


def test_heavy_workers_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPILOT_HEAVY_WORKERS", "3")
    assert heavy_workers() == 3
    monkeypatch.setenv("COPILOT_HEAVY_WORKERS", "zero")
    with pytest.raises(ValueError, match="COPILOT_HEAVY_WORKERS must be a positive integer"):
        heavy_workers()


def test_a_question_lends_its_ask_slot_while_it_fits() -> None:
    asks = AskSlots(workers=1)
    inside, release, second = threading.Event(), threading.Event(), threading.Event()

    def heavy() -> None:
        with asks.slot(), asks.lent():  # as FitCache.heavy_slot does around a fit
            inside.set()
            assert release.wait(10)

    def light() -> None:
        with asks.slot():
            second.set()

    first = threading.Thread(target=heavy)
    first.start()
    assert inside.wait(10)
    other = threading.Thread(target=light)
    other.start()
    assert second.wait(10)  # the one slot was lent: the light question ran meanwhile
    release.set()
    first.join(10)
    other.join(10)
    assert not first.is_alive() and not other.is_alive()
