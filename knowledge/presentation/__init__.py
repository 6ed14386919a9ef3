"""How the copilot presents what it computed: numbers, dates, labels and sentences by language.

One formatting layer (babel locale data) and one message catalogue (gettext .po
files under `locale/`), used by the answers, tables, charts and CSV downloads of
every front end. It imports nothing from tools/ or copilot/, so every layer may use it.
"""

from knowledge.presentation.labels import (
    column_format,
    column_label,
    csv_frame,
    display_frame,
    label_in_sentence,
    table_labels,
)
from knowledge.presentation.messages import (
    N_,
    in_each_language,
    join_clauses,
    join_list,
    ntr,
    tr,
)
from knowledge.presentation.names import (
    channel_name,
    profile_feature,
    segment_name,
    weekday_name,
)
from knowledge.presentation.numbers import (
    NumberFormat,
    currency_digits,
    currency_symbol,
    format_change,
    format_count,
    format_money,
    format_number,
    format_percent,
    format_points,
    format_relative_change,
    format_value,
    is_missing,
    money_style,
)
from knowledge.presentation.periods import (
    day_span,
    format_date,
    is_month_to_date,
    period_name,
    period_phrase,
    period_text,
    span_text,
    to_date_unit,
)

__all__ = [
    "N_",
    "join_clauses",
    "channel_name",
    "profile_feature",
    "segment_name",
    "NumberFormat",
    "column_format",
    "column_label",
    "label_in_sentence",
    "csv_frame",
    "currency_digits",
    "currency_symbol",
    "display_frame",
    "format_change",
    "format_count",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
    "format_points",
    "format_relative_change",
    "format_value",
    "is_missing",
    "money_style",
    "in_each_language",
    "is_month_to_date",
    "join_list",
    "ntr",
    "period_name",
    "period_phrase",
    "period_text",
    "day_span",
    "span_text",
    "table_labels",
    "to_date_unit",
    "tr",
    "weekday_name",
]
