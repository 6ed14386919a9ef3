"""The small condition language of the semantic model ("orders.total > 0").

One condition is `alias.column` with `in (...)`, `not in (...)`, `is [not]
null|true|false` or a comparison with a number; conditions joined by ` or `
hold when any of them does (a list of conditions holds when all do).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import ColumnElement, and_, or_, true

_CONDITION = re.compile(
    r"^\s*(?P<column>\w+\.\w+)\s+(?:"
    r"(?P<negated>not\s+)?in\s*\((?P<values>[^)]*)\)"
    r"|is\s+(?P<is>not\s+null|null|not\s+true|not\s+false|true|false)"
    r"|(?P<op>>=|<=|!=|=|>|<)\s*(?P<number>-?\d+(?:\.\d+)?)"
    r")\s*$",
    re.IGNORECASE,
)


_OR = re.compile(r"\s+or\s+", re.IGNORECASE)


def condition_columns(condition: str) -> str:
    """The `alias.column` a condition reads (the first one, for an `or` of conditions)."""
    return _parse(_OR.split(condition)[0]).group("column")


def compile_condition(
    condition: str, column_of: Callable[[str], ColumnElement]
) -> ColumnElement[bool]:
    """A SQLAlchemy boolean for one condition; `column_of` resolves `alias.column`."""
    alternatives = _OR.split(condition.strip())
    if len(alternatives) > 1:
        return or_(*(compile_condition(a, column_of) for a in alternatives))
    match = _parse(condition)
    column = column_of(match.group("column"))
    if match.group("values") is not None:
        values = [v.strip().strip("'\"") for v in match.group("values").split(",") if v.strip()]
        return column.not_in(values) if match.group("negated") else column.in_(values)
    if match.group("is"):
        test = match.group("is").lower().replace("  ", " ")
        return {
            "null": column.is_(None),
            "not null": column.is_not(None),
            "true": column.is_(True),
            "false": column.is_(False),
            # NULL counts as "not false": rows written before the column existed.
            "not true": column.is_not(True),
            "not false": column.is_not(False),
        }[" ".join(test.split())]
    number = float(match.group("number"))
    return {
        ">": column > number,
        ">=": column >= number,
        "<": column < number,
        "<=": column <= number,
        "=": column == number,
        "!=": column != number,
    }[match.group("op")]


def all_of(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    """AND of the conditions (TRUE when there are none)."""
    return and_(*conditions) if conditions else true()


def _parse(condition: str) -> re.Match[str]:
    match = _CONDITION.match(condition)
    if match is None:
        raise ValueError(f"Cannot read the condition {condition!r} in the semantic model")
    return match
