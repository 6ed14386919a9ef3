"""The formatting layer and message catalogue (knowledge/presentation), in English and Chinese."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from knowledge.presentation import (
    channel_name,
    column_format,
    column_label,
    csv_frame,
    display_frame,
    format_change,
    format_count,
    format_date,
    format_money,
    format_percent,
    format_points,
    format_value,
    ntr,
    period_name,
    period_phrase,
    period_text,
    segment_name,
    to_date_unit,
    tr,
)
from knowledge.presentation.messages import po_path
from tools.base import ToolError

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("value", "language", "currency", "shown"),
    [
        (1234.5, "en", "¥", "¥1,234.50"),
        (-70, "en", "¥", "-¥70.00"),
        (-70, "zh", "¥", "-¥70.00"),
        (699.1899999999999, "en", "¥", "¥699.19"),
        (98_765.4, "zh", "¥", "¥98,765.40"),  # below 十万: the full figure
        (1_234_567.89, "zh", "¥", "¥123.46万"),
        (-1_234_567.89, "zh", "¥", "-¥123.46万"),
        (123_456_789, "zh", "¥", "¥1.23亿"),
        (1_234_567.89, "en", "¥", "¥1,234,567.89"),  # English keeps the full figure
        (1234.5, "en", "JPY", "¥1,234"),  # the yen has no minor unit
        (1234.5, "en", "£", "£1,234.50"),
        (1234.5, "en", "CHF", "CHF 1,234.50"),
    ],
)
def test_money_in_the_stores_currency(value, language, currency, shown) -> None:  # noqa: ANN001
    assert format_money(value, language, currency) == shown


def test_percent_points_and_relative_change() -> None:
    assert format_percent(0.1807) == "18.1%"
    assert format_percent(0.1807, "zh") == "18.1%"
    assert format_points(0.032) == "+3.2 pp"
    assert format_points(-0.032, "zh") == "-3.2 个百分点"
    assert format_points(0.0) == "±0.0 pp"
    # A difference of two rates is in points; of money, a relative change that says so.
    assert format_change(0.827, 0.748, "percent") == "+7.9 pp"
    assert format_change(110, 100, "money") == "up 10.0%"
    assert format_change(90, 100, "integer", "zh") == "下降 10.0%"
    assert format_change(100, 100, "money") == "unchanged"
    assert format_change(5, 0, "money") == ""  # no base, no relative change
    assert format_change(None, 1, "money") == ""


def test_counts_are_integers_and_missing_values_say_so() -> None:
    assert format_count(388.0) == "388"
    assert format_value(91.0, "integer") == "91"
    assert format_value(12_345, "integer", "zh") == "12,345"
    assert format_value(None, "money") == "n/a"
    assert format_value(float("nan"), "percent", "zh") == "无数据"
    assert format_value(1.5, "number") == "1.5"
    with pytest.raises(ValueError, match="unknown number format"):
        format_value(1, "mony")


def test_compact_chart_labels() -> None:
    assert format_value(1_234_567, "money", "en", "¥", compact=True) == "¥1.2M"
    assert format_value(1_234_567, "money", "zh", "¥", compact=True) == "¥123.5万"
    assert format_value(1234.56, "money", "en", "¥", compact=True) == "¥1,235"
    assert format_value(0.345, "percent", compact=True) == "34.5%"


def test_dates_and_period_labels_have_one_pair_of_brackets() -> None:
    october = {"start": "2026-10-01", "end": "2026-10-31", "label": "last month (October 2026)"}
    assert period_text(october) == "October 2026 (2026-10-01 – 2026-10-31)"
    assert period_text(october, "zh") == "2026年10月（2026-10-01 至 2026-10-31）"
    assert period_phrase(october) == "in October 2026 (2026-10-01 – 2026-10-31)"
    # A label in the other language is never shown: "Revenue by channel in 上个月" cannot happen.
    chinese = {
        "start": "2026-10-02",
        "end": "2026-10-31",
        "label": "近30天（2026-10-02 至 2026-10-31）",
    }
    assert period_name(chinese, "en") == "2026-10-02 – 2026-10-31"
    assert period_phrase(chinese, "en") == "over 2026-10-02 – 2026-10-31"
    days = {
        "start": "2026-10-02",
        "end": "2026-10-31",
        "label": "last 30 days (2026-10-02 – 2026-10-31)",
    }
    assert period_text(days) == "last 30 days (2026-10-02 – 2026-10-31)"
    assert period_text(None, "zh") == "全部时间"
    assert format_date(date(2026, 10, 5)) == "Oct 5, 2026"
    assert format_date("2026-10-05", "zh") == "2026年10月5日"


def test_running_periods_read_as_to_date() -> None:
    month = {"start": "2026-11-01", "end": "2026-11-15", "label": "this month", "grain": "month"}
    assert to_date_unit(month) == "month"
    assert period_text(month) == "November 2026 to date (2026-11-01 – 2026-11-15)"
    assert period_text(month, "zh") == "2026年11月至今（2026-11-01 至 2026-11-15）"
    typed = {"start": "2026-11-01", "end": "2026-11-15", "label": "2026-11-01 – 2026-11-15"}
    assert to_date_unit(typed) is None  # dates typed by the user are not "to date"
    whole = {"start": "2026-10-01", "end": "2026-10-31", "label": "", "grain": "month"}
    assert to_date_unit(whole) is None


def test_catalogue_sentences_and_plurals() -> None:
    assert tr("zh", "I could not compute that: {error}", error="x") == "这个问题我没能算出来：x"
    assert tr("en", "I could not compute that: {error}", error="x") == "I could not compute that: x"
    assert ntr("en", "{count} row", "{count} rows", 1) == "1 row"
    assert ntr("en", "{count} row", "{count} rows", 3) == "3 rows"
    assert ntr("zh", "{count} row", "{count} rows", 3) == "3 行"
    assert segment_name("Champions", "zh") == "冠军客户"
    assert segment_name("VIP 上海", "en") == "VIP 上海"  # a saved segment keeps its name
    assert channel_name("sms", "zh") == "短信" and channel_name("sms", "en") == "SMS"


def test_tool_errors_from_the_catalogue_carry_both_languages() -> None:
    error = ToolError.of("I could not compute that: {error}", error="boom")
    assert str(error) == "I could not compute that: boom"
    assert error.translations["zh"] == "这个问题我没能算出来：boom"


def test_headers_come_from_the_semantic_model_and_the_catalogue() -> None:
    assert column_label("revenue") == "Revenue"
    assert column_label("revenue", "zh") == "销售额"
    assert column_label("repurchase_rate_previous", "zh") == "复购率（对比期）"
    assert column_label("revenue_change", "zh") == "销售额相对变化"
    assert column_label("channel", "zh") == "渠道"
    assert column_label("share", "zh") == "占比"
    assert column_label("customer_share") == "Customer share"
    assert column_format("revenue_change") == "percent"
    assert column_format("orders") == "integer"


def test_csv_and_display_frames() -> None:
    frame = pd.DataFrame(
        {"channel": ["app", "web"], "revenue": [699.1899999999999, 10.0], "orders": [388.0, 2.0]}
    )
    csv = csv_frame(frame, "zh")
    assert list(csv.columns) == ["渠道", "销售额", "订单数"]
    assert csv["销售额"].tolist() == [699.19, 10.0]
    assert csv["订单数"].tolist() == [388, 2]
    shown = display_frame(frame, "en")
    assert list(shown.columns) == ["Channel", "Revenue", "Orders"]
    assert shown["Orders"].tolist() == ["388", "2"]
    assert shown["Revenue"].tolist() == ["¥699.19", "¥10.00"]


def test_a_boolean_column_with_a_gap_reads_as_words() -> None:
    """The A/B table's control row has no "significant" verdict, so the column is object
    dtype (None, True, False): it still reads yes / no in the answer's language."""
    frame = pd.DataFrame({"variant": ["A", "B", "C"], "significant": [None, True, False]})
    assert display_frame(frame, "en")["Significant"].tolist() == ["", "yes", "no"]
    assert display_frame(frame, "zh")["是否显著"].tolist() == ["", "是", "否"]
    mixed = pd.DataFrame({"note": [None, True, "x"]})  # not all booleans: left as text
    assert display_frame(mixed, "en")["Note"].tolist() == ["", "True", "x"]


