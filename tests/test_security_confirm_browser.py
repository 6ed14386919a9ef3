"""The Confirm button under the chat, in a real browser (see tests/test_web_browser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.settings import Settings
from tests.conftest import AS_OF
from tests.test_web_browser import ANSWER_TIMEOUT_MS, browser, page, serve  # noqa: F401

RAW = "export the At Risk segment for SMS with phone numbers"


@pytest.fixture
def home_and_url(duckdb_demo_engine: Engine, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    for url in serve(Copilot(settings, engine=duckdb_demo_engine)):
        yield tmp_path, url


def test_confirm_button_runs_the_pending_export(page, home_and_url) -> None:  # noqa: ANN001, F811
    home, url = home_and_url
    page.goto(url)
    box = page.locator("#chat-input textarea")
    box.fill(RAW)
    box.press("Enter")
    button = page.locator("#confirm-action")
    button.wait_for(state="visible", timeout=ANSWER_TIMEOUT_MS)
    # The button and the last chat message are two components of one update; the
    # browser may paint either first, so wait for the message instead of reading it once.
    waiting = page.get_by_test_id("bot").filter(has_text="Waiting for your confirmation")
    waiting.last.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert not list(home.glob("exports/*.csv"))  # nothing written before the click
    button.click()
    page.locator("#confirm-result").get_by_text("Done").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert len(list(home.glob("exports/*.csv"))) == 1
    assert "confirmed by web:anonymous" in page.locator("#confirm-result").inner_text()
    button.wait_for(state="hidden", timeout=ANSWER_TIMEOUT_MS)  # nothing left to confirm
    assert page.errors == []
