"""Background jobs as a user sees them in a real browser, in English and Chinese.

The notice at once in the question's language, its progress while it runs, the answer
posted into the same conversation under one "done" notice with no spinner left, still
there after a reload; a job that survives its tab being closed; and a question with an
unclear word asked back in the chat at once, never as a background job.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.frontends.web import jobs
from copilot.settings import Settings
from tests.conftest import AS_OF
from tests.test_web_browser import (  # noqa: F401
    ANSWER_TIMEOUT_MS,
    browser,
    keep_screenshot,
    page,
    serve,
)


@pytest.fixture
def url(
    duckdb_demo_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    # The personas clustering goes to the background as soon as it starts, however fast
    # the machine (HEAVY_GRACE_S is for a tool that declines at once; tested in
    # test_web_jobs_planning.py).
    monkeypatch.setattr(jobs, "HEAVY_GRACE_S", 0.0)
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    yield from serve(Copilot(settings, engine=duckdb_demo_engine))


def _ask(tab, question: str) -> None:  # noqa: ANN001
    box = tab.locator("#chat-input textarea")
    box.fill(question)
    box.press("Enter")


def _spinners(tab) -> int:  # noqa: ANN001
    return tab.get_by_test_id("bot").locator(".loading-spinner").count()


def test_background_job_in_english_posts_once_and_survives_a_reload(
    page,  # noqa: ANN001, F811
    url: str,
    tmp_path: Path,
) -> None:
    page.goto(url)
    _ask(page, "Cluster my customers into personas")
    bots = page.get_by_test_id("bot")
    # At once: the notice in English, with its progress (elapsed seconds) in its title.
    notice = bots.filter(has_text="runs in the background: clustering your customers")
    notice.first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "Running in the background" in notice.first.inner_text()
    # Then the answer, posted into the same chat under one "done" notice.
    page.get_by_text("Background job done").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    bots.filter(has_text="personas with K-means").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_timeout(2500)  # a later poll must not post it again
    keep_screenshot(page, tmp_path / "job-en-done.png")
    assert page.get_by_text("Background job done").count() == 1
    assert bots.filter(has_text="personas with K-means").count() == 1
    assert bots.filter(has_text="runs in the background").count() == 0  # the notice made way
    assert "personas with K-means" in bots.last.inner_text()
    assert _spinners(page) == 0  # no step or notice left spinning
    # Saved: a reload shows the conversation again, answer included, once.
    page.reload()
    answer = page.get_by_test_id("bot").filter(has_text="personas with K-means")
    answer.first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    user = page.get_by_test_id("user").filter(has_text="Cluster my customers into personas")
    assert user.count() == 1
    assert answer.count() == 1
    assert _spinners(page) == 0
    keep_screenshot(page, tmp_path / "job-en-reloaded.png")
    assert page.errors == []


def test_background_job_in_chinese_survives_a_closed_tab(page, url: str, tmp_path: Path) -> None:  # noqa: ANN001, F811
    page.goto(url)
    _ask(page, "把客户分成几类并描述一下")
    page.get_by_test_id("bot").filter(has_text="已转到后台运行").first.wait_for(
        timeout=ANSWER_TIMEOUT_MS
    )
    context = page.context
    page.close()  # the job belongs to the server, not the tab
    again = context.new_page()
    again.set_default_timeout(ANSWER_TIMEOUT_MS)
    again.goto(url)
    bots = again.get_by_test_id("bot")
    # The same conversation: the question, then (restored or posted) the answer, once.
    bots.filter(has_text="K-means").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    again.wait_for_timeout(2500)
    assert again.get_by_test_id("user").filter(has_text="把客户分成几类并描述一下").count() == 1
    assert bots.filter(has_text="K-means").count() == 1
    assert again.get_by_text("后台任务完成").count() <= 1
    assert _spinners(again) == 0
    # A question with a word the store does not know is asked back at once, in the chat.
    _ask(again, "给微信渠道的沉睡客户写一条短信")
    bots.filter(has_text="微信渠道").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "微信渠道" in bots.last.inner_text()
    assert bots.filter(has_text="已转到后台运行").count() == 0
    again.wait_for_timeout(2500)  # a later poll must not post the finished job again
    texts = [m.inner_text() for m in bots.all()]
    assert sum("后台任务完成" in t for t in texts) <= 1, texts
    assert sum("K-means" in t for t in texts) == 1, texts
    assert "微信渠道" in texts[-1], texts
    keep_screenshot(again, tmp_path / "job-zh-closed-tab.png")
