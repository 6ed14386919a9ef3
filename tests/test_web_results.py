"""The Results panel renders every tool's output: each tool in TOOLS runs on the demo store and
each table (and its chart, in English and Chinese) goes through the panel's rendering.

A tool added to TOOLS without an example call here fails `test_every_tool_has_an_example`.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import gradio as gr
import numpy as np
import pandas as pd
import pytest
from gradio.blocks import Block, postprocess_update_dict
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.answer import Answer
from copilot.charts import charts_for
from copilot.frontends.web.chat import CsvFiles, respond
from copilot.frontends.web.preload import ASSETS, plot_chunks, preload_js
from copilot.frontends.web.results import MAX_SLOTS, ResultsPanel, render_results, result_items
from copilot.frontends.web.tables import column_widths, display_frame, screen_frame
from copilot.settings import Settings
from knowledge.documents import STARTER_DIR, KnowledgeBase
from knowledge.presentation.labels import table_labels
from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools import TOOLS
from tools.base import TableArtifact, ToolContext, ToolOutput

# One or more calls per tool, run in this order (segments are saved before they are used).
EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "query_metrics": [
        {"metrics": ["revenue", "orders"], "dimensions": ["month"], "time_range": "2026"},
        {
            "metrics": ["revenue"],
            "dimensions": ["channel"],
            "compare_to": "last year",
            "time_range": "2026",
        },
        {"metrics": ["conversion_rate", "ctr"], "dimensions": ["campaign"]},
        {"metrics": ["revenue"]},
    ],
    "cohort_retention": [{"time_range": "2025"}],
    "ab_test": [{}],
    "ab_sample_size": [{"baseline_rate": 0.03, "minimum_detectable_effect": 0.1}],
    "cross_sell_rules": [{"level": "category"}, {"level": "product", "min_support": 0.002}],
    "predict_churn": [{"save_scores": False}],
    "rfm_segments": [{}],
    "customer_personas": [{"k": 3, "save": False}],
    "define_segment": [
        {"name": "web results women", "definition": {"gender": "female"}, "save": True}
    ],
    "refresh_segment": [{"name": "web results women"}],
    "list_segments": [{}],
    "profile_segment": [{"segment": "Champions"}, {"segment": "web results women"}],
    "best_send_time": [{}, {"segment": "At Risk", "channel": "sms"}],
    "best_channel": [{"segment": "Champions"}],
    "export_audience": [{"segment": "Champions", "channel": "sms"}],
    "review_sentiment": [{}, {"by": "product"}],
    "generate_copy": [
        {"segments": ["Champions", "At Risk"], "channel": "sms", "variants": 2},
        {"segments": ["Champions"], "channel": "email", "language": "zh"},
    ],
    "search_knowledge": [{"query": "How long can an SMS be?"}],
    "run_sql": [
        {
            "sql": "SELECT city, count(*) AS customers, min(signup_date) AS first_signup "
            "FROM customers GROUP BY city ORDER BY 2 DESC"
        },
        {"sql": "SELECT * FROM orders LIMIT 20"},
    ],
    "describe_data": [{}, {"table": "orders"}],
}


@pytest.fixture(scope="module")
def context(duckdb_demo_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> ToolContext:
    knowledge = KnowledgeBase(tmp_path_factory.mktemp("web-kb"))
    playbook = "channel_playbooks.en.md"
    knowledge.add_file(STARTER_DIR / playbook, source=f"starter/{playbook}")
    return ToolContext(
        engine=duckdb_demo_engine,
        semantic_model=load_semantic_model(),
        as_of=AS_OF,
        knowledge=knowledge,
        exports_dir=tmp_path_factory.mktemp("web-exports"),
    )


@pytest.fixture(scope="module")
def outputs(context: ToolContext) -> list[tuple[str, ToolOutput]]:
    """Every example call's output, in the order of EXAMPLES."""
    by_name = {tool.__name__: tool for tool in TOOLS}
    return [
        (f"{name}({args})", by_name[name](context, **args))
        for name, calls in EXAMPLES.items()
        for args in calls
    ]


