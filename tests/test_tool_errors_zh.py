"""Issue 13, item 2: a tool's error reads in the question's language.

Every user-facing ToolError comes from the message catalogue (`ToolError.of`), so
it carries its Chinese translation; the writers show that one to a Chinese
question and a refusal by the tool still ends as `status: refused`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from sqlalchemy import Engine, select

from copilot.agent import Copilot
from copilot.evaluation.language_mix import foreign_words
from copilot.offline.intents.base import PlannerContext
from copilot.offline.intents.cross_sell import write_cross_sell_answer
from copilot.offline.intents.segment_admin import write_best_channel, write_refresh
from copilot.offline.intents.segments import write_persona_answer
from copilot.settings import Settings
from copilot.tool_adapter import check_argument_size
from knowledge.presentation import segment_name
from knowledge.presentation.messages import po_path
from knowledge.store.schema import SavedSegment
from tests.conftest import AS_OF
from tools.base import ToolContext, ToolError, ToolOutput, in_language, listed, quoted
from tools.periods import resolve_period
from tools.profiles.members import find_segment
from tools.sql.guard import check_select

ROOT = Path(__file__).resolve().parent.parent
# The exception classes whose text a user reads: ToolError and its subclasses.
_ERROR_CLASSES = {"ToolError", "SqlTimeoutError", "PersonalDataError"}


def _sources() -> list[Path]:
    return [*sorted((ROOT / "tools").rglob("*.py")), ROOT / "copilot" / "tool_adapter.py"]


def _is_text(node: ast.expr) -> bool:
    """A literal sentence: a string, an f-string, or texts joined with +."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.BinOp) and (_is_text(node.left) or _is_text(node.right))


