"""Issue 13, "Done when": no answer, table or chart of the eval run mixes languages.

Every question of both evaluation sets (questions.yaml and the held-out
paraphrases) is asked offline on the small demo store; what a person reads of
the answer (text, table titles and headers, chart titles and axis labels) must be
in the question's language, bar store values, the question's own words and a few
codes (copilot/evaluation/language_mix.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select

from copilot.agent import Copilot
from copilot.evaluation.heldout import load_heldout
from copilot.evaluation.language_mix import foreign_words, language_mixes
from copilot.evaluation.questions import load_questions
from copilot.offline.question import language_of
from copilot.settings import Settings
from knowledge.presentation import column_label
from knowledge.semantic import load_semantic_model
from knowledge.semantic.values import dimension_values
from knowledge.store.schema import Campaign, Order, Review, SavedSegment
from tests.conftest import AS_OF

STORE_VALUES = ["上海", "北京", "mini_program", "app", "Vitamin C Serum"]


def test_checker_fails_a_chinese_period_in_an_english_answer() -> None:
    assert foreign_words("Revenue by channel in 上个月", "en", STORE_VALUES) == ["上个月"]
    assert foreign_words("Revenue by channel in 上个月", "zh", STORE_VALUES) == [
        "Revenue",
        "by",
        "channel",
        "in",
    ]


def test_checker_allows_store_values_codes_and_the_questions_words() -> None:
    assert foreign_words("Revenue for 上海 and 北京 was ¥1,234.50.", "en", STORE_VALUES) == []
    assert foreign_words("上海的 app 渠道 RFM 分群 CTR 为 3.1%", "zh", STORE_VALUES) == []
    assert foreign_words("Vitamin C Serum 销量最高", "zh", STORE_VALUES) == []
    assert foreign_words("email 渠道的打开率", "zh", question="email的打开率") == []
    assert foreign_words("this year (2026-01-01 – 2026-11-01)的复购率", "zh") == ["this", "year"]
    assert foreign_words("I wrote 1 sms drafts", "zh") == ["I", "wrote", "drafts"]


def test_checker_treats_a_command_in_backticks_as_code() -> None:
    # A command to type stays as written in either language; words outside it still count.
    assert foreign_words("请运行 `copilot segments list` 查看已保存的分群", "zh") == []
    assert foreign_words("请运行 `copilot segments list` 再 check 一下", "zh") == ["check"]
    assert foreign_words("run `copilot ask 上月销售额` to try it", "en") == []


def test_checker_treats_marked_quotations_as_quoted_source() -> None:
    # A source line cites the document's own heading, as a file name is cited.
    cited = "> 目标：提高客单价。\n（来源：rfm_segment_playbook.zh.md § 忠诚客户（Loyal Customers，R 3–4））"
    assert foreign_words(cited, "zh", ["Loyal Customers"]) == []
    assert foreign_words("(source: brand_guidelines.zh.md § 品牌信息)", "en") == []
    # Copy the user asked for in English, quoted under its segment.
    assert (
        foreign_words("按您的要求，文案用英文撰写：\n- 忠诚客户:\n  > Thanks for coming back", "zh")
        == []
    )
    # Not a citation (no document) and not a quote: still mixed.
    assert foreign_words("（来源：Brand facts）", "zh") == ["Brand", "facts"]
    assert foreign_words("- 忠诚客户: Thanks for coming back", "zh") == [
        "Thanks", "for", "coming", "back",
    ]  # fmt: skip


def test_segment_admin_answers_name_an_rfm_segment_in_chinese() -> None:
    """The best-channel and refresh answers name an RFM segment by its catalogue name in a
    Chinese answer ("重要价值客户"), not by the rule's English name; English is unchanged."""
    from types import SimpleNamespace

    from copilot.offline.intents.segment_admin import write_best_channel, write_refresh
    from tools.base import ToolOutput

    ctx: Any = SimpleNamespace(currency="CNY")
    best = {"channel": "sms", "conversion_rate": 0.12, "cost_per_conversion": 3.5}
    for data, write in (
        ({"segment": "Champions", "min_sample": 50, "best": None}, write_best_channel),
        ({"segment": "Champions", "min_sample": 50, "best": best}, write_best_channel),
        ({"segment": "Champions", "previous_size": 10, "size": 12}, write_refresh),
    ):
        zh = write(ToolOutput(for_model="", data=data), "zh", ctx)
        assert foreign_words(zh, "zh", ["sms"]) == [], zh
        assert "Champions" in write(ToolOutput(for_model="", data=data), "en", ctx)