def rendered(items: list) -> dict[str, Any]:
    """The panel's updates for `items`, applied as Gradio applies them; what the browser gets.

    The first MAX_SLOTS tables go into the panel's slots (as the chat's last update);
    the rest are drawn by the gr.render below them. Returns {"dataframe": [...], "plot":
    [...]}: the props (with the postprocessed value) of every table and chart shown.
    """
    files = CsvFiles()
    with gr.Blocks():
        panel = ResultsPanel(files)
    shown: dict[str, list[dict[str, Any]]] = {"dataframe": [], "plot": [], "column": []}
    for block, update in zip(panel.components(), panel.updates(items), strict=True):
        if not isinstance(update, Block):
            continue  # gr.skip(), or the overflow list for the gr.render
        args = {**block.constructor_args, **update.constructor_args}
        args.pop("value", None)
        fresh = block.__class__(**args, render=False)
        props = postprocess_update_dict(fresh, dict(update.constructor_args))
        json.dumps(props, default=str)  # what Gradio sends must serialise
        kind = type(block).__name__.lower()
        if kind in shown and props.get("visible", getattr(fresh, "visible", True)) is not False:
            shown[kind].append({**args, **props})
    with gr.Blocks() as blocks:
        render_results(items[MAX_SLOTS:], files, offset=MAX_SLOTS)
    config = blocks.get_config_file()
    json.dumps(config, default=str)
    for kind in ("dataframe", "plot"):
        shown[kind] += [c["props"] for c in config["components"] if c.get("type") == kind]
    return shown


# A Latin word in a Chinese header, other than the field's acronyms ("RFM", "AOV").
_ENGLISH_WORD = re.compile(
    r"(?!(?:RFM|AOV|CTR|ROI|ROAS|LTV|CAC|AUC|SMS|CSV|SKU|ID|K-means)\b)[A-Za-z]{3,}"
)


def test_every_tool_has_an_example() -> None:
    assert set(EXAMPLES) == {tool.__name__ for tool in TOOLS}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_tools_tables_and_charts_render(
    outputs: list[tuple[str, ToolOutput]], language: str
) -> None:
    tables_seen = charts_seen = 0
    for call, output in outputs:
        tables = [a for a in output.artifacts if isinstance(a, TableArtifact)]
        answer = Answer(text="", mode="offline", conversation_id="t", artifacts=list(tables))
        answer.artifacts += charts_for(tables, language, "¥")
        items = result_items(answer, language, "¥")
        shown = rendered(items)
        frames = shown["dataframe"]
        assert len(frames) == len(tables), call
        for table, frame in zip(tables, frames, strict=True):
            value = frame["value"]
            # Headers are the columns' labels in the question's language, never snake_case.
            columns = [str(c) for c in table.frame.columns]
            assert value["headers"] == list(table_labels(columns, language).values()), call
            assert not [h for h in value["headers"] if "_" in h], call
            # run_sql's columns are the aliases its SQL wrote ("first_signup"): the query's own
            # names, which no catalogue knows (a known gap, named in the round-3 report).
            if language == "zh" and not call.startswith("run_sql("):
                english = [h for h in value["headers"] if _ENGLISH_WORD.search(h)]
                assert not english, (call, english)
            assert len(value["data"]) == len(table.frame), call
            widths = frame["column_widths"]
            assert len(widths) == len(table.frame.columns), call
        plots = shown["plot"]
        assert len(plots) == len(answer.charts), call
        for plot in plots:
            figure = json.loads(plot["value"]["plot"])
            assert figure["layout"]["title"]["text"], call
        tables_seen += len(tables)
        charts_seen += len(plots)
    assert tables_seen >= len(EXAMPLES) - 2  # ab_sample_size and a total may carry no table
    assert charts_seen >= 8


def test_ab_table_with_none_in_significant_renders() -> None:
    frame = pd.DataFrame(
        {
            "variant": ["control", "B"],
            "delivered": [1200, 1180],
            "conversion": [0.031, 0.042],
            "significant": [None, True],
            "p_value": [None, 0.03],
        }
    )
    value = rendered(result_items(_answer(frame, "A/B test results")))["dataframe"][0]["value"]
    assert value["headers"] == ["Variant", "Delivered", "Conversion", "Significant", "P value"]
    shown = value["metadata"]["display_value"]
    assert shown[0][3] == "" and shown[1][3] == "✓"


