"""`export_audience`: a segment's consented customers for one channel, masked by default.

Without a channel it exports the segment's members with each channel's consent flag and
no contact data at all (`CONSENT_COLUMNS`): a list to hand to a CRM that holds the
contacts itself, which reaches nobody until a channel's consent is applied.

Only customers who consented to the channel are exported (MARKETING.md). The
preview is always masked; `raw=True` writes the personal data to a CSV file and
`hashed=True` writes SHA-256 hashes for ad-platform customer matching (Google
Customer Match / Meta custom audiences): email trimmed and lower-cased, phone
as digits with the country code (86 for Chinese mobiles). Every file written
is recorded in `audit_log`.

A list carries only the contact fields of its channel (`CONTACT_FIELDS`): a
customer who consented to SMS gave us a phone number to text, not an email
address to mail or hash. Cells are neutralised against spreadsheet formulas
(`tools.csv_safety`).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import Field
from sqlalchemy import insert, select

from knowledge.presentation import channel_name, segment_name
from knowledge.presentation.numbers import format_count
from knowledge.store.database import new_id, utcnow
from knowledge.store.schema import AuditLog, Customer
from tools.base import TableArtifact, ToolContext, ToolError, ToolOutput, table_preview, titled
from tools.csv_safety import safe_csv_frame
from tools.profiles.members import count_of, find_segment, run_query

ChannelName = Literal["email", "sms", "push", "social"]
# The contact fields a channel's list may carry; push reaches customers by their id in the app.
CONTACT_FIELDS: dict[str, tuple[str, ...]] = {
    "email": ("email",),
    "sms": ("phone",),
    "push": (),
    "social": ("email", "phone"),  # ad platforms match on either (hashed)
}
_CONTACTS = ("email", "phone")
_CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def export_audience(
    ctx: ToolContext,
    segment: Annotated[str, Field(description="Saved or RFM segment name.")],
    channel: Annotated[
        ChannelName | None,
        Field(
            description="Channel the list is for; none: member ids with each consent flag, "
            "no contact data."
        ),
    ] = None,
    raw: Annotated[
        bool, Field(description="Write the unmasked contact data to a CSV file (audited).")
    ] = False,
    hashed: Annotated[
        bool, Field(description="Write SHA-256 hashed email/phone for ad-platform matching.")
    ] = False,
) -> ToolOutput:
    """Export a segment's audience for a channel: only customers who consented to it.

    The list holds only the channel's contact fields (sms: phone; email: email;
    push: none, the customer id; social: email and phone). The preview masks
    names, emails and phones. raw=True writes the real contact data to a CSV
    file and logs it in the audit log; hashed=True writes SHA-256 hashes of the
    channel's normalised contact fields (Customer Match format). Without a channel
    the list holds every member's id, language, city and consent flags, no name or
    contact field.
    """
    ref = find_segment(ctx, segment)
    if channel is None:
        return _consent_list(ctx, ref, raw=raw, hashed=hashed)
    if hashed and not CONTACT_FIELDS[channel]:
        raise ToolError.of(
            "A {channel} list has no contact field to hash (push reaches customers by id); "
            "ask for raw=True, or hashed=True for email, sms or social.",
            channel=lambda language: (
                channel_name(channel, language) if language == "zh" else channel
            ),
        )
    consent = getattr(Customer, f"consent_{channel}")
    in_segment = Customer.customer_id.in_(ref.members)
    statement = (
        select(*[getattr(Customer, c) for c in columns_for(channel)])
        .where(in_segment, consent.is_(True))
        .order_by(Customer.customer_id)
    )
    audience = run_query(ctx, statement)
    members = count_of(ctx, select(Customer.customer_id).where(in_segment))
    if audience.empty:
        raise ToolError.of(
            "None of the {members} customers of {segment} consented to {channel}; "
            "choose another channel (ask me which channel works best for this segment to compare "
            "them).",
            members=format_count(members),
            segment=lambda language: (
                segment_name(ref.name, language) if language == "zh" else ref.name
            ),
            channel=lambda language: (
                channel_name(channel, language) if language == "zh" else channel
            ),
        )
    audience["customer_id"] = audience["customer_id"].astype(str)
    # The folder comes from the copilot's settings, never from the model's arguments.
    if (raw or hashed) and ctx.exports_dir is None:
        raise ToolError.of("File exports are not configured here (no exports folder)")
    folder = Path(ctx.exports_dir or ".")
    files: dict[str, str] = {}
    stem = f"{_slug(ref.name)}-{channel}-{utcnow():%Y%m%d-%H%M%S}"
    if raw:
        files["raw"] = str(_write(folder / f"{stem}.csv", audience))
    if hashed:
        files["hashed"] = str(_write(folder / f"{stem}-sha256.csv", hashed_frame(audience)))
    for kind, path in files.items():
        _audit(ctx, f"export_{kind}", ref.name, channel, len(audience), path)
    preview = masked_frame(audience)
    data: dict[str, Any] = {
        "segment": ref.name,
        "channel": channel,
        "members": members,
        "rows": len(audience),
        "excluded_no_consent": members - len(audience),
        "files": files,
    }
    text = (
        f"Audience {ref.name} for {channel}: {len(audience)} consented customers "
        f"({members - len(audience)} of {members} excluded: no {channel} consent).\n"
    )
    text += "".join(f"{kind} file: {path}\n" for kind, path in files.items())
    if not files:
        text += "Nothing written: ask for raw=True (contact data) or hashed=True (ad matching).\n"
    text += "masked preview:\n" + table_preview(preview, 10)
    limit = ctx.limits.row_limit
    return ToolOutput(
        for_model=text,
        artifacts=[
            TableArtifact(
                **titled(
                    "{segment} - {channel} audience (masked)",
                    segment=lambda language: segment_name(ref.name, language),
                    channel=lambda language: channel_name(channel, language),
                ),
                frame=preview.head(limit),
                truncated=len(preview) > limit,
            )
        ],
        data=data,
    )


CONSENT_COLUMNS = ("consent_email", "consent_sms", "consent_push", "consent_social")


def _consent_list(ctx: ToolContext, ref: Any, *, raw: bool, hashed: bool) -> ToolOutput:
    """A segment's members with each channel's consent flag and no contact data (no
    channel named): nothing in it reaches a customer, so no consent is applied."""
    if hashed:
        raise ToolError.of(
            "A list without a channel has no contact field to hash; name the channel "
            "(email, sms or social) to hash its identifiers."
        )
    in_segment = Customer.customer_id.in_(ref.members)
    columns = ["customer_id", "language", "city", *CONSENT_COLUMNS]
    statement = (
        select(*[getattr(Customer, c) for c in columns])
        .where(in_segment)
        .order_by(Customer.customer_id)
    )
    members = run_query(ctx, statement)
    members["customer_id"] = members["customer_id"].astype(str)
    for column in CONSENT_COLUMNS:
        members[column] = members[column].fillna(False).astype(bool)
    if raw and ctx.exports_dir is None:
        raise ToolError.of("File exports are not configured here (no exports folder)")
    files: dict[str, str] = {}
    if raw:
        stem = f"{_slug(ref.name)}-consents-{utcnow():%Y%m%d-%H%M%S}"
        files["raw"] = str(_write(Path(ctx.exports_dir or ".") / f"{stem}.csv", members))
        _audit(ctx, "export_raw", ref.name, "none", len(members), files["raw"])
    consented = {c.removeprefix("consent_"): int(members[c].sum()) for c in CONSENT_COLUMNS}
    data: dict[str, Any] = {
        "segment": ref.name,
        "channel": None,
        "members": len(members),
        "rows": len(members),
        "consented": consented,
        "files": files,
    }
    text = (
        f"Audience {ref.name}, no channel: {len(members)} members with their consent flags "
        "and no contact data (name a channel for a list with its contacts).\n"
        + "".join(f"{channel}: {count} consented\n" for channel, count in consented.items())
    )
    text += "".join(f"{kind} file: {path}\n" for kind, path in files.items())
    text += "preview:\n" + table_preview(members, 10)
    limit = ctx.limits.row_limit
    return ToolOutput(
        for_model=text,
        artifacts=[
            TableArtifact(
                **titled(
                    "{segment} - members and consents",
                    segment=lambda language: segment_name(ref.name, language),
                ),
                frame=members.head(limit),
                truncated=len(members) > limit,
            )
        ],
        data=data,
    )


def columns_for(channel: str) -> list[str]:
    """The columns of a channel's list: id, name (for merge fields), its contacts, language, city."""
    return ["customer_id", "name", *CONTACT_FIELDS[channel], "language", "city"]


