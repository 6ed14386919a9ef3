"""Imports: validated, all-or-nothing and idempotent, on DuckDB, SQLite and (if given) PostgreSQL."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select, text

from knowledge.importers import (
    IMPORT_TARGETS,
    ImportFileError,
    parse_mapping_args,
    propose_mapping,
    read_table_file,
)
from knowledge.importers import import_file as _import_file
from knowledge.importers.options import ImportOptions
from knowledge.importers.transactions import name_sku
from knowledge.store.database import connect_store
from knowledge.store.schema import Base

SAMPLE = Path(__file__).parent / "data" / "online_retail_sample.csv"
UCI_HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
# UCI dates (12/1/2010) read both ways in early December: these tests state the order, as a
# user must (tests of the refusal call _import_file without it).
MONTH_FIRST = ImportOptions(date_order="month-first")


def import_file(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201
    """knowledge.importers.import_file with month-first dates unless the test gives options."""
    kwargs.setdefault("options", MONTH_FIRST)
    return _import_file(*args, **kwargs)


@pytest.fixture(params=["duckdb", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path) -> Engine:  # noqa: ANN001
    """A fresh, empty store on each database."""
    if request.param == "duckdb":
        engine = connect_store(f"duckdb:///{tmp_path}/s.duckdb")
    elif request.param == "sqlite":
        engine = connect_store(f"sqlite:///{tmp_path}/s.sqlite")
    else:
        # Each test worker has its own database: parallel workers must not share tables.
        engine = connect_store(request.getfixturevalue("postgres_scratch_url"), create=False)
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in key order: equal snapshots mean an unchanged store."""
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql)).all()]


def count(engine: Engine, table: str) -> int:
    return rows(engine, f"SELECT COUNT(*) FROM {table}")[0][0]


