"""Printing an EvalReport: markdown for people, a dict for `--json`."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from copilot.evaluation.runner import EvalReport
from knowledge.presentation import format_number, format_percent


def _pct(pair: tuple[int, int]) -> str:
    correct, total = pair
    return f"{correct}/{total} ({format_percent(correct / total)})" if total else "0/0 (n/a)"


def report_summary(report: EvalReport) -> dict[str, Any]:
    """The headline figures: accuracy per kind, tool and language; refusals; latency."""
    followups = report.of_kind("followup")
    return {
        "mode": report.mode,
        "questions": len(report.results),
        "single_turn": report.accuracy(report.of_kind("single")),
        "refusals": report.accuracy(report.of_kind("refusal")),
        "followups": report.accuracy(followups),
        "followups_needing_context": sum(r.needs_context for r in followups),
        "per_tool": report.by(lambda r: r.expect_tool, "single"),
        "per_language": report.by(lambda r: r.language, "single"),
        "followups_per_language": report.by(lambda r: r.language, "followup"),
        "refusals_per_language": report.by(lambda r: r.language, "refusal"),
        "latency_s": report.latency(),
        **report.extra,
    }


def report_json(report: EvalReport) -> str:
    """Summary and every result as one JSON document."""
    payload = {"summary": report_summary(report), "results": [asdict(r) for r in report.results]}
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def format_report(report: EvalReport) -> str:
    """The report as markdown: figures first, then every failure with its reason."""
    s = report_summary(report)
    lat = s["latency_s"]
    lines = [
        "# Evaluation report",
        "",
        f"Mode: `{s['mode']}`; {s['questions']} questions; store `{report.store}`.",
        "",
        "| what | correct |",
        "|---|---|",
        f"| in-scope single-turn | {_pct(s['single_turn'])} |",
        f"| out-of-scope answered honestly | {_pct(s['refusals'])} |",
        f"| follow-ups (multi-turn) | {_pct(s['followups'])} |",
        "",
        f"Latency per question: p50 {format_number(lat['p50'])} s, p95 {format_number(lat['p95'])} s, "
        f"max {format_number(lat['max'])} s.",
        "",
        "## In-scope single-turn, per tool",
        "",
        "| tool | correct |",
        "|---|---|",
        *[f"| {tool} | {_pct(pair)} |" for tool, pair in s["per_tool"].items()],
        "",
        "## Per language",
        "",
        "| language | single-turn | follow-ups | refusals |",
        "|---|---|---|---|",
    ]
    for language in ("en", "zh"):
        lines.append(
            f"| {language} | {_pct(s['per_language'].get(language, (0, 0)))} "
            f"| {_pct(s['followups_per_language'].get(language, (0, 0)))} "
            f"| {_pct(s['refusals_per_language'].get(language, (0, 0)))} |"
        )
    lines += ["", f"## Failures ({len(report.failures)})", ""]
    for r in report.failures:
        called = ", ".join(
            f"{c['name']}({json.dumps(c['args'], ensure_ascii=False, default=str)})"
            for c in r.called
        )
        flag = " [needs context]" if r.needs_context else ""
        lines.append(
            f"- `{r.id}` ({r.kind}, {r.language}){flag}: {r.reason}. Called: {called or 'nothing'}."
        )
    return "\n".join(lines) + "\n"