def normalise_email(email: str | None) -> str | None:
    """Trimmed, lower-cased email (None when empty)."""
    value = (email or "").strip().lower()
    return value or None


def normalise_phone(phone: str | None) -> str | None:
    """Digits with the country code: Chinese mobiles (11 digits, 1[3-9]...) get 86 in front."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return None
    if digits.startswith("0086"):
        digits = digits[2:]
    if _CN_MOBILE.match(digits):
        digits = "86" + digits
    return digits


def sha256_or_none(value: str | None) -> str | None:
    """Hex SHA-256 of a normalised value."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest() if value else None


def hashed_frame(audience: pd.DataFrame) -> pd.DataFrame:
    """customer_id and `<field>_sha256` of each contact field the audience carries
    (the upload format of customer-match lists)."""
    normalise = {"email": normalise_email, "phone": normalise_phone}
    out = pd.DataFrame({"customer_id": audience["customer_id"]})
    for field in (c for c in _CONTACTS if c in audience.columns):
        out[f"{field}_sha256"] = [sha256_or_none(normalise[field](v)) for v in audience[field]]
    return out


def masked_frame(audience: pd.DataFrame) -> pd.DataFrame:
    """The audience with name, email and phone masked."""
    out = audience.copy()
    out["name"] = [mask_name(v) for v in out["name"]]
    if "email" in out.columns:
        out["email"] = [mask_email(v) for v in out["email"]]
    if "phone" in out.columns:
        out["phone"] = [mask_phone(v) for v in out["phone"]]
    return out


