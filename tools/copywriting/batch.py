"""Writing drafts to a file for review or a send tool: CSV (one row per draft), JSON, or a
Markdown review sheet (per segment, every draft with its check verdicts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from tools.copywriting.pipeline import CheckedDraft
from tools.csv_safety import safe_csv_frame


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
    """Write the drafts to `path`: .csv (UTF-8 with BOM, so Excel reads Chinese), .json or .md.

    CSV cells are neutralised against spreadsheet formulas (`tools.csv_safety`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".md":
        path.write_text(review_markdown(drafts), encoding="utf-8")
    elif suffix == ".csv":
        safe_csv_frame(drafts_frame(drafts)).to_csv(path, index=False, encoding="utf-8-sig")
    elif suffix == ".json":
        payload = [item.to_json() for item in drafts]
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        raise ValueError(f"Write drafts to a .csv, .json or .md file, not {path.name!r}.")
    return path


def review_markdown(drafts: list[CheckedDraft], title: str = "Copy drafts for review") -> str:
    """A review sheet: per segment and channel/language, each draft's parts and its verdicts.

    Every check is listed by name with pass/FAIL, so a reviewer sees what was
    checked (the brief's elements, call to action, category fit, length ...)
    and never a bare "all passed".
    """
    passed = sum(d.passed for d in drafts)
    lines = [f"# {title}", "", f"{len(drafts)} drafts; {passed} pass every error-level check.", ""]
    by_segment: dict[str, list[CheckedDraft]] = {}
    for item in drafts:
        by_segment.setdefault(item.draft.segment or "", []).append(item)
    for segment, items in by_segment.items():
        strategy = items[0].draft.strategy or ""
        lines += [f"## {segment} (strategy: {strategy})", ""]
        for item in items:
            d = item.draft
            verdict = "pass" if item.passed else "FAIL"
            repaired = ", repaired" if item.repaired else ""
            lines.append(
                f"### {d.channel} / {d.language} / variant {d.variant}: {verdict}{repaired}"
            )
            lines.append("")
            for part, text in d.parts.items():
                quoted = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
                lines += [f"**{part}**", "", quoted, ""]
            checks = ", ".join(
                f"{c.name} {'ok' if c.passed else 'FAIL (' + c.detail + ')'}" for c in item.checks
            )
            lines += [f"Checks: {checks}", ""]
    return "\n".join(lines).rstrip() + "\n"