def write(path: Path, content: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(content.encode(encoding))
    return path


# --- transactions -----------------------------------------------------------


def test_uci_sample_builds_orders_with_credit_notes_guests_and_postage(store):
    report = import_file(store, "transactions", SAMPLE, actor="tester")
    sample = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    kept = sample.drop_duplicates()
    assert report.rows_read == len(sample)
    assert report.inserted["orders"] == kept["InvoiceNo"].nunique()
    assert report.inserted["order_items"] == len(kept)
    known = kept[kept["CustomerID"] != ""]
    assert report.inserted["customers"] == known["CustomerID"].nunique()
    assert report.inserted["products"] == kept["StockCode"].nunique()
    guests = (kept["CustomerID"] == "").sum()
    assert any(f"Guest lines: {guests} of {len(kept)}" in s for s in report.summary)
    assert any(s.startswith("Non-merchandise lines:") and "POST" in s for s in report.summary)
    assert report.column_mapping["order_id"] == "InvoiceNo"
    assert report.column_mapping["ordered_at"] == "InvoiceDate"

    statuses = dict(rows(store, "SELECT order_id, status FROM orders"))
    for order_id, status in statuses.items():
        if order_id.startswith("C"):  # the sample's C invoices return part of a purchase
            assert status in ("returned", "cancelled"), order_id
        else:
            assert status in ("completed", "cancelled"), order_id
    # Totals: the signed sum of the order's merchandise lines (postage is not merchandise).
    kept = kept.assign(amount=kept["Quantity"].astype(int) * kept["UnitPrice"].astype(float))
    goods = kept[kept["StockCode"] != "POST"]
    expected = goods.groupby("InvoiceNo")["amount"].sum().round(2)
    expected = expected.reindex(kept["InvoiceNo"].unique(), fill_value=0.0)
    totals = {k: float(v) for k, v in rows(store, "SELECT order_id, total FROM orders")}
    assert totals == pytest.approx(expected.to_dict())
    lines = rows(store, "SELECT sku, quantity, amount, merchandise FROM order_items")
    assert {bool(m) for sku, _, _, m in lines if sku == "POST"} == {False}
    assert {bool(m) for sku, _, _, m in lines if sku != "POST"} == {True}
    assert min(q for _, q, _, _ in lines) < 0  # returns keep their sign
    first = rows(store, "SELECT ordered_at, order_date FROM orders WHERE order_id = '536365'")[0]
    assert str(first[0]).startswith("2010-12-01 15:32")
    assert str(first[1]) == "2010-12-01"
    country = rows(store, "SELECT country FROM customers WHERE customer_id = '12583'")
    assert country == [("France",)]
    assert rows(store, "SELECT COUNT(*) FROM orders WHERE customer_id IS NULL") == [
        (kept.loc[kept["CustomerID"] == "", "InvoiceNo"].nunique(),)
    ]

    audit = rows(store, "SELECT actor, action, detail FROM audit_log")
    assert len(audit) == 1 and audit[0][:2] == ("tester", "import")
    detail = json.loads(audit[0][2])
    assert detail["file"] == SAMPLE.name and detail["target"] == "transactions"
    assert detail["inserted"]["orders"] == report.inserted["orders"]
    assert detail["summary"] == report.summary
    assert count(store, "import_batches") == 1


def test_negative_orders_returned_or_cancelled_and_status_column(store, tmp_path):
    # Non-UCI ids, so only the signs and the status column decide.
    path = write(
        tmp_path / "shop.csv",
        "order,customer,date,sku,qty,price,status\n"
        "A1,X,2024-01-02 10:00,P1,2,10.00,paid\n"
        "A1,X,2024-01-02 10:00,P2,1,5.50,paid\n"
        "A2,X,2024-01-05 09:00,P1,-1,10.00,\n"
        "A3,Y,2024-01-06 09:00,P2,-2,5.50,\n"
        "A4,Y,2024-01-07 09:00,P1,3,10.00,已取消\n"
        "A5,Z,2024-01-08 09:00,P2,1,5.50,退货\n"
        "C9,Z,2024-01-09 09:00,P1,1,10.00,\n",
    )
    import_file(store, "transactions", path)
    got = {
        k: (s, float(t)) for k, s, t in rows(store, "SELECT order_id, status, total FROM orders")
    }
    # MARKETING.md: a credit note that reverses no earlier order exactly is a return on its
    # own date (negative total), whether or not the customer bought the product before.
    assert got == {
        "A1": ("completed", 25.5),
        "A2": ("returned", -10.0),  # part of A1: a return
        "A3": ("returned", -11.0),  # Y never bought P2 here: still a return, on its own date
        "A4": ("cancelled", 30.0),
        "A5": ("returned", 5.5),  # the status column says so: not a sale
        "C9": ("completed", 10.0),  # "C" only marks credit notes in UCI-style (numeric) logs
    }


def test_credit_note_cancels_the_order_it_reverses_in_the_store(store, tmp_path):
    first = write(
        tmp_path / "jan.csv",
        "order,customer,date,sku,qty,price\nB1,X,2024-01-02,P1,2,10\nB3,X,2024-01-05,P1,2,10\n",
    )
    second = write(
        tmp_path / "feb.csv",
        "order,customer,date,sku,qty,price\nB2,X,2024-02-02,P1,-2,10\nB4,X,2024-02-03,P1,-1,10\n",
    )
    import_file(store, "transactions", first)
    report = import_file(store, "transactions", second)
    # B2 reverses exactly the latest matching purchase (B3); B4 is a partial return.
    assert dict(rows(store, "SELECT order_id, status FROM orders")) == {
        "B1": "completed",
        "B2": "cancelled",
        "B3": "cancelled",
        "B4": "returned",
    }
    assert any("already in the store" in s for s in report.summary)


def test_chinese_gbk_file_with_chinese_headers(store, tmp_path):
    content = (
        "订单号,会员ID,下单时间,商品编码,商品名称,数量,单价,品类,城市\n"
        'SO1001,M001,2024年3月5日 10:05,SKU-1,保湿面霜,2,"1,299.00",护肤,上海\n'
        "SO1001,M001,2024年3月5日 10:05,SKU-2,洁面乳,1,89.50,护肤,上海\n"
        "SO1002,M002,2024/03/06 20:30,SKU-1,保湿面霜,1,1299,护肤,北京\n"
    )
    path = write(tmp_path / "orders_gbk.csv", content, encoding="gbk")
    report = import_file(store, "transactions", path)
    assert report.column_mapping == {
        "order_id": "订单号",
        "customer_id": "会员ID",
        "ordered_at": "下单时间",
        "product_code": "商品编码",
        "product_name": "商品名称",
        "quantity": "数量",
        "unit_price": "单价",
        "category": "品类",
        "city": "城市",
    }
    products = rows(
        store,
        "SELECT sku, name_en, name_zh, category, category_zh, price FROM products ORDER BY sku",
    )
    assert [(p[0], p[1], p[2], p[3], p[4], float(p[5])) for p in products] == [
        ("SKU-1", None, "保湿面霜", "护肤", "护肤", 1299.0),
        ("SKU-2", None, "洁面乳", "护肤", "护肤", 89.5),
    ]
    orders = rows(store, "SELECT order_id, customer_id, total, city FROM orders ORDER BY order_id")
    assert [(o[0], o[1], float(o[2]), o[3]) for o in orders] == [
        ("SO1001", "M001", 2687.5, "上海"),
        ("SO1002", "M002", 1299.0, "北京"),
    ]
    assert rows(store, "SELECT city FROM customers ORDER BY customer_id") == [("上海",), ("北京",)]


def test_products_without_code_get_a_stable_sku_from_their_name(store, tmp_path):
    path = write(
        tmp_path / "names.csv",
        "订单编号,用户ID,订单时间,商品名称,数量,单价\nN1,U1,2024-05-01 08:00,玫瑰精油,1,59\n"
        "N2,U2,2024-05-02 08:00,Rose Oil,2,9.9\n",
    )
    import_file(store, "transactions", path)
    got = rows(store, "SELECT sku, name_en, name_zh FROM products ORDER BY name_en")
    assert sorted(got, key=str) == sorted(
        [(name_sku("玫瑰精油"), None, "玫瑰精油"), (name_sku("Rose Oil"), "Rose Oil", None)],
        key=str,
    )
    assert name_sku("Rose  oil") == name_sku("rose oil")


def test_map_override_and_its_errors(store, tmp_path):
    path = write(
        tmp_path / "odd.csv",
        "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,Kundennummer\n1,A,1,2024-01-01,2.5,K1\n",
    )
    before = snapshot(store)
    with pytest.raises(ImportFileError) as missing:
        import_file(store, "transactions", path)
    message = str(missing.value)
    assert "customer_id" in message and "Kundennummer" in message and "--map" in message
    with pytest.raises(ImportFileError, match="Kundennummer"):
        import_file(store, "transactions", path, mapping={"customer_id": "Kunde"})
    with pytest.raises(ImportFileError, match="not a column of transactions"):
        import_file(store, "transactions", path, mapping={"client": "Kundennummer"})
    assert snapshot(store) == before
    report = import_file(
        store, "transactions", path, mapping=parse_mapping_args(["customer_id=Kundennummer"])
    )
    assert report.column_mapping["customer_id"] == "Kundennummer"
    assert rows(store, "SELECT customer_id FROM orders") == [("K1",)]


def test_same_file_twice_changes_nothing(store, tmp_path):
    import_file(store, "transactions", SAMPLE)
    after_first = snapshot(store)
    copy = shutil.copy(SAMPLE, tmp_path / "renamed.csv")
    report = import_file(store, "transactions", Path(copy))
    assert report.skipped_duplicate_file
    assert report.inserted == {} and report.updated == {}
    assert snapshot(store) == after_first
    # Forced: rows are replaced by key, never duplicated.
    forced = import_file(store, "transactions", SAMPLE, force=True)
    assert not forced.skipped_duplicate_file
    assert forced.inserted["orders"] == 0 and forced.updated["orders"] == count(store, "orders")
    for table in ("customers", "products", "orders", "order_items"):
        assert count(store, table) == len(after_first[table])


def test_modified_file_updates_instead_of_duplicating(store, tmp_path):
    original = write(
        tmp_path / "v1.csv",
        UCI_HEADER + "1001,A,Mug,2,12/1/2010 8:26,2.50,17850,United Kingdom\n"
        "1001,B,Plate,1,12/1/2010 8:26,4.00,17850,United Kingdom\n"
        "1002,A,Mug,1,12/2/2010 9:00,2.50,13047,France\n",
    )
    import_file(store, "transactions", original)
    changed = write(
        tmp_path / "v2.csv",
        UCI_HEADER + "1001,A,Mug,3,12/1/2010 8:26,2.60,17850,United Kingdom\n"
        "1002,A,Mug,1,12/2/2010 9:00,2.50,13047,France\n"
        "1003,C,Bowl,1,12/3/2010 9:00,7.00,13047,France\n",
    )
    report = import_file(store, "transactions", changed)
    assert report.updated["orders"] == 2 and report.inserted["orders"] == 1
    assert report.inserted["products"] == 1 and report.updated["products"] == 1  # A; B untouched
    assert count(store, "orders") == 3
    assert count(store, "order_items") == 3  # order 1001 lost its second line
    assert float(rows(store, "SELECT total FROM orders WHERE order_id = '1001'")[0][0]) == 7.8
    assert (
        float(rows(store, "SELECT price FROM products WHERE sku = 'A'")[0][0]) == 2.5
    )  # latest line
    assert count(store, "import_batches") == 2 and count(store, "audit_log") == 2


def test_transactions_do_not_erase_existing_customer_profiles(store, tmp_path):
    crm = write(
        tmp_path / "crm.csv", "customer_id,name,email,city\n17850,Ann,ann@example.com,Leeds\n"
    )
    import_file(store, "customers", crm)
    sales = write(
        tmp_path / "s.csv", UCI_HEADER + "1,A,Mug,1,12/1/2010 8:26,2.5,17850,United Kingdom\n"
    )
    report = import_file(store, "transactions", sales)
    assert report.inserted["customers"] == 0
    assert rows(store, "SELECT name, email, city FROM customers") == [
        ("Ann", "ann@example.com", "Leeds")
    ]


# --- bad files leave the store unchanged ------------------------------------


def _missing_column(tmp_path: Path) -> Path:
    return write(tmp_path / "bad.csv", "InvoiceNo,StockCode,Quantity,CustomerID\n1,A,1,17850\n")


def _wrong_type(tmp_path: Path) -> Path:
    return write(
        tmp_path / "bad.csv",
        UCI_HEADER
        + "1,A,Mug,1,12/1/2010 8:26,2.5,17850,UK\n2,A,Mug,abc,12/1/2010 8:26,2.5,17850,UK\n",
    )


def _random_bytes(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_bytes(random.Random(7).randbytes(4096))
    return path


def _empty(tmp_path: Path) -> Path:
    return write(tmp_path / "bad.csv", "")


def _header_only(tmp_path: Path) -> Path:
    return write(tmp_path / "bad.csv", UCI_HEADER)


@pytest.mark.parametrize(
    ("make_file", "expected"),
    [
        (
            _missing_column,
            ["missing required column", "ordered_at", "unit_price", "InvoiceNo", "--map"],
        ),
        (_wrong_type, ["row 3", "'Quantity'", "'abc'", "whole number"]),
        (_random_bytes, ["bad.csv", "cannot read"]),
        (_empty, ["bad.csv", "empty"]),
        (_header_only, ["bad.csv", "no data rows"]),
    ],
    ids=["missing-column", "wrong-type", "random-bytes", "empty", "header-only"],
)
def test_bad_files_give_clear_errors_and_change_nothing(store, tmp_path, make_file, expected):
    import_file(store, "transactions", SAMPLE)
    before = snapshot(store)
    with pytest.raises(ImportFileError) as error:
        import_file(store, "transactions", make_file(tmp_path))
    for fragment in expected:
        assert fragment in str(error.value)
    assert snapshot(store) == before


def test_many_bad_values_are_counted_and_the_first_few_shown(store, tmp_path):
    lines = "".join(f"{i},A,Mug,x{i},12/1/2010 8:26,2.5,17850,UK\n" for i in range(12))
    with pytest.raises(ImportFileError) as error:
        import_file(store, "transactions", write(tmp_path / "q.csv", UCI_HEADER + lines))
    message = str(error.value)
    assert "12 values" in message and "row 2," in message and "and 7 more" in message
    assert "row 13," not in message


def test_store_rejection_mid_transaction_rolls_everything_back(store, tmp_path, monkeypatch):
    import_file(store, "transactions", SAMPLE)
    before = snapshot(store)
    from knowledge.importers import sales_orders

    real_insert = sales_orders.insert_frame

    def failing_insert(conn, table, frame):  # customers, products and orders are written by now
        real_insert(conn, table, frame.assign(quantity=None))  # NOT NULL: the database refuses

    monkeypatch.setattr(sales_orders, "insert_frame", failing_insert)
    path = write(
        tmp_path / "new.csv", UCI_HEADER + "9001,NEW,New thing,1,1/5/2011 9:00,3.0,99999,UK\n"
    )
    with pytest.raises(ImportFileError, match="rejected"):
        import_file(store, "transactions", path)
    assert snapshot(store) == before


# --- single tables ----------------------------------------------------------


def test_customers_from_excel_with_chinese_headers_and_update(store, tmp_path):
    frame = pd.DataFrame(
        {
            "客户ID": [1001, 1002, 1003],
            "姓名": ["王芳", "李雷", "Anna"],
            "性别": ["女", "男", "F"],
            "出生年份": [1990, 1985, None],
            "城市": ["上海", "北京", "London"],
            "注册日期": ["2023-01-05", "2023/02/10", "2023年3月1日"],
            "邮件授权": ["是", "否", "yes"],
            "短信授权": ["Y", "N", "1"],
        }
    )
    path = tmp_path / "customers.xlsx"
    frame.to_excel(path, index=False)
    report = import_file(store, "customers", path)
    assert report.inserted == {"customers": 3}
    got = rows(
        store,
        "SELECT customer_id, name, gender, birth_year, city, signup_date, consent_email, "
        "consent_sms, consent_push FROM customers ORDER BY customer_id",
    )
    assert [
        (r[0], r[1], r[2], r[3], r[4], str(r[5]), bool(r[6]), bool(r[7]), bool(r[8])) for r in got
    ] == [
        ("1001", "王芳", "F", 1990, "上海", "2023-01-05", True, True, False),
        ("1002", "李雷", "M", 1985, "北京", "2023-02-10", False, False, False),
        ("1003", "Anna", "F", None, "London", "2023-03-01", True, True, False),
    ]
    # A second file with fewer columns updates them and keeps the rest.
    update = write(tmp_path / "moves.csv", "客户编号,城市\n1001,杭州\n1004,深圳\n")
    report = import_file(store, "customers", update)
    assert report.inserted == {"customers": 1} and report.updated == {"customers": 1}
    assert rows(
        store, "SELECT name, city, consent_email FROM customers WHERE customer_id = '1001'"
    ) == [("王芳", "杭州", True)]
    assert count(store, "customers") == 4


def test_customers_bad_boolean_is_reported_with_row_and_column(store, tmp_path):
    path = write(tmp_path / "c.csv", "customer_id,consent_email\nA,yes\nB,maybe\n")
    with pytest.raises(ImportFileError, match=r"row 3, column 'consent_email': 'maybe'"):
        import_file(store, "customers", path)
    assert count(store, "customers") == 0


def test_products_from_parquet_and_duplicate_keys(store, tmp_path):
    frame = pd.DataFrame(
        {
            "SKU": ["P1", "P2"],
            "Product Name": ["Face cream", "面霜"],
            "Category": ["skin", "护肤"],
            "Price": [19.9, 88.0],
        }
    )
    path = tmp_path / "products.parquet"
    frame.to_parquet(path)
    report = import_file(store, "products", path)
    assert report.inserted == {"products": 2}
    got = rows(store, "SELECT sku, name_en, name_zh, category, price FROM products ORDER BY sku")
    assert [(*r[:4], float(r[4])) for r in got] == [
        ("P1", "Face cream", None, "skin", 19.9),
        ("P2", None, "面霜", "护肤", 88.0),
    ]
    dup = write(tmp_path / "dup.csv", "sku,name_en,price\nP3,a,1\nP4,b,2\nP3,c,3\n")
    before = snapshot(store)
    with pytest.raises(ImportFileError, match=r"'P3' in rows 2, 4"):
        import_file(store, "products", dup)
    assert snapshot(store) == before


def test_orders_table_derives_date_and_status(store, tmp_path):
    path = write(
        tmp_path / "orders.tsv",
        "order_id\tcustomer_id\tordered_at\ttotal\tstatus\n"
        "O1\tC1\t2024-02-03 22:15:00\t120.50\t已完成\n"
        "O2\tC2\t2024-02-04 08:00:00\t30\tcancelled\n",
    )
    import_file(store, "orders", path)
    got = rows(store, "SELECT order_id, order_date, status, total FROM orders ORDER BY order_id")
    assert [(r[0], str(r[1]), r[2], float(r[3])) for r in got] == [
        ("O1", "2024-02-03", "completed", 120.5),
        ("O2", "2024-02-04", "cancelled", 30.0),
    ]


def test_unknown_target_lists_the_targets(store, tmp_path):
    with pytest.raises(ImportFileError) as error:
        import_file(store, "invoices", SAMPLE)
    for target in IMPORT_TARGETS:
        assert target in str(error.value)


# --- reading and mapping ----------------------------------------------------


def test_read_table_file_formats_and_row_numbers(tmp_path):
    tab = write(tmp_path / "t.txt", "a\tb\n1\t2\n\n3\t4\n")
    frame = read_table_file(tab)
    assert list(frame.columns) == ["a", "b"]
    assert list(frame.index) == [2, 4]  # the blank line 3 is dropped, row numbers stay true
    bom = write(tmp_path / "bom.csv", "\ufeffname,city\nx,y\n")
    assert list(read_table_file(bom).columns) == ["name", "city"]
    latin = write(tmp_path / "latin.csv", "name;city\nCafé Crème;Zürich\nJosé;Málaga\n", "latin-1")
    assert read_table_file(latin)["city"].tolist() == ["Zürich", "Málaga"]
    gbk = write(tmp_path / "gbk.csv", "姓名,城市\n张三,广州\n", "gb18030")
    assert read_table_file(gbk)["城市"].tolist() == ["广州"]
    xlsx = tmp_path / "two.xlsx"
    with pd.ExcelWriter(xlsx) as writer:
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="first", index=False)
        pd.DataFrame({"b": [2.0, None]}).to_excel(writer, sheet_name="second", index=False)
    assert read_table_file(xlsx, sheet="second")["b"].tolist()[0] == "2"
    with pytest.raises(ImportFileError, match="first, second"):
        read_table_file(xlsx, sheet="third")


def test_propose_mapping_normalises_headers_and_honours_overrides():
    columns = [
        "Invoice No",
        "Stock-Code",
        "Description",
        "QTY",
        "Invoice_Date",
        "单价(元)",
        "Customer ID",
    ]
    mapping = propose_mapping("transactions", columns)
    assert mapping == {
        "order_id": "Invoice No",
        "customer_id": "Customer ID",
        "ordered_at": "Invoice_Date",
        "product_code": "Stock-Code",
        "product_name": "Description",
        "quantity": "QTY",
        "unit_price": "单价(元)",
    }
    overridden = propose_mapping("transactions", columns, {"product_name": "Stock-Code"})
    assert overridden["product_name"] == "Stock-Code" and "product_code" not in overridden
    assert propose_mapping(
        "reviews", ["评论ID", "会员ID", "商品编码", "评价时间", "评分", "评价内容"]
    ) == {
        "review_id": "评论ID",
        "customer_id": "会员ID",
        "sku": "商品编码",
        "created_at": "评价时间",
        "rating": "评分",
        "text": "评价内容",
    }


# --- MARKETING.md's reading rules -------------------------------------------------

SHOP_HEADER = "order,customer,date,sku,name,qty,price\n"


def test_ambiguous_dates_are_refused_until_the_order_is_stated(store, tmp_path):
    path = write(tmp_path / "d.csv", SHOP_HEADER + "A1,X,03/04/2024,P1,Mug,1,5\n")
    before = snapshot(store)
    with pytest.raises(ImportFileError) as error:
        _import_file(store, "transactions", path)
    message = str(error.value)
    assert "'date'" in message and "03 April 2024 day-first" in message
    assert "04 March 2024 month-first" in message and "nothing was imported" in message
    assert snapshot(store) == before
    _import_file(store, "transactions", path, options=ImportOptions(date_order="day-first"))
    assert [str(d) for (d,) in rows(store, "SELECT order_date FROM orders")] == ["2024-04-03"]


def test_a_day_above_12_proves_the_order_without_asking(store, tmp_path):
    path = write(
        tmp_path / "d.csv",
        SHOP_HEADER + "A1,X,03/04/2024,P1,Mug,1,5\nA2,Y,25/04/2024,P1,Mug,1,5\n",
    )
    report = _import_file(store, "transactions", path)
    assert any("day-first (the only reading that fits" in s for s in report.summary)
    dates = dict(rows(store, "SELECT order_id, order_date FROM orders"))
    assert str(dates["A1"]) == "2024-04-03" and str(dates["A2"]) == "2024-04-25"


def test_excel_serial_dates_are_converted(store, tmp_path):
    # 45356.75 = 2024-03-05 18:00 in Excel's 1900 date system; 45292 = 2024-01-01.
    path = write(
        tmp_path / "serial.csv", SHOP_HEADER + "A1,X,45356.75,P1,Mug,1,5\nA2,Y,45292,P1,Mug,2,5\n"
    )
    report = _import_file(store, "transactions", path)
    assert any("2 Excel serial dates converted" in s for s in report.summary)
    got = {k: str(v) for k, v in rows(store, "SELECT order_id, ordered_at FROM orders")}
    assert got["A1"].startswith("2024-03-05 18:00") and got["A2"].startswith("2024-01-01 00:00")


def test_offsets_are_converted_to_the_store_timezone(store, tmp_path):
    path = write(
        tmp_path / "tz.csv",
        SHOP_HEADER + "A1,X,2024-01-31T17:00:00Z,P1,Mug,1,5\nA2,Y,2024-01-31 09:00,P1,Mug,1,5\n",
    )
    options = ImportOptions(timezone="Europe/London")
    _import_file(store, "transactions", path, options=options)
    got = {k: str(v) for k, v in rows(store, "SELECT order_id, ordered_at FROM orders")}
    assert got["A1"].startswith("2024-01-31 17:00")  # London is UTC in winter
    assert got["A2"].startswith("2024-01-31 09:00")  # no offset: already local time
    with pytest.raises(ImportFileError, match="Unknown timezone"):
        ImportOptions(timezone="Mars/Olympus")


def test_all_sheets_with_one_header_are_imported(store, tmp_path):
    path = tmp_path / "book.xlsx"
    jan = pd.DataFrame(
        {"order": ["A1", "A2"], "customer": ["X", "Y"], "date": ["2024-01-03", "2024-01-09"]}
    ).assign(sku="P1", qty=1, price=5.0)
    feb = pd.DataFrame({"order": ["B1"], "customer": ["X"], "date": ["2024-02-03"]}).assign(
        sku="P2", qty=2, price=7.5
    )
    with pd.ExcelWriter(path) as book:
        jan.to_excel(book, sheet_name="January", index=False)
        feb.to_excel(book, sheet_name="February", index=False)
    report = _import_file(store, "transactions", path)
    assert report.rows_read == 3 and report.inserted["orders"] == 3
    only_feb = tmp_path / "feb.xlsx"
    shutil.copy(path, only_feb)
    _import_file(store, "transactions", only_feb, sheet="February", force=True)
    assert count(store, "orders") == 3

    odd = tmp_path / "odd.xlsx"
    with pd.ExcelWriter(odd) as book:
        jan.to_excel(book, sheet_name="January", index=False)
        pd.DataFrame({"note": ["totals"]}).to_excel(book, sheet_name="Notes", index=False)
    with pytest.raises(ImportFileError) as error:
        _import_file(store, "transactions", odd)
    assert "sheet 'Notes'" in str(error.value) and "--sheet" in str(error.value)


def test_small_latin1_file_is_not_mojibake(store, tmp_path):
    path = write(
        tmp_path / "latin.csv",
        SHOP_HEADER
        + "A1,X,2024-01-03,P1,Crème brûlée dish,1,5\nA2,Y,2024-01-04,P2,Zürich mug,1,4\n",
        encoding="latin-1",
    )
    _import_file(store, "transactions", path)
    names = sorted(n for (n,) in rows(store, "SELECT name_en FROM products"))
    assert names == ["Crème brûlée dish", "Zürich mug"]


def test_large_latin1_file_is_read_too(tmp_path):
    body = "".join(f"A{i},Café {i % 7},Straße {i % 11}\n" for i in range(60_000))
    path = write(tmp_path / "big.csv", "order,name,street\n" + body, encoding="latin-1")
    cells = read_table_file(path)
    assert len(cells) == 60_000 and cells.iloc[-1]["street"] == "Straße 5"


def test_postage_and_user_codes_are_not_merchandise(store, tmp_path):
    path = write(
        tmp_path / "post.csv",
        SHOP_HEADER
        + "A1,X,2024-01-03,P1,Mug,2,5\nA1,X,2024-01-03,POST,POSTAGE,1,18\n"
        + "A1,X,2024-01-03,GIFTWRAP,Gift wrapping,1,2\nA2,Y,2024-01-04,P9,运费,1,10\n",
    )
    options = ImportOptions(non_merchandise=("giftwrap",))
    report = _import_file(store, "transactions", path, options=options)
    assert any(s.startswith("Non-merchandise lines: 3") for s in report.summary)
    got = {
        k: (s, float(t)) for k, s, t in rows(store, "SELECT order_id, status, total FROM orders")
    }
    assert got == {"A1": ("completed", 10.0), "A2": ("completed", 0.0)}
    flags = dict(rows(store, "SELECT sku, merchandise FROM order_items"))
    assert {k: bool(v) for k, v in flags.items()} == {
        "P1": True,
        "POST": False,
        "GIFTWRAP": False,
        "P9": False,
    }


def test_duplicates_dropped_or_kept_on_request(store, tmp_path):
    line = "A1,X,2024-01-03,P1,Mug,1,5\n"
    path = write(tmp_path / "dup.csv", SHOP_HEADER + line + line + "A2,X,2024-01-04,P1,Mug,1,5\n")
    report = _import_file(store, "transactions", path)
    assert any("dropped 1 line that" in s and "row 3" in s for s in report.summary)
    assert rows(store, "SELECT total FROM orders WHERE order_id = 'A1'") == [(5,)]
    kept = _import_file(
        store, "transactions", path, force=True, options=ImportOptions(keep_duplicates=True)
    )
    assert any("kept 1 line that repeats" in s for s in kept.summary)
    assert rows(store, "SELECT total FROM orders WHERE order_id = 'A1'") == [(10,)]


def test_currency_column_sets_and_guards_the_store_currency(store, tmp_path):
    header = "order,customer,date,sku,qty,price,currency\n"
    first = write(tmp_path / "a.csv", header + "A1,X,2024-01-03,P1,1,5,gbp\n")
    report = _import_file(store, "transactions", first)
    assert "Currency: GBP (from column 'currency')." in report.summary
    other = write(tmp_path / "b.csv", header + "B1,X,2024-01-04,P1,1,5,EUR\n")
    with pytest.raises(ImportFileError, match="in EUR but the store's currency is GBP"):
        _import_file(store, "transactions", other)
    mixed = write(
        tmp_path / "c.csv", header + "C1,X,2024-01-04,P1,1,5,GBP\nC2,Y,2024-01-04,P1,1,5,USD\n"
    )
    with pytest.raises(ImportFileError, match=r"GBP in rows 2; USD in rows 3"):
        _import_file(store, "transactions", mixed)
    unmarked = write(tmp_path / "d.csv", SHOP_HEADER + "D1,X,2024-01-05,P1,Mug,1,5\n")
    _import_file(store, "transactions", unmarked)  # no currency named: the store's is kept
    assert rows(store, "SELECT DISTINCT currency FROM orders") == [("GBP",)]


def test_fixed_currency_setting_refuses_another(store, tmp_path):
    path = write(tmp_path / "usd.csv", SHOP_HEADER + "A1,X,2024-01-03,P1,Mug,1,$5.00\n")
    with pytest.raises(ImportFileError, match="COPILOT_CURRENCY"):
        _import_file(store, "transactions", path, options=ImportOptions(currency="¥"))
    assert count(store, "orders") == 0