def mask_name(name: Any) -> str | None:
    """First character kept: 郭雨涵 -> 郭**, Amy Wilson -> A*********."""
    if not isinstance(name, str) or not name:
        return None
    return name[0] + "*" * (len(name) - 1)


def mask_email(email: Any) -> str | None:
    """First character of the local part and the domain kept: y***@example.com."""
    if not isinstance(email, str) or "@" not in email:
        return None
    local, _, domain = email.strip().partition("@")
    return f"{local[:1]}***@{domain}"


def mask_phone(phone: Any) -> str | None:
    """First three and last four digits kept: 158****0739."""
    if not isinstance(phone, str) or not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def _write(path: Path, frame: pd.DataFrame) -> Path:
    """Write the list to `path`, or to `<stem>-2.csv`, `-3`... when a file of that name
    exists (two exports of one segment within a second must not overwrite each other)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate, number = path, 2
    while True:
        try:
            # utf-8-sig so that Excel opens Chinese names correctly; a name such as
            # "=HYPERLINK(...)" must not run as a formula when the list is opened.
            with open(candidate, "x", encoding="utf-8-sig", newline="") as handle:
                safe_csv_frame(frame).to_csv(handle, index=False)
            return candidate
        except FileExistsError:
            candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
            number += 1


def _audit(ctx: ToolContext, action: str, segment: str, channel: str, rows: int, path: str) -> None:
    detail = {"segment": segment, "channel": channel, "rows": rows, "file": path}
    with ctx.state_engine.begin() as conn:
        conn.execute(
            insert(AuditLog).values(
                entry_id=new_id(),
                logged_at=utcnow(),
                actor=ctx.actor,
                action=action,
                detail=json.dumps(detail, ensure_ascii=False),
            )
        )


_SLUG_CHARS = 60


def _slug(name: str) -> str:
    """A file-name-safe part from a segment name: at most 60 word characters (180 bytes of
    UTF-8), with a short hash of the whole name when cut, so long names neither exceed the
    file system's 255-byte limit nor collide."""
    slug = re.sub(r"[^\w]+", "-", name, flags=re.UNICODE).strip("-").lower() or "segment"
    if len(slug) <= _SLUG_CHARS:
        return slug
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{slug[:_SLUG_CHARS].rstrip('-')}-{digest}"
