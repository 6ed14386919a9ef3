"""Which personal columns each output column of a query is made from, in linear time.

One walk over the qualified syntax tree, scope by scope (innermost first): each
output column gets the set of personal-data kinds of every base column that
flows into it, through aliases, CTEs, subqueries, set operations, functions,
aggregates (string_agg, list), concatenation and whole-row references
(`SELECT c FROM customers c`, `to_json(c)`, `row_to_json(c)`, `c.*` inside a
function). Every node of the tree is visited a bounded number of times, so 1,500
selected columns cost about as much per column as 10 (sqlglot's own
`lineage()` re-walks the query for every column: quadratic).

A reference the walk cannot resolve raises `UntraceableQuery`: what cannot be
traced is not sent.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlglot import exp
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, traverse_scope

Kinds = frozenset[str]
NO_KINDS: Kinds = frozenset()
# A count or a length of personal data is not personal data.
_COUNT_LIKE = (exp.Count, exp.Length, exp.ApproxDistinct)


# sqlglot marks `SELECT c FROM customers c` (a table alias used as a value) with this node.
_TABLE_COLUMN = getattr(exp, "TableColumn", None)


class UntraceableQuery(Exception):
    """The query's lineage could not be traced; its text says which part."""


def output_kinds(
    tree: exp.Query,
    schema: Mapping[str, Mapping[str, str]],
    dialect: str,
    personal: Mapping[tuple[str, str], str],
    copy: bool = True,
) -> list[Kinds]:
    """The personal-data kinds of each output column of `tree` (empty set = not personal).

    `personal` maps (table, column) to a kind ("name", "email", "phone", "text").
    With `copy` False the tree is qualified in place (a deep copy costs about as
    much as the qualification itself). Raises UntraceableQuery when a column or
    row reference cannot be resolved.
    """
    try:
        qualified = qualify(
            tree.copy() if copy else tree,
            schema=schema,
            dialect=dialect,
            validate_qualify_columns=False,
            quote_identifiers=False,
        )
        scopes = traverse_scope(qualified)
    except RecursionError as exc:
        raise UntraceableQuery("the query is nested too deeply to trace") from exc
    except Exception as exc:  # noqa: BLE001 - sqlglot raises many kinds of errors here
        raise UntraceableQuery(f"sqlglot could not qualify it ({exc})") from exc
    walker = _Walker(personal)
    for scope in scopes:  # innermost scopes first
        walker.visit(scope)
    root = scopes[-1] if scopes else None
    if root is None or id(root.expression) not in walker.outputs:
        raise UntraceableQuery("the query has no traceable result columns")
    return [kinds for _, kinds in walker.outputs[id(root.expression)]]


