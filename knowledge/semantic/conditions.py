"""The small condition language of the semantic model ("orders.total > 0")."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import ColumnElement, and_, true

_CONDITION = re.compile(
    r"^\s*(?P<column>\w+\.\w+)\s+(?:"
    r"(?P<negated>not\s+)?in\s*\((?P<values>[^)]*)\)"
    r"|is\s+(?P<is>not\s+null|null|true|false)"
    r"|(?P<op>>=|<=|!=|=|>|<)\s*(?P<number>-?\d+(?:\.\d+)?)"
    r")\s*$",
    re.IGNORECASE,
)


def condition_columns(condition: str) -> str:
    """The `alias.column` a condition reads."""
    return _parse(condition).group("column")


def compile_condition(
    condition: str, column_of: Callable[[str], ColumnElement]
) -> ColumnElement[bool]:
    """A SQLAlchemy boolean for one condition; `column_of` resolves `alias.column`."""
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
