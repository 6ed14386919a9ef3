"""Every kind of result in a real browser, in English and Chinese: what a person sees.

One server for the module and one page per language; each flow asks its question on
that page and checks the Results panel: no error badge, a table with headers, a chart
with its title where the tool draws one, and for a Chinese question Chinese headers and
chart titles (for an English one, none). Screenshots land in a tmp dir (kept under
COPILOT_SCREENSHOT_DIR when set). Same Chromium and skip rules as test_web_browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.frontends.web import build_app, start
from copilot.settings import Settings
from knowledge.demo import generate_demo_data
from knowledge.store import connect_store
from tests.conftest import AS_OF, DEMO_CUSTOMERS, DEMO_SEED
from tests.test_web_browser import CHROMIUM, CHROMIUM_ARGS, free_port, keep_screenshot, sync_api

FLOW_TIMEOUT_MS = 120_000  # churn and personas fit models; the machine may be busy
CJK = re.compile(r"[\u4e00-\u9fff]")
# Words a Chinese label may keep in Latin letters: the field's acronyms.
ACRONYMS = {"RFM", "SMS", "CTR", "AOV", "ROI", "ROAS", "LTV", "CAC", "AUC", "CSV", "SKU", "K-means"}
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z-]{2,}")
ERROR_BADGES = (
    ".toast-body.error, .toast-body:has-text('Error'), [data-testid='status-tracker'] .error"
)


@dataclass(frozen=True)
class Flow:
    """One question, the kind of result it shows, and whether that result has a chart."""

    kind: str
    question: str
    chart: bool


FLOWS = {
    "en": [
        Flow("metrics", "Revenue by month this year", chart=True),
        Flow("rfm", "Segment my customers with RFM", chart=True),
        Flow("personas", "What kinds of customers do we have? Find personas", chart=True),
        Flow("rule-segment", "Shanghai women 25-35 who bought skincare in the last 90 days", False),
        Flow("profile", "Describe the Champions segment", chart=True),
        Flow("cross-sell", "Cross-sell recommendations for Champions", chart=True),
        Flow("churn", "Who is likely to churn in the next 90 days?", chart=True),
        Flow("cohorts", "Show monthly cohort retention for 2025", chart=True),
        Flow("ab-test", "A/B test results", chart=True),
        Flow("copy", "Write an SMS for Champions about 20% off skincare", chart=False),
        Flow("export", "Export the At Risk segment for SMS", chart=False),
        Flow("knowledge", "What is the SMS length limit in our guidelines?", chart=False),
        Flow("sql", "How many customers signed up via the mini program?", chart=False),
    ],
    "zh": [
        Flow("metrics", "今年每月的销售额", chart=True),
        Flow("rfm", "做一下RFM客户分群", chart=True),
        Flow("personas", "我们有哪几类客户？", chart=True),
        Flow("rule-segment", "上海25到35岁买过护肤品的女性客户", chart=False),
        Flow("profile", "冠军客户的画像是什么样的？", chart=True),
        Flow("cross-sell", "冠军客户的交叉销售推荐", chart=True),
        Flow("churn", "预测未来90天哪些客户可能流失", chart=True),
        Flow("cohorts", "2025年各月新客的留存率", chart=True),
        Flow("ab-test", "双十一推送的A/B测试结果显著吗？", chart=True),
        Flow("copy", "给冠军客户写一条短信，护肤品满300减50", chart=False),
        Flow("export", "导出冠军客户的短信名单", chart=False),
        Flow("knowledge", "短信最多多少个字？", chart=False),
        Flow("sql", "有多少客户同意接收短信？", chart=False),
    ],
}


@pytest.fixture(scope="module")
def flows_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The small demo store, this module's own: the session's store holds what other tests
    saved (test_language_mix saves a segment named exactly like the rule-segment flow's
    question, which then reads as that saved segment), and a person's first flows run on
    a store without them."""
    engine = connect_store(f"duckdb:///{tmp_path_factory.mktemp('flows-store')}/store.duckdb")
    generate_demo_data(engine, customers=DEMO_CUSTOMERS, seed=DEMO_SEED)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def flows_url(flows_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(home=tmp_path_factory.mktemp("flows"), as_of=AS_OF, llm_provider="offline")
    copilot = Copilot(settings, engine=flows_engine)
    app = build_app(copilot)
    for attempt in range(3):
        try:
            # Gradio checks that it can reach its own port; on a saturated machine that check
            # can time out ("When localhost is not accessible ..."), so try again.
            started = start(app, "127.0.0.1", free_port(), block=False)
            break
        except ValueError:
            if attempt == 2:
                raise
    # As `copilot ui` does: the starter documents embed while the other flows run.
    copilot.knowledge.warm_up_in_background()
    try:
        yield started.local_url
    finally:
        started.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def pages(chromium, flows_url: str) -> Iterator[dict]:  # noqa: ANN001
    """One page per language, loaded once; the flows ask their questions in turn on it."""
    opened = {}
    contexts = []
    for language, locale in (("en", "en-US"), ("zh", "zh-CN")):
        # 1280 px: the width the layout must stay readable at.
        context = chromium.new_context(viewport={"width": 1280, "height": 1000}, locale=locale)
        page = context.new_page()
        page.set_default_timeout(FLOW_TIMEOUT_MS)
        page.errors = []
        page.on("pageerror", lambda exc, p=page: p.errors.append(str(exc)))
        page.goto(flows_url)
        page.locator("#chat-input textarea").wait_for()
        opened[language] = page
        contexts.append(context)
    yield opened
    for context in contexts:
        context.close()


def ask_and_wait(page, question: str) -> str:  # noqa: ANN001
    """Ask on the page and wait until the answer is in; the answer's text."""
    asked = page.get_by_test_id("user").count()
    done_before = _jobs_done(page)
    box = page.locator("#chat-input textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=user]').length > n", arg=asked
    )
    # The box is disabled while the answer is computed and enabled again once it is in.
    page.wait_for_function(
        "() => { const b = document.querySelector('#chat-input textarea');"
        " return b && !b.disabled; }",
        timeout=FLOW_TIMEOUT_MS,
    )
    last = page.get_by_test_id("bot").last.inner_text()
    if any(notice in last for notice in BACKGROUND_NOTICES):
        # A heavy question went to the background (web/jobs.py): its answer is posted later.
        page.wait_for_function(
            f"n => ({_DONE_COUNT_JS}) > n", arg=done_before, timeout=FLOW_TIMEOUT_MS
        )
        last = page.get_by_test_id("bot").last.inner_text()
    return last


# The chat's background notice and the title of a finished job (web/jobs.py), both languages.
BACKGROUND_NOTICES = ("runs in the background", "已转到后台运行")
_DONE_COUNT_JS = (
    "document.body.innerText.split('Background job done').length"
    " + document.body.innerText.split('后台任务完成').length - 2"
)


def _jobs_done(page) -> int:  # noqa: ANN001
    """How many finished background jobs the page shows."""
    return page.evaluate(f"() => {_DONE_COUNT_JS}")


def visible_headers(page) -> list[list[str]]:  # noqa: ANN001
    """The column headers of every table shown in the Results panel."""
    tables = page.locator("#results-panel [role=grid]:visible")
    return [
        [h.strip() for h in tables.nth(i).locator("thead th").all_inner_texts() if h.strip()]
        for i in range(tables.count())
    ]


def chart_titles(page) -> list[str]:  # noqa: ANN001
    # SVG text has no innerText: its textContent is what is drawn.
    return page.locator("#results-panel .js-plotly-plot:visible .gtitle").all_text_contents()


@pytest.mark.parametrize(
    ("language", "flow"),
    [(language, flow) for language, flows in FLOWS.items() for flow in flows],
    ids=[f"{language}-{flow.kind}" for language, flows in FLOWS.items() for flow in flows],
)
def test_result_kind_reads_right(pages: dict, language: str, flow: Flow, tmp_path: Path) -> None:
    page = pages[language]
    answer = ask_and_wait(page, flow.question)
    if flow.chart:
        page.locator("#results-panel .js-plotly-plot:visible .gtitle").first.wait_for(
            timeout=FLOW_TIMEOUT_MS
        )
    keep_screenshot(page, tmp_path / f"flow-{language}-{flow.kind}.png")
    assert answer.strip(), "no answer text"
    assert page.locator(ERROR_BADGES).count() == 0, "an error badge is shown"
    assert page.errors == [], page.errors
    # The panel's table may render a moment after the chat box is enabled again (CI load).
    page.locator("#results-panel [role=grid]:visible thead th").first.wait_for(
        timeout=FLOW_TIMEOUT_MS
    )
    headers = visible_headers(page)
    assert headers and all(headers), f"no table with headers in the Results panel: {headers}"
    titles = chart_titles(page)
    if flow.chart:
        assert titles and all(t.strip() for t in titles), "chart without a title"
    words = [h for table in headers for h in table] + titles
    if language == "zh":
        # Localised: every header and chart title a person reads is Chinese; only the
        # field's acronyms ("RFM", "SMS") may stay in Latin letters.
        english = [w for w in words if set(ENGLISH_WORD.findall(w)) - ACRONYMS]
        assert not english, f"English labels in a Chinese answer: {english}"
    else:
        chinese = [w for w in words if CJK.search(w)]
        assert not chinese, f"Chinese labels in an English answer: {chinese}"


# Lines a header's text takes, and whether a table is wider than the box it scrolls in.
HEADER_LINES = """grid => [...grid.querySelectorAll('thead th')].map(th => {
  const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
  const tops = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 0) tops.push(r.top);
  }
  tops.sort((a, b) => a - b);
  const lines = tops.filter((t, i) => i === 0 || t - tops[i - 1] > 5).length;
  return [th.innerText.trim(), lines];
})"""
# How far (px) the header cells reach past the table's box: > 0 means a column is cut off.
OVERFLOW = """grid => {
  const box = (grid.closest('.block') || grid.parentElement).getBoundingClientRect();
  const ends = [...grid.querySelectorAll('thead th')].map(th => th.getBoundingClientRect().right);
  return Math.max(0, ...ends.map(end => end - box.right));
}"""


def test_headers_never_wrap_letter_by_letter(pages: dict) -> None:
    """After the flows (drafts last seen in the panel are re-asked): one-word headers fit."""
    page = pages["en"]
    ask_and_wait(page, "Write an SMS for Champions about 20% off skincare")
    grids = page.locator("#results-panel [role=grid]:visible")
    assert grids.count() >= 1
    for i in range(grids.count()):
        for header, lines in grids.nth(i).evaluate(HEADER_LINES):
            if header and " " not in header:
                assert lines <= 1, f"header {header!r} wraps over {lines} lines"


def test_segments_list_fits_at_1280(pages: dict, tmp_path: Path) -> None:
    page = pages["en"]
    page.get_by_role("tab", name="Segments").click()
    page.get_by_role("button", name="Refresh").first.click()
    listing = page.get_by_role("grid", name="Saved segments")
    # The flows before saved RFM segments and personas (long names such as "Late-night
    # food mini-program shoppers").
    page.wait_for_function(
        "el => /(rfm|kmeans|rule)/.test(el.textContent)", arg=listing.element_handle()
    )
    keep_screenshot(page, tmp_path / "segments-1280.png")
    headers = [h.strip() for h in listing.locator("thead th").all_inner_texts() if h.strip()]
    assert headers[:4] == ["segment", "kind", "size", "updated"]
    assert listing.evaluate(OVERFLOW) <= 1, "a column of the Saved segments list is cut off"
    for header, lines in listing.evaluate(HEADER_LINES):
        assert lines <= 1, f"header {header!r} wraps"
    page.get_by_role("tab", name="Chat").click()
