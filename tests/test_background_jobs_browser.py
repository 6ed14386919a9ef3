"""A background job in a real browser: the notice at once, then the answer posted into the chat."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.settings import Settings
from tests.conftest import AS_OF
from tests.test_background_jobs import slow_fits
from tests.test_web_browser import (  # noqa: F401
    ANSWER_TIMEOUT_MS,
    browser,
    keep_screenshot,
    page,
    serve,
)


@pytest.fixture
def url(duckdb_demo_engine: Engine, tmp_path: Path) -> Iterator[str]:
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    yield from serve(Copilot(settings, engine=duckdb_demo_engine))


def test_personas_run_in_the_background_and_post_into_the_chat(
    page, url, tmp_path, monkeypatch
) -> None:  # noqa: ANN001, F811, E501
    slow_fits(monkeypatch)
    page.goto(url)
    box = page.locator("#chat-input textarea")
    box.fill("把客户分成几类并描述一下")
    box.press("Enter")
    bots = page.get_by_test_id("bot")
    # At once: the notice says, in Chinese, what runs in the background.
    bots.filter(has_text="已转到后台运行").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    # Then the job timer posts the personas answer and its chart into the same chat.
    page.get_by_text("后台任务完成").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    bots.filter(has_text="画像").last.wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.locator("#results-panel .js-plotly-plot").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    keep_screenshot(page, tmp_path / "background-job.png")
    last = bots.last.inner_text()
    assert "画像" in last and "已转到后台运行" not in last  # the answer is the last message
    # The chat goes on as usual after it.
    box.fill("上个月的销售额是多少？")
    box.press("Enter")
    bots.filter(has_text="¥").last.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert page.errors == []
