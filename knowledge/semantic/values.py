"""The distinct values of the semantic model's column dimensions, for recognising them in questions."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import Engine, select

from knowledge.semantic.derived import DERIVED, STATE_DERIVED
from knowledge.semantic.model import Dimension, SemanticModel
from knowledge.store.state import names_state_table, warehouse_sees_state
from knowledge.warehouse_mapping import ENTITIES

# Dimensions with more distinct values than this are not indexed (ids, free text).
MAX_VALUES_PER_DIMENSION = 2000
# The dimension of a (dimension, value, text) row that carries a value's description (a
# dimension's `descriptions` column) rather than an alias: "described:campaign".
DESCRIBED = "described:"
# The dimension of a (dimension, value, text) row that carries the broader dimension's value a
# value lies in (a dimension's `within`): "within:city:province", text the province.
WITHIN = "within:"
# The dimension of a (dimension, value, text) row that carries a value's own days (a
# dimension's `starts` / `ends` columns): "dated:campaign", text "2026-04-08..2026-04-22".
DATED = "dated:"


def dimension_columns(model: SemanticModel, dimension: Dimension) -> list[str]:
    """Every `alias.column` a dimension reads, over all facts."""
    if dimension.columns:
        return list(dict.fromkeys(dimension.columns.values()))
    return [dimension.column] if dimension.column else []


def reads_state(model: SemanticModel, dimension: Dimension) -> bool:
    """Whether a dimension's values come from the copilot's state (saved segment names)."""
    aliases = {reference.partition(".")[0] for reference in dimension_columns(model, dimension)}
    return any(
        fact.joins[alias].derived in STATE_DERIVED
        for fact in model.facts.values()
        for alias in aliases
        if alias in fact.joins
    )


def dimension_values(
    engine: Engine,
    model: SemanticModel,
    include: Callable[[Dimension], bool] | None = None,
) -> Iterator[tuple[str, str, str | None]]:
    """(dimension, value, alias such as the Chinese category name) for each indexed value.

    `include` picks the dimensions to read (default: every one), one SELECT DISTINCT
    per column. Saved-segment dimensions are skipped on a warehouse that cannot
    see the state store (Spark).
    """
    sees_state = warehouse_sees_state(engine)
    with engine.connect() as conn:
        for dimension in model.dimensions.values():
            if include is not None and not include(dimension):
                continue
            for reference in dimension_columns(model, dimension):
                table_name, _, column_name = reference.partition(".")
                alias_name = dimension.aliases.partition(".")[2] if dimension.aliases else None
                source = _source(model, table_name)
                if source is None:
                    continue
                columns = [source.c[column_name]]
                if alias_name and alias_name in source.c:
                    columns.append(source.c[alias_name])
                statement = (
                    select(*columns)
                    .distinct()
                    .where(columns[0].is_not(None))
                    # Sorted, so the index (and the planner's filters) come out in the same
                    # order on every engine: DISTINCT alone returns Spark's rows in another
                    # order than DuckDB's, and "app vs web" became filters [web, app] there.
                    .order_by(*columns)
                    .limit(MAX_VALUES_PER_DIMENSION + 1)
                )
                if not sees_state and names_state_table(str(statement)):
                    continue  # saved segments live in a state store this warehouse cannot read
                rows = conn.execute(statement).all()
                if len(rows) > MAX_VALUES_PER_DIMENSION:
                    continue
                for row in rows:
                    yield (
                        dimension.name,
                        str(row[0]),
                        (str(row[1]) if len(row) > 1 and row[1] else None),
                    )
                broader = _within(model, dimension, reference, source)
                if broader is not None:
                    for value, parent in conn.execute(broader).all():
                        if parent is not None:
                            name = f"{WITHIN}{dimension.name}:{dimension.within}"
                            yield (name, str(value), str(parent))
                dated = _days(dimension, reference, source)
                if dated is not None:
                    for value, first, last in conn.execute(dated).all():
                        if first is not None and last is not None:
                            days = f"{str(first)[:10]}..{str(last)[:10]}"
                            yield (f"{DATED}{dimension.name}", str(value), days)
                described = _descriptions(model, dimension, reference, source)
                if described is not None:
                    for value, text in conn.execute(described).all():
                        if text:
                            yield (f"{DESCRIBED}{dimension.name}", str(value), str(text))


def _descriptions(model: SemanticModel, dimension: Dimension, reference: str, source):  # noqa: ANN001, ANN202
    """The SELECT of (value, description) of a dimension with a `descriptions` column in the
    same table as its values, or None."""
    return _pairs(reference, dimension.descriptions, source)


def _days(dimension: Dimension, reference: str, source):  # noqa: ANN001, ANN202
    """The SELECT of (value, first day, last day) of a dimension with `starts` and `ends`
    columns in the same table as its values, or None."""
    if not (dimension.starts and dimension.ends):
        return None
    table_name, _, column_name = reference.partition(".")
    names = [c.partition(".") for c in (dimension.starts, dimension.ends)]
    if any(alias != table_name or name not in source.c for alias, _, name in names):
        return None
    return (
        select(source.c[column_name], *(source.c[name] for _, _, name in names))
        .distinct()
        .where(source.c[column_name].is_not(None))
        .order_by(source.c[column_name])
        .limit(MAX_VALUES_PER_DIMENSION + 1)
    )


def _within(model: SemanticModel, dimension: Dimension, reference: str, source):  # noqa: ANN001, ANN202
    """The SELECT of (value, broader value) of a dimension `within` another one read from the
    same table (a city and its province), or None."""
    broader = model.dimensions.get(dimension.within or "")
    if broader is None or not broader.column:
        return None
    return _pairs(reference, broader.column, source)


def _pairs(reference: str, other: str | None, source):  # noqa: ANN001, ANN202
    """The SELECT of the distinct (value, other column) pairs of the dimension column
    `reference` ("table.column") and `other` ("table.column"), when both are in `source`'s
    table, else None."""
    if not other:
        return None
    table_name, _, column_name = reference.partition(".")
    alias, _, name = other.partition(".")
    if alias != table_name or name not in source.c:
        return None
    return (
        select(source.c[column_name], source.c[name])
        .distinct()
        .where(source.c[column_name].is_not(None))
        .order_by(source.c[column_name], source.c[name])
        .limit(MAX_VALUES_PER_DIMENSION + 1)
    )


def _source(model: SemanticModel, alias: str):  # noqa: ANN202
    """The table (through the warehouse mapping) or derived table an alias names."""
    tables = model.warehouse
    if alias in ENTITIES:
        return tables.table(alias)
    for fact in model.facts.values():
        join = fact.joins.get(alias)
        if join is not None:
            if join.derived:
                return DERIVED[join.derived](tables).subquery(alias)
            return tables.table(join.table) if join.table in ENTITIES else None
    return None


def stored_labels(
    engine: Engine,
    model: SemanticModel,
    dimension: str,
    values: list[str],
    *,
    from_labels: bool = False,
) -> dict[str, str]:
    """{stored value: its label in the store} for a dimension with an `aliases` column
    (products.category -> products.category_zh), read for `values` only (one SELECT);
    `from_labels`: `values` are labels, and the result is {label: stored value}.
    Empty when the dimension has no such column or nothing matched.
    """
    spec = model.dimensions.get(dimension)
    if spec is None or not spec.aliases or not spec.column or not values:
        return {}
    table_name, _, column_name = spec.column.partition(".")
    alias_table, _, alias_name = spec.aliases.partition(".")
    source = _source(model, table_name)
    if alias_table != table_name or source is None or alias_name not in source.c:
        return {}
    key, label = source.c[column_name], source.c[alias_name]
    if from_labels:
        key, label = label, key
    statement = (
        select(key, label)
        .distinct()
        .where(key.in_(values), label.is_not(None))
        .order_by(key, label)
    )
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    found: dict[str, str] = {}
    for stored, shown in rows:  # the first label of a value wins (sorted: the same on every engine)
        found.setdefault(str(stored), str(shown))
    return found


def known_values(
    engine: Engine, model: SemanticModel, dimension: str, values: list[str]
) -> set[str] | None:
    """The `values` the store holds for a column dimension (one SELECT per column it reads),
    or None when they cannot be read here (a computed dimension, a state table the
    warehouse cannot see): the caller then cannot tell a known value from a typo."""
    spec = model.dimension(dimension)
    if spec.compute == "age_band":
        from knowledge.semantic.compiler import AGE_BANDS

        return {v for v in values if v in {band for _, _, band in AGE_BANDS}}
    references = dimension_columns(model, spec)
    if spec.time_grain or not references or not values:
        return None
    found: set[str] = set()
    sees_state = warehouse_sees_state(engine)
    with engine.connect() as conn:
        for reference in references:
            table_name, _, column_name = reference.partition(".")
            source = _source(model, table_name)
            if source is None or column_name not in source.c:
                return None
            column = source.c[column_name]
            statement = select(column).distinct().where(column.in_(values))
            if not sees_state and names_state_table(str(statement)):
                return None
            found |= {str(row[0]) for row in conn.execute(statement).all()}
    return found
