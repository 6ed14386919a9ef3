"""Round 4 polish: one answer, one language and one style, in every front end.

Store values with a Chinese label in the store (products.category_zh) and the
product's own names (RFM segments and actions, channels) read in Chinese in a
Chinese answer's text, tables, charts and CSVs; one money style per answer; the
terminal never cuts a number; Slack's CSV is the web's; the Segments tab has a
real empty state; Results tables fit their panel.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.answer import Answer
from copilot.charts import chart_for_table
from copilot.frontends.cli_output import rich_table, wrap_words
from copilot.frontends.slack import answer_files
from copilot.frontends.table_csv import table_csv
from copilot.frontends.web.chat import CsvFiles
from copilot.frontends.web.results import RESULTS_FIT_PX, result_items
from copilot.frontends.web.tables import column_widths
from copilot.settings import Settings
from knowledge.presentation import format_value, money_style
from knowledge.presentation.values import labels_by_language, merge_labels, relabel
from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools import Limits, ToolContext, query_metrics
from tools.base import TableArtifact
from tools.segments.rfm_report import rfm_segments

# A money amount as the answers write it: ¥ then digits, maybe with 万/亿.
MONEY = re.compile(r"¥[\d,]+(?:\.\d+)?(万|亿)?")


def context(engine: Engine) -> ToolContext:
    return ToolContext(
        engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF, limits=Limits()
    )


# --- one money style per answer -------------------------------------------------------


def test_one_money_style_for_amounts_stated_together() -> None:
    # The newcomer's case: 45.85万 beside 65,988.55 in one answer.
    style = money_style([458_500.0, 65_988.55], "zh")
    assert [format_value(v, "money", "zh", large=style) for v in (458_500.0, 65_988.55)] == [
        "¥45.85万",
        "¥6.6万",
    ]
    # One amount below 一万: every amount in full instead.
    style = money_style([458_500.0, 638.44], "zh")
    assert [format_value(v, "money", "zh", large=style) for v in (458_500.0, 638.44)] == [
        "¥458,500.00",
        "¥638.44",
    ]
    assert money_style([98_000.0, 500.0], "zh") is True  # nothing reaches 十万: all in full
    assert money_style([458_500.0, 5.0], "en") is True  # English has no 万


# --- store labels ---------------------------------------------------------------------


def test_relabel_changes_only_labelled_text_values() -> None:
    frame = pd.DataFrame({"category": ["electronics", "gadgets", None], "revenue": [1.0, 2, 3]})
    shown = relabel(frame, {"category": {"electronics": "数码电子"}, "revenue": {"1.0": "x"}})
    assert shown["category"].tolist()[:2] == ["数码电子", "gadgets"]
    assert pd.isna(shown["category"].iloc[2])
    assert shown["revenue"].tolist() == [1.0, 2.0, 3.0]
    assert frame["category"][0] == "electronics"  # the tool's frame is untouched
    labels = merge_labels(
        labels_by_language("seg", ["Champions", "VIP 上海"], lambda v, lang: f"<{v}>"),
        {"zh": {"seg": {"Champions": "冠军客户"}}},
    )
    assert labels == {"zh": {"seg": {"Champions": "冠军客户", "VIP 上海": "<VIP 上海>"}}}


def test_categories_read_in_the_stores_chinese_names(duckdb_demo_engine: Engine) -> None:
    ctx = context(duckdb_demo_engine)
    output = query_metrics(ctx, ["revenue"], ["category"], time_range="2026-10")
    table = output.artifacts[0]
    with duckdb_demo_engine.connect() as conn:
        stored = dict(
            conn.exec_driver_sql("SELECT DISTINCT category, category_zh FROM products").all()
        )
    shown = table.frame_in("zh")
    assert shown["category"].tolist() == [stored[c] for c in table.frame["category"]]
    assert table.frame_in("en")["category"].tolist() == table.frame["category"].tolist()
    # `ask --json` and the model keep the stored values.
    assert [r[0] for r in table.to_json()["rows"]] == table.frame["category"].tolist()
    # A filter given by its Chinese label (a follow-up on a Chinese answer) is the stored value.
    by_label = query_metrics(
        ctx, ["revenue"], filters={"category": ["数码电子"]}, time_range="2026-10"
    )
    by_key = query_metrics(
        ctx, ["revenue"], filters={"category": ["electronics"]}, time_range="2026-10"
    )
    assert by_label.data["values"] == by_key.data["values"]
    assert by_label.data["filters"] == {"category": ["electronics"]}
    assert "数码电子" in by_label.artifacts[0].title_in("zh")
    assert "electronics" in by_label.artifacts[0].title_in("en")


def test_chinese_breakdown_answer_names_categories_in_chinese_in_one_style(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    copilot = Copilot(
        Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline"), engine=duckdb_demo_engine
    )
    answer = copilot.ask("上个月各品类的销售额")
    assert answer.tool_calls and answer.tool_calls[0].name == "query_metrics", answer.text
    assert not re.search(r"electronics|skincare|sports", answer.text), answer.text
    assert "数码电子" in answer.text
    styles = {bool(m.group(1)) for m in MONEY.finditer(answer.text)}
    assert len(styles) == 1, answer.text  # all in 万, or all in full
    (chart,) = answer.charts
    assert "数码电子" in [str(v) for v in chart.spec.data[chart.spec.x]]
    # The follow-up totals the full breakdown the Chinese answer listed: the same query
    # without the breakdown (round 5: a total after a full breakdown drops it).
    total = copilot.ask("它们合计是多少？", answer.conversation_id)
    assert total.tool_calls[0].args.get("dimensions") in (None, [])
    assert "没有相关数据" not in total.text, total.text


def test_rfm_table_reads_in_chinese_and_the_terminal_keeps_every_amount(
    duckdb_demo_engine: Engine,
) -> None:
    output = rfm_segments(context(duckdb_demo_engine), save=False)
    table = output.artifacts[0]
    zh = table.frame_in("zh")
    assert "冠军客户" in zh["segment"].tolist()
    assert not any(re.search(r"[A-Za-z]{3,}", str(a)) for a in zh["action"]), zh["action"]
    console = Console(width=80, record=True, color_system=None)
    console.print(rich_table(table.title_in("zh"), zh, "zh", "¥", table.formats))
    drawn = console.export_text()
    for amount in table.frame["avg_monetary"]:
        assert format_value(amount, "money", "zh", large=False) in drawn
    assert "…" not in drawn


def test_titles_break_between_words_not_inside_a_chinese_word() -> None:
    # The newcomer saw "（北 / 京）": the break goes before the bracket instead.
    assert wrap_words("2026年10月按品类的销售额（北京）", 26) == [
        "2026年10月按品类的销售额",
        "（北京）",
    ]
    assert wrap_words("销售额，北京和上海", 12) == ["销售额，", "北京和上海"]
    assert wrap_words("Revenue by category in October 2026", 20) == [
        "Revenue by category",
        "in October 2026",
    ]


# --- one CSV writer -------------------------------------------------------------------


def test_slack_csv_is_the_webs_download() -> None:
    frame = pd.DataFrame({"category": ["electronics"], "orders": [507.0], "revenue": [12.3456]})
    table = TableArtifact(
        "t",
        frame,
        formats={"orders": "integer", "revenue": "money"},
        value_labels={"zh": {"category": {"electronics": "数码电子"}}},
    )
    answer = Answer("x", "offline", "c", artifacts=[table])
    (upload,) = answer_files(answer, "zh", "¥")
    rows = list(csv.reader(io.StringIO(upload["content"].decode("utf-8-sig"))))
    assert rows == [["品类", "订单数", "销售额"], ["数码电子", "507", "12.35"]]
    (item,) = result_items(answer, "zh", "¥")
    web = Path(CsvFiles().write(item.title, item.csv())).read_bytes()
    assert web == upload["content"] == table_csv(table, "zh", "¥")


# --- web ------------------------------------------------------------------------------


def test_segments_tab_empty_states_have_headers(tmp_path: Path, duckdb_demo_engine: Engine) -> None:
    from copilot.frontends.web import workspace as ws

    copilot = Copilot(
        Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline"), engine=duckdb_demo_engine
    )
    for outcome in (ws.segment_profile(copilot, None), ws.segment_profile(copilot, "no such")):
        assert list(outcome.frame.columns) == ["section", "feature", "segment", "baseline", "index"]
    assert list(ws.segment_export(copilot, None, "email", "hashed").frame.columns)


def test_results_tables_fit_the_panel_without_breaking_words() -> None:
    text = "【悦享生活】护肤新品上市：氨基酸保湿洁面乳 ¥89。欢迎选购。回T退订" * 2
    frame = pd.DataFrame(
        {
            "segment": ["冠军客户"],
            "channel": ["短信"],
            "variant": [1],
            "text": [text],
            "checks_passed": [True],
            "failed_checks": [""],
        }
    )
    from copilot.frontends.web.tables import TableStyle

    widths = [int(w[:-2]) for w in column_widths(frame, RESULTS_FIT_PX, TableStyle("zh"))]
    assert sum(widths) <= RESULTS_FIT_PX
    english = pd.DataFrame({"body": ["Hydrating Facial Cleanser " * 20], "n": [1]})
    (body, _) = [int(w[:-2]) for w in column_widths(english, 200)]
    assert body >= len("Hydrating") * 8  # narrowed, but never inside a word


@pytest.mark.parametrize("language", ["en", "zh"])
def test_chart_labels_follow_the_language(language: str) -> None:
    frame = pd.DataFrame({"category": ["electronics", "home"], "revenue": [3.0, 2.0]})
    table = TableArtifact(
        "t", frame, chart="bar", value_labels={"zh": {"category": {"electronics": "数码电子"}}}
    )
    spec = chart_for_table(table, language)
    assert spec is not None
    expected = "数码电子" if language == "zh" else "electronics"
    assert expected in [str(v) for v in spec.data[spec.x]]


def test_a_table_wider_than_the_results_panel_says_it_scrolls() -> None:
    from copilot.frontends.web.results import ResultItem
    from copilot.frontends.web.tables import TableStyle

    words = "We miss you! We have not seen you in a while. Hydrating Facial Cleanser"
    wide = pd.DataFrame(
        {c: [words] for c in ("segment", "channel", "subject", "preheader", "body", "footer")}
        | {"variant": [1], "checks_passed": [True], "failed_checks": [words]}
    )
    item = ResultItem("1 email draft", wide, False, None, TableStyle("en"))
    assert item.too_wide() and "scroll sideways" in (item.heading() or "")
    narrow = ResultItem("2 rows", pd.DataFrame({"a": ["x"], "n": [1]}), False, None)
    assert not narrow.too_wide()
