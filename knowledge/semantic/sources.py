"""A fact's FROM clause with exactly the joins a query needs, and column lookup by `alias.column`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, FromClause, and_, true

from knowledge.semantic.conditions import compile_condition
from knowledge.semantic.derived import DERIVED
from knowledge.semantic.model import Fact
from knowledge.warehouse_mapping import WarehouseMapping

_QUALIFIED = re.compile(r"\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b")


def aliases_in(text: str) -> set[str]:
    """The aliases named in `alias.column` references inside a text."""
    return {alias for alias, _ in _QUALIFIED.findall(text)}


@dataclass
class FactSource:
    """The FROM clause of one fact with its joins, and a resolver of `alias.column`."""

    fact_name: str
    fact: Fact
    aliases: dict[str, FromClause] = field(default_factory=dict)
    source: FromClause | None = None

    @classmethod
    def build(
        cls,
        fact_name: str,
        fact: Fact,
        references: set[str],
        tables: WarehouseMapping | None = None,
    ) -> FactSource:
        """The fact joined to every alias in `references` (and what those joins need).

        `tables` places the entities in the warehouse (default: the store's own tables).
        """
        tables = tables or WarehouseMapping.identity()
        built = cls(fact_name, fact)
        base = _selectable(tables, fact.table, fact.derived, fact.alias)
        built.aliases[fact.alias] = base
        needed = _with_dependencies(fact, {r for r in references if r != fact.alias})
        source: FromClause = base
        for alias, join in fact.joins.items():
            if alias not in needed:
                continue
            target = _selectable(tables, join.table, join.derived, alias)
            built.aliases[alias] = target
            condition = _on_clause(join.condition, built.column)
            source = source.join(target, condition, isouter=join.outer)
        built.source = source
        return built

    def column(self, reference: str) -> ColumnElement:
        """The column for `alias.column`; a ValueError names what is available."""
        alias, _, name = reference.partition(".")
        if alias not in self.aliases:
            raise ValueError(
                f"{reference!r} is not available on the {self.fact_name} data "
                f"(it has: {', '.join(sorted(self.aliases))})"
            )
        try:
            return self.aliases[alias].c[name]
        except KeyError:
            raise ValueError(f"Unknown column {reference!r}") from None

    def conditions(self) -> ColumnElement[bool]:
        """The fact's defining row conditions."""
        parts = [compile_condition(c, self.column) for c in self.fact.where]
        return and_(*parts) if parts else true()


def fact_references(fact: Fact) -> set[str]:
    """Aliases the fact's own conditions and time column need."""
    refs = aliases_in(fact.time_column)
    for condition in fact.where:
        refs |= aliases_in(condition)
    return refs


def _with_dependencies(fact: Fact, wanted: set[str]) -> set[str]:
    needed = set(wanted)
    changed = True
    while changed:
        changed = False
        for alias in list(needed):
            join = fact.joins.get(alias)
            if join is None:
                raise ValueError(f"The fact cannot reach {alias!r}")
            for dependency in aliases_in(join.condition) - {alias, fact.alias}:
                if dependency not in needed:
                    needed.add(dependency)
                    changed = True
    return needed


def _selectable(
    tables: WarehouseMapping, table: str | None, derived: str | None, alias: str
) -> FromClause:
    if derived:
        return DERIVED[derived](tables).subquery(alias)
    return tables.aliased(table or "", alias)


def _on_clause(on: str, column_of) -> ColumnElement[bool]:  # noqa: ANN001
    parts = [p.strip() for p in re.split(r"\s+and\s+", on, flags=re.IGNORECASE)]
    clauses = []
    for part in parts:
        left, _, right = part.partition("=")
        clauses.append(column_of(left.strip()) == column_of(right.strip()))
    return and_(*clauses)
