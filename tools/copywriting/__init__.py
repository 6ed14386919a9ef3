"""Grounded, compliant marketing copy: briefs from the store, templates or a model, checks, repair."""

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