def _catalogue_and_sources() -> tuple[set[str], dict[str, str]]:
    """(ids translated in the zh catalogue, {id: where} of every id the sources use)."""
    with po_path("zh").open("rb") as po:
        catalogue = read_po(po, locale="zh")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    keywords = {"tr": (2,), "ntr": (2, 3), "N_": None, "of": (1,), "titled": (1,)}
    used: dict[str, str] = {}
    for package in ("copilot", "tools", "knowledge"):
        for filename, line, message, _, _ in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=keywords
        ):
            key = message if isinstance(message, str) else message[0]
            if key:
                used.setdefault(key, f"{package}/{filename}:{line}")
    return translated, used


def test_every_message_in_the_sources_has_a_chinese_translation() -> None:
    """The catalogue is complete: every tr / ntr / N_ / ToolError.of / titled message id
    used in copilot/, tools/ and knowledge/ is translated in the zh .po file."""
    translated, used = _catalogue_and_sources()
    missing = sorted(f"{where} {key!r}" for key, where in used.items() if key not in translated)
    assert not missing, "\n".join(missing)


def test_the_catalogue_holds_no_message_the_sources_no_longer_use() -> None:
    translated, used = _catalogue_and_sources()
    # (the semantic model's metric descriptions are translated when an answer states a
    # figure's definition: copilot/offline/followups.py definitions_text)
    from knowledge.semantic import load_semantic_model

    described = {m.description for m in load_semantic_model().metrics.values() if m.description}
    assert sorted(translated - set(used) - described) == []
