"""Audience export: consent, masking, raw files with an audit row, customer-match hashes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, text

from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools.audience_export import export_audience
from tools.base import ToolContext
from tools.segments.rfm import rfm_table


def context(engine: Engine, exports: Path | None = None) -> ToolContext:
    return ToolContext(
        engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF, exports_dir=exports
    )


def customers(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text("SELECT * FROM customers"), conn)


def champions(engine: Engine) -> set[str]:
    return set(rfm_table(engine, AS_OF).query("segment == 'Champions'")["customer_id"])


def test_only_consented_customers_masked_by_default(duckdb_demo_engine: Engine) -> None:
    out = export_audience(context(duckdb_demo_engine), "Champions", "sms")
    people = customers(duckdb_demo_engine)
    members = people[people["customer_id"].isin(champions(duckdb_demo_engine))]
    consented = members[members["consent_sms"].astype(bool)]
    assert out.data["rows"] == len(consented) > 0
    assert out.data["excluded_no_consent"] == len(members) - len(consented) > 0
    assert out.data["files"] == {}
    preview = out.artifacts[0].frame
    assert set(preview["customer_id"]) == set(consented["customer_id"])
    real = consented.set_index("customer_id").loc[preview["customer_id"]]
    for shown, email in zip(preview["email"], real["email"], strict=True):
        assert shown != email and "***@" in shown and shown.split("@")[1] == email.split("@")[1]
    assert not set(preview["phone"]) & set(real["phone"])
    assert all(
        p[:3] + "****" + p[-4:] == s for p, s in zip(real["phone"], preview["phone"], strict=True)
    )


def test_raw_export_writes_a_file_and_an_audit_row(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    out = export_audience(context(duckdb_demo_engine, tmp_path), "Champions", "email", raw=True)
    path = Path(out.data["files"]["raw"])
    assert path.parent == tmp_path
    written = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    people = customers(duckdb_demo_engine)
    expected = people[
        people["customer_id"].isin(champions(duckdb_demo_engine))
        & people["consent_email"].astype(bool)
    ]
    assert sorted(written["email"]) == sorted(expected["email"])
    with duckdb_demo_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT actor, detail FROM audit_log WHERE action = 'export_raw'")
        ).all()
    details = [json.loads(d) for _, d in rows]
    assert {
        "segment": "Champions",
        "channel": "email",
        "rows": len(expected),
        "file": str(path),
    } in details


def test_hashes_equal_hashlib_on_normalised_values(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    out = export_audience(context(duckdb_demo_engine, tmp_path), "Champions", "social", hashed=True)
    assert "raw" not in out.data["files"]
    hashed = pd.read_csv(out.data["files"]["hashed"], dtype=str).set_index("customer_id")
    assert set(hashed.columns) == {"email_sha256", "phone_sha256"}
    people = customers(duckdb_demo_engine).set_index("customer_id").loc[hashed.index]
    for cid, row in people.iterrows():
        email = row["email"].strip().lower()
        phone = "86" + "".join(ch for ch in row["phone"] if ch.isdigit())
        assert hashed.loc[cid, "email_sha256"] == hashlib.sha256(email.encode()).hexdigest()
        assert hashed.loc[cid, "phone_sha256"] == hashlib.sha256(phone.encode()).hexdigest()
