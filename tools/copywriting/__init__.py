"""Grounded, compliant marketing copy: briefs from the store, templates or a model, checks, repair."""

from __future__ import annotations

from typing import TYPE_CHECKING

from knowledge.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from tools.copywriting.batch import write_drafts_file
    from tools.copywriting.brief import build_brief, build_briefs
    from tools.copywriting.checks import check_draft
    from tools.copywriting.generate import draft_copy, generate_copy
    from tools.copywriting.model import BrandRules, CheckResult, CopyBrief, CopyDraft, FactSheet
    from tools.copywriting.model_writer import generate_with_model, model_writer
    from tools.copywriting.pipeline import CheckedDraft, check_and_repair
    from tools.copywriting.repair import repair_draft
    from tools.copywriting.sms import sms_length
    from tools.copywriting.templates import write_with_templates

# Names load their submodule on first use (PEP 562): the offline planner reads the
# copy vocabulary (`tools.copywriting.phrases`...) and must not load the writers (issue 10).
_SUBMODULE_OF = {
    "write_drafts_file": "batch",
    "build_brief": "brief",
    "build_briefs": "brief",
    "check_draft": "checks",
    "draft_copy": "generate",
    "generate_copy": "generate",
    "BrandRules": "model",
    "CheckResult": "model",
    "CopyBrief": "model",
    "CopyDraft": "model",
    "FactSheet": "model",
    "generate_with_model": "model_writer",
    "model_writer": "model_writer",
    "CheckedDraft": "pipeline",
    "check_and_repair": "pipeline",
    "repair_draft": "repair",
    "sms_length": "sms",
    "write_with_templates": "templates",
}

__getattr__ = lazy_exports(__name__, _SUBMODULE_OF)

__all__ = [
    "BrandRules",
    "CheckResult",
    "CheckedDraft",
    "CopyBrief",
    "CopyDraft",
    "FactSheet",
    "build_brief",
    "build_briefs",
    "check_and_repair",
    "check_draft",
    "draft_copy",
    "generate_copy",
    "generate_with_model",
    "model_writer",
    "repair_draft",
    "sms_length",
    "write_drafts_file",
    "write_with_templates",
]
