"""A warehouse laid out its own way, built from the demo store, for the mapping tests.

Three schemas (sales, crm, mkt) hold the demo tables under other names with
renamed columns; the file has no table of the copilot's own names, so a query
that ignored the mapping would fail instead of silently reading the demo tables.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine

# (schema.table, source table, {copilot column: warehouse column})
LAYOUT: dict[str, tuple[str, dict[str, str]]] = {
    "orders": (
        "sales.fact_orders",
        {
            "order_id": "id",
            "customer_id": "cust_id",
            "ordered_at": "order_ts",
            "order_date": "order_day",
            "total": "net_amount",
        },
    ),
    "order_items": ("sales.fact_order_lines", {"order_id": "order_ref", "amount": "line_amount"}),
    "products": ("sales.dim_product", {"sku": "product_code", "category": "category_name"}),
    "customers": (
        "crm.dim_customer",
        {"customer_id": "cust_id", "city": "town", "name": "full_name", "email": "email_address"},
    ),
    "reviews": ("crm.reviews", {"text": "review_text"}),
    "campaigns": ("mkt.campaigns", {"campaign_id": "campaign_key"}),
    "campaign_messages": ("mkt.messages", {"campaign_id": "campaign_key", "sent_at": "sent_ts"}),
}

MAPPING_YAML = """\
# The demo data as a team's warehouse holds it.
tables:
  orders:
    table: sales.fact_orders
    columns:
      order_id: id
      customer_id: cust_id
      ordered_at: order_ts
      order_date: order_day
      total: net_amount
  order_items:
    table: sales.fact_order_lines
    columns: {order_id: order_ref, amount: line_amount}
  products:
    table: sales.dim_product
    columns: {sku: product_code, category: category_name}
  customers:
    table: crm.dim_customer
    columns: {customer_id: cust_id, city: town, name: full_name, email: email_address}
  reviews:
    table: crm.reviews
    columns: {text: review_text}
  campaigns:
    table: mkt.campaigns
    columns: {campaign_id: campaign_key}
  campaign_messages:
    table: mkt.messages
    columns:
      campaign_id: campaign_key
      sent_at: sent_ts
"""


def build_warehouse(demo: Engine, target: Path) -> Engine:
    """A DuckDB file at `target` holding the demo store's business tables in LAYOUT.

    Tables travel as Arrow, so DECIMAL, DATE and TIMESTAMP columns keep their types.
    """
    import duckdb

    source = demo.raw_connection()
    warehouse = duckdb.connect(str(target))
    try:
        for schema in sorted({qualified.split(".")[0] for qualified, _ in LAYOUT.values()}):
            warehouse.execute(f"CREATE SCHEMA {schema}")
        for table, (qualified, renamed) in LAYOUT.items():
            names = [
                row[0]
                for row in source.driver_connection.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
            select_list = ", ".join(f"{c} AS {renamed.get(c, c)}" for c in names)
            rows = source.driver_connection.execute(f"SELECT {select_list} FROM {table}").arrow()
            warehouse.register("incoming", rows)
            warehouse.execute(f"CREATE TABLE {qualified} AS SELECT * FROM incoming")
            warehouse.unregister("incoming")
    finally:
        warehouse.close()
        source.close()
    return create_engine(f"duckdb:///{target}")
