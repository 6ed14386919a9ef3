"""Audience export: consent, masking, raw files with an audit row, customer-match hashes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools.audience_export import export_audience
from tools.base import ToolContext, ToolError
from tools.csv_safety import safe_csv_frame, safe_csv_value
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
    assert "email" not in preview.columns  # an SMS list carries phones only
    mail = export_audience(context(duckdb_demo_engine), "Champions", "email").artifacts[0].frame
    real_mail = people.set_index("customer_id").loc[mail["customer_id"]]
    for shown, email in zip(mail["email"], real_mail["email"], strict=True):
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


def test_sms_export_carries_the_phone_only(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    ctx = context(duckdb_demo_engine, tmp_path)
    out = export_audience(ctx, "Champions", "sms", raw=True, hashed=True)
    raw = pd.read_csv(out.data["files"]["raw"], dtype=str, encoding="utf-8-sig")
    hashed = pd.read_csv(out.data["files"]["hashed"], dtype=str)
    assert "phone" in raw.columns and "email" not in raw.columns
    assert list(hashed.columns) == ["customer_id", "phone_sha256"]
    assert "email" not in out.artifacts[0].frame.columns
    emails = set(customers(duckdb_demo_engine)["email"].dropna())
    text = Path(out.data["files"]["raw"]).read_text(encoding="utf-8-sig")
    assert not any(e in text for e in emails)


def test_email_export_carries_no_phone_and_push_no_contact(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    ctx = context(duckdb_demo_engine, tmp_path)
    mail = export_audience(ctx, "Champions", "email", raw=True)
    written = pd.read_csv(mail.data["files"]["raw"], dtype=str, encoding="utf-8-sig")
    assert "email" in written.columns and "phone" not in written.columns
    push = export_audience(ctx, "Champions", "push", raw=True)
    written = pd.read_csv(push.data["files"]["raw"], dtype=str, encoding="utf-8-sig")
    assert not {"email", "phone"} & set(written.columns)
    with pytest.raises(ToolError, match="no contact field to hash"):
        export_audience(ctx, "Champions", "push", hashed=True)


def test_formula_cells_are_neutralised_in_exports(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    people = customers(duckdb_demo_engine)
    consented = people[
        people["customer_id"].isin(champions(duckdb_demo_engine))
        & people["consent_sms"].astype(bool)
    ]
    member, name = consented.iloc[0]["customer_id"], consented.iloc[0]["name"]
    update = text("UPDATE customers SET name = :n WHERE customer_id = :c")
    formula = '=HYPERLINK("http://x.example","click")'
    with duckdb_demo_engine.begin() as conn:
        conn.execute(update, {"n": formula, "c": member})
    try:  # the demo store is shared by the session: put the name back whatever happens
        out = export_audience(context(duckdb_demo_engine, tmp_path), "Champions", "sms", raw=True)
    finally:
        with duckdb_demo_engine.begin() as conn:
            conn.execute(update, {"n": name, "c": member})
    written = pd.read_csv(out.data["files"]["raw"], dtype=str, encoding="utf-8-sig")
    assert written.set_index("customer_id").loc[member, "name"] == "'" + formula


def test_safe_csv_value_follows_the_owasp_rule() -> None:
    for cell in ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx"):
        assert safe_csv_value(cell) == "'" + cell
    # A bare CR would start a new spreadsheet row: it becomes a newline (inside quotes).
    assert safe_csv_value("\rx") == "'\nx"
    for cell in ("Amy", "-12.5", "+8613800138000", 42, -3.5, None):
        assert safe_csv_value(cell) == cell
    frame = safe_csv_frame(pd.DataFrame({"a": ["=x", "ok"], "n": [-1, 2]}))
    assert list(frame["a"]) == ["'=x", "ok"] and list(frame["n"]) == [-1, 2]


# The channel of an export is where the audience goes; channels named as the identifiers
# it carries ("hashed emails") are not it; two channels and no destination: ask which.
@pytest.mark.parametrize(
    ("question", "channel"),
    [
        (
            "export hashed email addresses of Champions to upload into a WeChat ads audience",
            "social",
        ),
        ("导出At Risk的邮箱哈希，投放到社交广告", "social"),
        ("export the At Risk segment for SMS", "sms"),
        ("export Champions email and sms", None),
        ("导出Champions的邮件和短信名单", None),
        # one audience noun shared by two joined channels names both: ask which
        ("export the Loyal Customers email and SMS lists", None),
        ("把At Risk导出成短信、推送人群包", None),
        # the noun after one channel alone makes it the destination
        ("导出At Risk的推送人群包，手机号要哈希", "push"),
    ],
)
def test_export_channel_is_the_destination(question: str, channel: str | None) -> None:
    from copilot.offline.intents.audience import export_channel
    from copilot.offline.intents.base import AskBack
    from copilot.offline.question import read_question
    from copilot.offline.values import ValueIndex

    got = export_channel(read_question(question, ValueIndex()))
    if channel is None:
        assert isinstance(got, AskBack)
    else:
        assert got == channel
