"""Building the ToolContext from the settings, in one place for the agent and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from copilot.settings import Settings
from knowledge.importers.currency import store_currency_symbol
from knowledge.semantic import SemanticModel, load_semantic_model
from knowledge.warehouse_mapping_reads import read_through
from tools.base import Limits, ToolContext


def tool_context(
    settings: Settings,
    engine: Engine,
    semantic_model: SemanticModel | None = None,
    knowledge: object | None = None,
    copy_writer: Callable[..., Any] | None = None,
    state: Engine | None = None,
) -> ToolContext:
    """The context every tool gets: the stores, the semantic model, the limits, the documents.

    `engine` is the warehouse; `state` the copilot's own store (None: `engine` holds both).
    """
    semantic_model = semantic_model or load_semantic_model(
        settings.semantic_model_path, settings.warehouse_mapping
    )
    read_through(engine, semantic_model.warehouse)  # before the currency is read from orders
    return ToolContext(
        engine=engine,
        semantic_model=semantic_model,
        limits=Limits(row_limit=settings.row_limit, query_timeout_s=settings.query_timeout_s),
        as_of=settings.as_of,
        currency=store_currency_symbol(engine, settings.currency),
        knowledge=knowledge,  # type: ignore[arg-type] - a KnowledgeBase or a lazy one
        copy_writer=copy_writer,
        exports_dir=settings.home_dir / "exports",
        state=state,
        rule_min_baskets=settings.rule_min_baskets,
        quiet_hours=settings.quiet_hours,
    )
