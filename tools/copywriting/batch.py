"""Writing drafts to a file for review or a send tool: CSV (one row per draft) or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from tools.copywriting.pipeline import CheckedDraft


def drafts_frame(drafts: list[CheckedDraft]) -> pd.DataFrame:
    """One row per draft: segment, channel, language, variant, each part, checks."""
    rows = []
    for item in drafts:
        row: dict[str, Any] = {
            "draft_id": item.draft_id,
            "segment": item.draft.segment,
            "channel": item.draft.channel,
            "language": item.draft.language,
            "variant": item.draft.variant,
            "strategy": item.draft.strategy,
        }
        row |= dict(item.draft.parts)
        row["checks_passed"] = item.passed
        row["failed_checks"] = "; ".join(f"{c.name}: {c.detail}" for c in item.failed())
        rows.append(row)
    return pd.DataFrame(rows)


def write_drafts_file(drafts: list[CheckedDraft], path: str | Path) -> Path:
    """Write the drafts to `path`: .csv (UTF-8 with BOM, so Excel reads Chinese) or .json."""
    path = Path(path)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        drafts_frame(drafts).to_csv(path, index=False, encoding="utf-8-sig")
    elif suffix == ".json":
        payload = [item.to_json() for item in drafts]
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        raise ValueError(f"Write drafts to a .csv or .json file, not {path.name!r}.")
    return path