def _conversations() -> list[tuple[str, list[str]]]:
    """(id, turns) of every question in both evaluation sets."""
    found = [(q.id, q.asked) for q in load_questions()]
    for case in load_heldout():
        found.append((case["id"], case.get("turns") or [case["question"]]))
    return found


def _shown(answer: Any, language: str) -> list[tuple[str, str]]:
    """What a person reads of an answer, as (where, text) pairs."""
    model = load_semantic_model()
    shown = [("answer", answer.text)]
    for table in answer.tables:
        shown.append(("table title", table.title))
        shown += [("table header", column_label(c, language, model)) for c in table.frame.columns]
    for chart in answer.charts:
        shown.append(("chart title", chart.title))
        spec = chart.spec
        columns = [spec.x, *spec.y] + ([spec.series] if spec.series else [])
        shown += [("chart label", spec.label(c)) for c in columns]
        if spec.note:
            shown.append(("chart note", spec.note))
    return shown


def _store_words(copilot: Copilot) -> tuple[list[str], list[str]]:
    """The store's values an answer may quote as they are (dimension values and their
    aliases, campaign ids and names, table names, saved segment names) and its free
    texts (reviews)."""
    engine = copilot.engine
    values = [
        v
        for _, value, alias in dimension_values(engine, load_semantic_model())
        for v in (value, alias)
        if v
    ]
    with engine.connect() as conn:
        values += [r[0] for r in conn.execute(select(Campaign.campaign_id, Campaign.name))]
        values += [r[1] for r in conn.execute(select(Campaign.campaign_id, Campaign.name))]
        texts = [r[0] for r in conn.execute(select(Review.text)) if r[0]]
        values += [r[0] for r in conn.execute(select(Order.status).distinct()) if r[0]]
    values += inspect(engine).get_table_names()
    with copilot.context.state_engine.connect() as conn:
        values += [r[0] for r in conn.execute(select(SavedSegment.name))]
    return values, texts


@pytest.mark.slow
def test_eval_answers_stay_in_the_questions_language(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    copilot = Copilot(settings, engine=duckdb_demo_engine)
    shown: list[tuple[str, str, str, list[tuple[str, str]]]] = []
    for case_id, turns in _conversations():
        conversation = None
        for turn in turns:
            answer = copilot.ask(turn, conversation)
            conversation = answer.conversation_id
            language = language_of(turn)
            shown.append((case_id, turn, language, _shown(answer, language)))
    # Checked once every answer is in: segments saved along the way are names too.
    values, texts = _store_words(copilot)
    mixes = [
        (case_id, mix)
        for case_id, turn, language, pieces in shown
        for mix in language_mixes(pieces, language, values, turn, texts)
    ]
    report = "\n".join(f"{case_id}: {mix}" for case_id, mix in mixes)
    assert not mixes, f"{len(mixes)} mixed-language texts:\n{report}"


def test_an_english_follow_up_in_a_chinese_conversation_answers_in_english(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    copilot = Copilot(settings, engine=duckdb_demo_engine)
    first = copilot.ask("上个月各渠道的销售额是多少？")
    follow = copilot.ask("What about orders?", first.conversation_id)
    assert follow.tool_calls, follow.text
    values, texts = _store_words(copilot)
    shown = _shown(follow, "en")
    assert not language_mixes(shown, "en", values, "What about orders?", texts), shown
    assert "October 2026" in follow.text
