"""From briefs to checked drafts: write, check, repair, re-check; store in copy_drafts.

A writer is any callable (brief, variant) -> CopyDraft: the templates by
default, a remote chat model later. Whatever writes, every draft is checked
before it is shown; a draft that still fails after repair is shown with its
failing checks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine, insert

from knowledge.store.database import new_id, utcnow
from knowledge.store.schema import CopyDraft as CopyDraftRow
from tools.copywriting.checks import check_draft
from tools.copywriting.model import CheckResult, CopyBrief, CopyDraft, draft_passes
from tools.copywriting.repair import repair_draft

Writer = Callable[[CopyBrief, int], CopyDraft]
MAX_MODEL_WORKERS = 4  # concurrent remote-model calls: bounded, to respect rate limits


@dataclass
class CheckedDraft:
    """A draft as shown: after repair, with its final check results."""

    draft: CopyDraft
    checks: list[CheckResult]
    repaired: bool = False
    draft_id: str | None = None

    @property
    def passed(self) -> bool:
        """Whether no error-level check failed."""
        return draft_passes(self.checks)

    def failed(self) -> list[CheckResult]:
        """The failed checks (errors and warnings)."""
        return [c for c in self.checks if not c.passed]

    def to_json(self) -> dict[str, Any]:
        """The draft, its checks and whether it passed, as plain data."""
        return {
            "draft_id": self.draft_id,
            "segment": self.draft.segment,
            "channel": self.draft.channel,
            "language": self.draft.language,
            "variant": self.draft.variant,
            "strategy": self.draft.strategy,
            "parts": dict(self.draft.parts),
            "passed": self.passed,
            "repaired": self.repaired,
            "checks": [asdict(c) for c in self.checks],
        }


def check_and_repair(draft: CopyDraft, brief: CopyBrief) -> CheckedDraft:
    """Check a draft; repair it once if an error-level check failed, then check again."""
    checks = check_draft(draft, brief.facts, brief.rules)
    if draft_passes(checks) and all(c.passed for c in checks):
        return CheckedDraft(draft, checks)
    fixed = repair_draft(draft, checks, brief.facts, brief.rules)
    return CheckedDraft(fixed, check_draft(fixed, brief.facts, brief.rules), repaired=True)


def write_checked(
    briefs: list[CopyBrief], writer: Writer, max_workers: int = 1
) -> list[CheckedDraft]:
    """Every variant of every brief, written and checked; briefs run concurrently when asked."""

    def one_brief(brief: CopyBrief) -> list[CheckedDraft]:
        drafts = []
        for variant in range(1, brief.variants + 1):
            draft = writer(brief, variant)
            draft.segment, draft.variant = brief.segment.name, variant
            draft.strategy = draft.strategy or brief.segment.strategy
            drafts.append(check_and_repair(draft, brief))
        return drafts

    if max_workers <= 1 or len(briefs) <= 1:
        results = [one_brief(b) for b in briefs]
    else:
        with ThreadPoolExecutor(max_workers=min(max_workers, MAX_MODEL_WORKERS)) as pool:
            results = list(pool.map(one_brief, briefs))  # map keeps the briefs' order
    return [d for drafts in results for d in drafts]


def save_drafts(engine: Engine, checked: list[CheckedDraft], briefs: list[CopyBrief]) -> None:
    """Store the drafts in copy_drafts (with brief and checks as JSON); sets their draft_id."""
    by_segment = {b.segment.name: b for b in briefs}
    now = utcnow()
    rows = []
    for item in checked:
        item.draft_id = new_id()
        brief = by_segment.get(item.draft.segment or "")
        content = {
            "parts": item.draft.parts,
            "variant": item.draft.variant,
            "strategy": item.draft.strategy,
            "passed": item.passed,
        }
        rows.append(
            {
                "draft_id": item.draft_id,
                "segment": item.draft.segment,
                "channel": item.draft.channel,
                "language": item.draft.language,
                "content": json.dumps(content, ensure_ascii=False),
                "brief": json.dumps(brief.to_json(), ensure_ascii=False) if brief else None,
                "checks": json.dumps([asdict(c) for c in item.checks], ensure_ascii=False),
                "created_at": now,
            }
        )
    if rows:
        with engine.begin() as conn:
            conn.execute(insert(CopyDraftRow.__table__), rows)
