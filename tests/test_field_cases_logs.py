"""Public-style sales logs imported and answered per month, against an independent pandas
reading of MARKETING.md ("How real logs are read"):

- the UCI "Online Retail"-style sample (tests/data/online_retail_sample.csv): "C" credit
  notes, guest lines, postage lines, month-first dates;
- the CDNOW sample (tests/data/cdnow/CDNOW_sample.txt, 6,919 purchases of 2,357 customers,
  1997-01..1998-06, as shipped in the `lifetimes` 0.11.3 package, MIT licence; data of
  Fader & Hardie), written as a CSV log with one order per customer and day: it has 21
  exact duplicate lines and zero-value purchases.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from knowledge.importers import import_file
from knowledge.importers.options import ImportOptions
from knowledge.semantic import load_semantic_model
from knowledge.store.database import connect_store
from knowledge.store.schema import Base
from tools import ToolContext, query_metrics

DATA = Path(__file__).parent / "data"
METRICS = ["revenue", "gross_sales", "returns", "orders", "buyers"]
# The non-merchandise codes this reference knows (UCI's postage, carriage, fees, manual lines).
NON_MERCHANDISE = {"POST", "DOT", "M", "C2", "BANK CHARGES", "AMAZONFEE", "S", "D", "CRUK", "B"}


def reference_by_month(lines: pd.DataFrame) -> pd.DataFrame:
    """MARKETING.md's metrics per month, computed line by line in plain pandas.

    `lines`: order_id, customer_id (None for guests), at (local timestamp), sku,
    quantity, price; exact duplicates must already be dropped.
    """
    lines = lines.assign(
        amount=(lines["quantity"] * lines["price"]).round(2),
        goods=~lines["sku"].isin(NON_MERCHANDISE),
    )
    orders = lines.groupby("order_id").agg(
        customer=("customer_id", "first"), at=("at", "min"), top=("quantity", "max")
    )
    orders["credit"] = orders["top"] < 0
    content = {
        o: Counter(dict(g.groupby("sku")["quantity"].sum())) for o, g in lines.groupby("order_id")
    }
    cancelled: set[str] = set()
    for note, row in orders[orders["credit"]].sort_values("at").iterrows():
        if row["customer"] is None or pd.isna(row["customer"]):
            continue
        wanted = Counter({sku: -q for sku, q in content[note].items()})
        earlier = orders[
            (orders["customer"] == row["customer"])
            & ~orders["credit"]
            & (orders["at"] <= row["at"])
            & ~orders.index.isin(cancelled)
        ].sort_values("at")
        hits = [o for o in earlier.index if content[o] == wanted]
        if hits:
            cancelled |= {note, hits[-1]}
    orders["status"] = "completed"
    orders.loc[orders["credit"], "status"] = "returned"
    orders.loc[orders.index.isin(cancelled), "status"] = "cancelled"
    lines = lines.join(orders[["status"]], on="order_id").join(
        orders[["at"]], on="order_id", rsuffix="_order"
    )
    lines["month"] = lines["at_order"].dt.strftime("%Y-%m")
    goods = lines[lines["goods"]]
    sold = goods[(goods["status"] == "completed") & (goods["amount"] > 0)]
    back = goods[(goods["status"] != "cancelled") & (goods["amount"] < 0)]
    net = goods.groupby("order_id")["amount"].sum().reindex(orders.index, fill_value=0.0)
    valid = orders[(orders["status"] == "completed") & (net.round(2) > 0)]
    valid = valid.assign(month=valid["at"].dt.strftime("%Y-%m"))
    out = pd.DataFrame(
        {
            "gross_sales": sold.groupby("month")["amount"].sum(),
            "returns": -back.groupby("month")["amount"].sum(),
            "orders": valid.groupby("month").size(),
            "buyers": valid.dropna(subset=["customer"]).groupby("month")["customer"].nunique(),
        }
    ).fillna(0.0)
    out["revenue"] = out["gross_sales"] - out["returns"]
    return out[METRICS]


def copilot_by_month(engine: Engine) -> pd.DataFrame:
    """The same metrics per month through query_metrics (the tool the copilot calls)."""
    context = ToolContext(engine=engine, semantic_model=load_semantic_model())
    frame = query_metrics(context, metrics=METRICS, dimensions=["month"]).artifacts[0].frame
    frame["month"] = pd.to_datetime(frame["month"]).dt.strftime("%Y-%m")
    return frame.set_index("month")[METRICS].astype(float).fillna(0.0)


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    want = want[(want != 0).any(axis=1)]
    got = got[(got != 0).any(axis=1)]
    assert list(got.index) == list(want.index)
    for name in METRICS:
        assert got[name].to_numpy() == pytest.approx(want[name].to_numpy(), abs=0.005), name


@pytest.fixture(params=["duckdb", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request, tmp_path: Path) -> Engine:  # noqa: ANN001
    if request.param == "postgres":
        engine = connect_store(request.getfixturevalue("postgres_scratch_url"), create=False)
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
    else:
        engine = connect_store(f"{request.param}:///{tmp_path}/log.{request.param}")
    yield engine
    engine.dispose()


def test_uci_style_log_matches_pandas(engine: Engine) -> None:
    path = DATA / "online_retail_sample.csv"
    report = import_file(
        engine, "transactions", path, options=ImportOptions(date_order="month-first")
    )
    raw = pd.read_csv(path, dtype=str, keep_default_na=False).drop_duplicates()
    lines = pd.DataFrame(
        {
            "order_id": raw["InvoiceNo"],
            "customer_id": raw["CustomerID"].where(raw["CustomerID"] != "", None),
            "at": pd.to_datetime(raw["InvoiceDate"], format="%m/%d/%Y %H:%M"),
            "sku": raw["StockCode"],
            "quantity": raw["Quantity"].astype(int),
            "price": raw["UnitPrice"].astype(float),
        }
    )
    want = reference_by_month(lines)
    assert want["returns"].sum() > 0 and lines["customer_id"].isna().any()
    assert_same(copilot_by_month(engine), want)
    said = " ".join(report.summary)
    assert "Guest lines" in said and "Non-merchandise lines" in said and "Returns" in said


def cdnow_log(tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    """The CDNOW sample as a CSV sales log (one order per customer and day) and its lines."""
    raw = pd.read_csv(
        DATA / "cdnow" / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["customer", "index", "date", "quantity", "dollars"],
        dtype=str,
    )
    quantity = raw["quantity"].astype(int)
    log = pd.DataFrame(
        {
            "order_id": raw["customer"] + "-" + raw["date"],
            "customer_id": raw["customer"],
            "order_date": pd.to_datetime(raw["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d"),
            "product_name": "CD",
            "quantity": quantity,
            # The log gives line amounts; a unit price that multiplies back to them exactly.
            "unit_price": (raw["dollars"].astype(float) / quantity).map(repr),
            "currency": "USD",
        }
    )
    path = tmp_path / "cdnow.csv"
    log.to_csv(path, index=False)
    kept = log.drop_duplicates()
    lines = pd.DataFrame(
        {
            "order_id": kept["order_id"],
            "customer_id": kept["customer_id"],
            "at": pd.to_datetime(kept["order_date"]),
            "sku": "CD",
            "quantity": kept["quantity"],
            "price": raw.loc[kept.index, "dollars"].astype(float) / kept["quantity"],
        }
    )
    return path, lines


def test_cdnow_log_matches_pandas(engine: Engine, tmp_path: Path) -> None:
    path, lines = cdnow_log(tmp_path)
    report = import_file(engine, "transactions", path)
    said = " ".join(report.summary)
    assert "dropped 21 lines" in said and "Currency: USD" in said
    want = reference_by_month(lines)
    assert len(want) == 18  # 1997-01 .. 1998-06
    assert_same(copilot_by_month(engine), want)