class _Walker:
    """Computes each scope's [(output name, kinds)] from its sources' outputs."""

    def __init__(self, personal: Mapping[tuple[str, str], str]) -> None:
        self.personal = personal
        self.outputs: dict[int, list[tuple[str, Kinds]]] = {}
        self.table_kinds: dict[str, Kinds] = {}
        for (table, _), kind in personal.items():
            self.table_kinds[table] = self.table_kinds.get(table, NO_KINDS) | {kind}

    def visit(self, scope: Scope) -> None:
        node = scope.expression
        if isinstance(node, exp.SetOperation):
            self.outputs[id(node)] = self._set_operation(node)
        elif isinstance(node, exp.Select):
            self.outputs[id(node)] = [
                (select.alias_or_name, self._select_kinds(select, scope)) for select in node.selects
            ]
        else:
            # A table function or UNNEST: every column it yields may carry
            # anything its arguments carry.
            kinds = self._expression_kinds(node, scope)
            self.outputs[id(node)] = [("*", kinds)]

    def _set_operation(self, node: exp.SetOperation) -> list[tuple[str, Kinds]]:
        left = self._query_outputs(node.left)
        right = self._query_outputs(node.right)
        if len(left) != len(right):
            raise UntraceableQuery("the two sides of a UNION/EXCEPT/INTERSECT differ in width")
        return [(name, a | b) for (name, a), (_, b) in zip(left, right, strict=True)]

    def _query_outputs(self, node: exp.Expression) -> list[tuple[str, Kinds]]:
        node = node.unnest() if isinstance(node, exp.Subquery) else node
        found = self.outputs.get(id(node))
        if found is None:
            raise UntraceableQuery(f"no lineage for the subquery {node.sql()[:80]!r}")
        return found

    def _select_kinds(self, select: exp.Expression, scope: Scope) -> Kinds:
        value = select.unalias()
        if isinstance(value, _COUNT_LIKE):
            return NO_KINDS
        return self._expression_kinds(value, scope)

    def _expression_kinds(self, root: exp.Expression, scope: Scope) -> Kinds:
        """Union of the kinds of everything `root` reads (an explicit stack: no recursion)."""
        kinds: set[str] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if node is not root and id(node) in self.outputs:
                # An inner scope (scalar subquery, EXISTS, IN (SELECT ...)) already traced.
                kinds.update(k for _, ks in self.outputs[id(node)] for k in ks)
                continue
            if isinstance(node, exp.Subquery) and id(node.unnest()) in self.outputs:
                kinds.update(k for _, ks in self.outputs[id(node.unnest())] for k in ks)
                continue
            if isinstance(node, exp.Column):
                kinds.update(self._column_kinds(node, scope))
                continue
            if _TABLE_COLUMN is not None and isinstance(node, _TABLE_COLUMN):
                kinds.update(self._whole_row(node.name, scope))  # qualify's whole-row reference
                continue
            if isinstance(node, exp.Star):
                # A bare * inside an expression (not COUNT(*)): every source's whole row.
                for name in scope.sources:
                    kinds.update(self._whole_row(name, scope))
                continue
            if isinstance(node, exp.Lambda):
                stack.append(node.this)  # the parameters carry what the list argument carries
                continue
            stack.extend(node.iter_expressions())
        return frozenset(kinds)

    def _column_kinds(self, column: exp.Column, scope: Scope) -> Kinds:
        table = column.table
        if isinstance(column.this, exp.Star):
            return self._whole_row(table, scope)
        if not table:
            if self._source(column.name, scope) is not None:
                return self._whole_row(column.name, scope)  # `SELECT c FROM customers c`
            if _is_lambda_parameter(column):
                return NO_KINDS
            raise UntraceableQuery(f"the column {column.sql()!r} could not be resolved")
        source = self._source(table, scope)
        if source is None:
            raise UntraceableQuery(f"{column.sql()!r} refers to an unknown table or field")
        if isinstance(source, exp.Table):
            kind = self.personal.get((source.name.lower(), column.name.lower()))
            return frozenset({kind}) if kind else NO_KINDS
        outputs = self.outputs.get(id(source.expression))
        if outputs is None:
            raise UntraceableQuery(f"no lineage for the source of {column.sql()!r}")
        if len(outputs) == 1 and outputs[0][0] == "*":
            return outputs[0][1]
        for name, kinds in outputs:
            if name == column.name:
                return kinds
        # A field of a struct or a name the walk does not know: all of the source.
        return frozenset(k for _, ks in outputs for k in ks)

    def _whole_row(self, name: str, scope: Scope) -> Kinds:
        source = self._source(name, scope)
        if source is None:
            raise UntraceableQuery(f"{name!r} is not a table of the query")
        if isinstance(source, exp.Table):
            return self.table_kinds.get(source.name.lower(), NO_KINDS)
        outputs = self.outputs.get(id(source.expression))
        if outputs is None:
            raise UntraceableQuery(f"no lineage for {name!r}")
        return frozenset(k for _, ks in outputs for k in ks)

    @staticmethod
    def _source(name: str, scope: Scope | None) -> exp.Table | Scope | None:
        """The source a table alias names, in this scope or an enclosing one (correlation)."""
        while scope is not None:
            source = scope.sources.get(name)
            if source is not None:
                return source
            scope = scope.parent
        return None


def _is_lambda_parameter(column: exp.Column) -> bool:
    node = column.parent
    while node is not None:
        if isinstance(node, exp.Lambda) and any(
            p.name == column.name for p in node.expressions if isinstance(p, exp.Expression)
        ):
            return True
        node = node.parent
    return False