def _literal_raises(path: Path, root: Path = ROOT) -> list[str]:
    """`raise ToolError("...")` (or a subclass) with a hand-written sentence in `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            continue
        func = node.exc.func
        if isinstance(func, ast.Name) and func.id in _ERROR_CLASSES:
            texts = [*node.exc.args, *(k.value for k in node.exc.keywords)]
            if any(_is_text(arg) for arg in texts) or any(
                isinstance(arg, ast.Name) and arg.id.isupper() for arg in texts
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_tool_error_is_written_by_hand() -> None:
    """Every sentence of a ToolError goes through the catalogue (`ToolError.of`)."""
    found = [where for path in _sources() for where in _literal_raises(path)]
    assert not found, "raise ToolError.of(...) instead:\n" + "\n".join(found)


def test_the_scan_finds_a_hand_written_error(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'def f(x):\n    raise ToolError(f"bad {x}")\n\n'
        'def g():\n    raise SqlTimeoutError("slow")\n\n'
        "def h(exc):\n    raise ToolError(str(exc)) from exc\n\n"
        'def k():\n    raise ToolError.of("fine")\n',
        encoding="utf-8",
    )
    assert _literal_raises(sample, tmp_path) == ["sample.py:2", "sample.py:5"]


def test_every_catalogued_error_has_a_chinese_translation() -> None:
    with po_path("zh").open("rb") as po:
        catalogue = read_po(po, locale="zh")
    translated = {m.id for m in catalogue if m.id and isinstance(m.id, str) and m.string}
    ids: dict[str, str] = {}
    for package in ("tools", "copilot"):
        for filename, line, message, _, _ in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords={"of": (1,)}
        ):
            if isinstance(message, str) and message:
                ids.setdefault(message, f"{package}/{filename}:{line}")
    assert len(ids) > 90  # the scan saw the tools' errors, not an empty tree
    missing = sorted(f"{where} {key!r}" for key, where in ids.items() if key not in translated)
    assert not missing, "\n".join(missing)


def test_parts_of_an_error_are_translated_too() -> None:
    error = ToolError.of(
        "No segment is called {name}; known segments: {known}.",
        name=quoted("VIP"),
        known=listed(["Champions", "At Risk"], segment_name),
    )
    assert str(error) == "No segment is called 'VIP'; known segments: Champions, At Risk."
    assert error.translations["zh"] == "没有名为 「VIP」 的分群；已知分群：冠军客户、流失风险。"
    statement = in_language("a {kind} statement", kind="DELETE")
    assert statement("en") == "a DELETE statement"


def test_numbers_in_errors_come_from_the_formatting_layer() -> None:
    with pytest.raises(ToolError) as refused:
        check_argument_size("run_sql", {"sql": "x" * 60_000})
    assert str(refused.value) == (
        "Refused: the arguments to run_sql hold 60,000 characters (limit 50,000); "
        "send shorter arguments."
    )
    assert refused.value.translations["zh"].startswith("已拒绝：run_sql 的参数共有 60,000 个字符")


def test_sql_refusals_keep_their_english_text_and_gain_chinese() -> None:
    with pytest.raises(ToolError) as refused:
        check_select("DELETE FROM orders", "duckdb", ["orders"])
    english = str(refused.value)
    assert english.startswith("Refused: only a SELECT (or WITH ... SELECT) query may run, not ")
    assert "a DELETE statement" in english
    assert refused.value.translations["zh"].startswith("已拒绝：只能运行 SELECT")
    assert "DELETE 语句" in refused.value.translations["zh"]


def test_an_unknown_segment_is_named_in_each_language(duckdb_demo_engine: Engine) -> None:
    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=None, as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(ToolError) as unknown:
        find_segment(ctx, "超级VIP")
    assert str(unknown.value).startswith("No segment is called '超级VIP'; known segments: ")
    assert "Champions" in str(unknown.value)
    chinese = unknown.value.translations["zh"]
    assert chinese.startswith("没有名为 「超级VIP」 的分群")
    assert "冠军客户" in chinese and "Champions" not in chinese


def test_an_unreadable_period_is_told_in_each_language(duckdb_demo_engine: Engine) -> None:
    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=None, as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(ToolError) as unreadable:
        resolve_period(ctx, "the blue moon")
    # The model reads the parser's own reason; a Chinese answer gets the Chinese sentence.
    assert str(unreadable.value).startswith("Cannot understand the period 'the blue moon'")
    chinese = unreadable.value.translations["zh"]
    assert chinese.startswith("无法识别或使用时间范围 「the blue moon」；")
    assert foreign_words(chinese, "zh", question="the blue moon") == [], chinese


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("「超级VIP」分群的客户画像是什么样的？", "profile_segment"),
        ("把「超级VIP」分群导出成短信名单", "export_audience"),
    ],
)
def test_a_chinese_question_that_hits_a_tool_error_answers_in_chinese(
    duckdb_demo_engine: Engine, tmp_path: Path, question: str, tool: str
) -> None:
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    answer = Copilot(settings, engine=duckdb_demo_engine).ask(question)
    assert [call.name for call in answer.tool_calls] == [tool]
    assert answer.tool_calls[0].error  # the tool refused ...
    assert answer.status == "refused"  # ... so the question ends refused (ask --json)
    assert "没有名为" in answer.text and "冠军客户" in answer.text
    # Nothing of the answer is English but the question's own words and saved segments'
    # names (store values; other tests on this shared store save some).
    with duckdb_demo_engine.connect() as conn:
        saved = [row[0] for row in conn.execute(select(SavedSegment.name))]
    assert foreign_words(answer.text, "zh", saved, question=question) == [], answer.text


# Numbers in the writers this brief moved to the formatting layer (issue 13, item 1).


def _persona_output(saved: bool) -> ToolOutput:
    persona = {
        "name": "Night Owls",
        "name_zh": "夜猫子",
        "customers": 1234,
        "share": 0.3084,
        "revenue_share": 0.41,
        "description": "orders late at night",
        "description_zh": "常在深夜下单",
    }
    return ToolOutput(
        for_model="",
        data={
            "buyers": 4001,
            "k": 3,
            "silhouette": {3: 0.31249, 4: 0.28},
            "k_chosen_by_silhouette": True,
            "personas": [persona],
            "saved": ["Night Owls"] if saved else [],
        },
    )


def test_the_persona_answer_formats_its_numbers_per_language() -> None:
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    english = write_persona_answer(_persona_output(True), "en", planner)
    assert english.startswith(
        "I clustered 4,001 buyers into 3 personas with K-means "
        "(k=3 chosen by silhouette among k=3–4 (score 0.312)):"
    )
    assert "1. **Night Owls**: 1,234 buyers (30.8%), 41.0% of revenue; orders late at night." in (
        english
    )
    chinese = write_persona_answer(_persona_output(True), "zh", planner)
    assert chinese.startswith("我用 K-means 把 4,001 位购买客户分成了 3 类画像，")
    assert (
        "1. **夜猫子（分群名：Night Owls）**：1,234 人（30.8%），贡献 41.0% 的销售额；" in chinese
    )
    unsaved = write_persona_answer(_persona_output(False), "zh", planner)
    assert "分群名" not in unsaved


def test_a_single_possible_k_is_not_said_to_be_chosen_among_others() -> None:
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    output = _persona_output(True)
    output.data["k"], output.data["silhouette"] = 2, {2: 0.5}
    english = write_persona_answer(output, "en", planner)
    assert "(k=2, the only k the data allows (silhouette 0.500))" in english
    assert "among" not in english and "2–2" not in english
    chinese = write_persona_answer(output, "zh", planner)
    assert "数据只允许这一个 k" in chinese and "2–2" not in chinese


def test_counts_of_one_read_in_the_singular() -> None:
    from copilot.offline.intents.segments import write_rfm_answer

    segment = {
        "name": "Champions",
        "customers": 1,
        "customer_share": 1.0,
        "revenue_share": 1.0,
        "action": "thank them",
        "action_zh": "感谢",
    }
    data = {
        "as_of": "2024-07-01",
        "buyers": 1,
        "segments": [segment],
        "biggest": "Champions",
        "most_valuable": "Champions",
    }
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    english = write_rfm_answer(ToolOutput(for_model="", data=data), "en", planner)
    assert "1 buyer in 1 segment (table below)" in english
    assert "Champions with 1 buyer (100.0%)" in english
    assert "buyers" not in english.split("Most valuable")[0]
    many = {**data, "buyers": 1200, "segments": [{**segment, "customers": 1200}] * 2}
    text = write_rfm_answer(ToolOutput(for_model="", data=many), "en", planner)
    assert "1,200 buyers in 2 segments" in text and "with 1,200 buyers" in text


def _cross_sell_data() -> dict:
    rule = {
        "antecedents": ["TEA-1"],
        "consequents": ["CUP-1"],
        "support": 0.0312,
        "confidence": 0.4567,
        "lift": 2.349,
        "baskets": 1520,
    }
    return {
        "segment": "Champions",
        "period": None,
        "baskets": 12345,
        "min_baskets": 5,
        "rules": [rule],
        "recommendations": [
            {
                "if": ["TEA-1"],
                "then": ["CUP-1"],
                "text_en": "Buy tea, get a cup.",
                "text_zh": "买茶配杯。",
            }
        ],
        "thin_rules": 0,
    }


def test_the_cross_sell_answer_formats_its_numbers_per_language() -> None:
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    output = ToolOutput(for_model="", data=_cross_sell_data())
    english = write_cross_sell_answer(output, "en", planner)
    assert english.startswith("What Champions customers buy together (12,345 baskets,")
    assert (
        "- Buy tea, get a cup. (support 3.1%, confidence 46%, lift 2.3, 1,520 baskets)" in english
    )
    chinese = write_cross_sell_answer(output, "zh", planner)
    assert chinese.startswith("冠军客户常一起购买的商品（12,345 个订单，")
    assert "- 买茶配杯。（支持度 3.1%，置信度 46%，提升度 2.3，1,520 个订单）" in chinese
    assert foreign_words(chinese, "zh") == [], chinese


def test_the_best_channel_answer_shows_money_in_the_stores_currency() -> None:
    planner = PlannerContext(semantic_model=None, currency="£")  # type: ignore[arg-type]
    best = {"channel": "email", "conversion_rate": 0.04567, "cost_per_conversion": 1234.5}
    output = ToolOutput(for_model="", data={"segment": "Champions", "best": best})
    english = write_best_channel(output, "en", planner)
    assert "4.6% conversion, £1,234.50 per conversion" in english
    refreshed = ToolOutput(
        for_model="", data={"segment": "VIP", "size": 12345, "previous_size": 9876.0}
    )
    assert write_refresh(refreshed, "zh", planner) == (
        "分群「VIP」已重新计算：现在 12,345 位客户（之前 9,876 位）。"
    )


def test_a_metric_combination_the_model_refuses_is_told_in_each_language(
    duckdb_demo_engine: Engine,
) -> None:
    from knowledge.semantic import load_semantic_model
    from knowledge.semantic.compiler import MetricQuery
    from tools.metrics import _compute

    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=load_semantic_model(), as_of=AS_OF)
    with pytest.raises(ToolError) as refused:
        _compute(ctx, MetricQuery(metrics=()))  # no metric: the semantic model's own reason
    assert str(refused.value).startswith("Ask for at least one metric")
    chinese = refused.value.translations["zh"]
    assert chinese.startswith("这些指标无法按这种方式计算") and not foreign_words(chinese, "zh")