def test_any_dtype_becomes_numbers_or_text() -> None:
    frame = pd.DataFrame(
        {
            "name": ["a", None],
            "flag": pd.array([True, None], dtype="boolean"),
            "plain_flag": [True, False],
            "count": pd.array([3, None], dtype="Int64"),
            "amount": [Decimal("1234.50"), None],
            "when": [datetime(2026, 10, 1), pd.NaT],
            "stamp": pd.to_datetime(["2026-10-01 08:30", "2026-10-02 00:00"]),
            "items": [["mug", "bowl"], []],
            "info": [{"k": 1}, np.nan],
            "text_dtype": pd.array(["x", None], dtype="string"),
            "source": ["/srv/copilot/home/documents/brand guide.md", "starter/playbook.md"],
            7: [1.5, np.nan],
        }
    )
    shown = screen_frame(frame)
    assert list(shown.columns) == [str(c) for c in frame.columns]
    assert shown["name"].tolist() == ["a", ""]
    assert shown["flag"].tolist() == ["✓", ""] and shown["plain_flag"].tolist() == ["✓", "✗"]
    assert shown["count"].dtype == float and shown["amount"].tolist()[0] == 1234.5
    assert shown["when"].tolist() == ["2026-10-01", ""]
    assert shown["stamp"].tolist() == ["2026-10-01 08:30", "2026-10-02"]
    assert shown["items"].tolist() == ["mug, bowl", ""]
    assert shown["info"].tolist() == ['{"k": 1}', ""]
    assert shown["text_dtype"].tolist() == ["x", ""]
    # Knowledge sources show as file names, never as the server's folders.
    assert shown["source"].tolist() == ["brand guide.md", "starter/playbook.md"]
    html = display_frame(frame).to_html()
    assert "1,234.50" in html
    table = rendered(result_items(_answer(frame, "Mixed")))["dataframe"][0]
    assert table["value"]["headers"][-1] == "7"


def test_short_headers_get_room_and_long_text_wraps() -> None:
    drafts = pd.DataFrame(
        {
            "segment": ["Champions"],
            "channel": ["sms"],
            "variant": [1],
            "text": ["【Brand】Thank you for being with us: early access to the new line. 回T退订"],
            "checks_passed": [True],
        }
    )
    widths = [int(w.removesuffix("px")) for w in column_widths(drafts)]
    # "variant" needs 7 characters of 8 px plus padding; the copy text stops at the widest.
    assert widths[2] >= 7 * 8 and widths[3] == 320
    table = rendered(result_items(_answer(drafts, "Drafts")))["dataframe"][0]
    assert table["wrap"] is True


def test_a_table_fits_its_width_by_wrapping_long_names() -> None:
    saved = pd.DataFrame(
        {
            "segment": ["Big-spending morning electronics web shoppers", "At Risk"],
            "kind": ["kmeans", "rfm"],
            "size": [59, 6],
            "updated": ["2026-11-30 17:04", "2026-11-30 17:04"],
        }
    )
    natural = [int(w.removesuffix("px")) for w in column_widths(saved)]
    fitted = [int(w.removesuffix("px")) for w in column_widths(saved, fit_px=560)]
    assert sum(natural) > 560 and sum(fitted) <= 560
    # Only the long names give way; kind, size and updated keep their full width.
    assert fitted[1:] == natural[1:] and fitted[0] < natural[0]


def test_more_tables_than_slots_are_all_shown() -> None:
    frames = [
        pd.DataFrame({"city": ["a", "b"], "revenue": [float(i), float(i + 1)]}) for i in range(6)
    ]
    answer = Answer(
        text="",
        mode="offline",
        conversation_id="t",
        artifacts=[TableArtifact(title=f"Table {i}", frame=f) for i, f in enumerate(frames)],
    )
    answer.artifacts += charts_for(answer.tables)
    shown = rendered(result_items(answer))
    assert len(shown["dataframe"]) == 6 and len(shown["plot"]) == 6


def _answer(frame: pd.DataFrame, title: str) -> Answer:
    return Answer(
        text="",
        mode="offline",
        conversation_id="t",
        artifacts=[TableArtifact(title=title, frame=frame)],
    )


def test_plotly_is_preloaded_from_gradios_own_assets() -> None:
    chunks = plot_chunks()
    # gr.Plot's component, its base and plotly.js itself, all served by Gradio (no CDN).
    assert any(c.startswith("PlotlyPlot-") for c in chunks) and len(chunks) == 3
    assert all((ASSETS / c).is_file() for c in chunks)
    script = preload_js(chunks)
    assert all(f'"{c}"' in script for c in chunks) and "http" not in script


def test_the_panel_follows_the_language_of_the_latest_question(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """A Chinese question fills the panel in Chinese; an English follow-up in the same
    conversation in English (headers and the CSV download's headers)."""
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    copilot = Copilot(settings, engine=duckdb_demo_engine)
    conversation = "web-language-follow-up"
    headers = {}
    for question in ("上个月各渠道的销售额是多少？", "What about orders?"):
        *_, (_, items) = respond(copilot, question, conversation)
        assert items, question
        headers[question] = list(items[0].csv().columns)
        assert list(display_frame(items[0].frame, items[0].style).data.columns) == headers[question]
    assert headers["上个月各渠道的销售额是多少？"][:2] == ["渠道", "销售额"]
    assert headers["What about orders?"][:2] == ["Channel", "Orders"]
