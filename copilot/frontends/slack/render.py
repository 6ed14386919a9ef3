"""An Answer as Slack sees it: Block Kit sections in mrkdwn, and CSV / PNG files to upload."""

from __future__ import annotations

import logging
import re
from typing import Any

from copilot.answer import Answer
from copilot.charts import to_png
from copilot.frontends.table_csv import table_csv

logger = logging.getLogger(__name__)

SECTION_LIMIT = 3000  # Slack's limit on a section block's text
MAX_BLOCKS = 50  # Slack's limit on blocks in one message
FALLBACK_LIMIT = 3000  # the notification text; Slack cuts messages far longer than this
FENCE = "```"

_CODE_FENCE = re.compile(r"(```.*?(?:```|\Z))", re.S)
_INLINE_CODE = re.compile(r"(`[^`\n]+`)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_ITALIC = re.compile(r"(?<![*\w])\*(?![\s*])([^*\n]+?)(?<![\s*])\*(?![*\w])")
_BOLD = re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*|__(?!\s)(.+?)(?<!\s)__")
_STRIKE = re.compile(r"~~(?!\s)(.+?)(?<!\s)~~")


def escape(text: str) -> str:
    """Escape Slack's three control characters (&, <, >)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(text: str) -> str:
    """Markdown emphasis and links in one line of prose as Slack mrkdwn (code spans untouched)."""
    out: list[str] = []
    for index, part in enumerate(_INLINE_CODE.split(text)):
        if index % 2:
            out.append(escape(part))
            continue
        part = escape(part)
        part = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", part)
        # Italic first: once **bold** has become *bold* it would read as italic.
        part = _ITALIC.sub(r"_\1_", part)
        part = _BOLD.sub(lambda m: f"*{m.group(1) or m.group(2)}*", part)
        part = _STRIKE.sub(r"~\1~", part)
        out.append(part)
    return "".join(out)


def _prose(text: str) -> str:
    """Markdown outside code fences as mrkdwn: headings bold, bullets as •, tables monospaced."""
    lines: list[str] = []
    in_table = False
    for line in text.split("\n"):
        # Slack has no tables: a Markdown table stays readable in a monospace block.
        is_row = bool(_TABLE_ROW.match(line))
        if is_row != in_table:
            lines.append(FENCE)
            in_table = is_row
        if is_row:
            lines.append(escape(line.strip()))
            continue
        heading = _HEADING.match(line)
        if heading:
            title = heading.group(1).replace("**", "").replace("__", "")
            lines.append(f"*{_inline(title)}*" if title else "")
            continue
        bullet = _BULLET.match(line)
        if bullet:
            indent = " " * (len(bullet.group(1).expandtabs(4)) // 2 * 4)
            line = f"{indent}• {line[bullet.end() :]}"
        lines.append(_inline(line))
    if in_table:
        lines.append(FENCE)
    return "\n".join(lines)


def to_mrkdwn(markdown: str) -> str:
    """Convert the model's Markdown to Slack mrkdwn (code blocks kept, language tags dropped)."""
    out: list[str] = []
    for index, part in enumerate(_CODE_FENCE.split(markdown)):
        if index % 2:
            body = part[len(FENCE) :]
            body = body[: -len(FENCE)] if body.endswith(FENCE) else body
            first, newline, rest = body.partition("\n")
            if newline and re.fullmatch(r"[\w+-]*", first.strip()):
                body = rest  # ```python: Slack would print the tag as code
            out.append(f"{FENCE}{escape(body.strip(chr(10)))}{FENCE}")
        else:
            out.append(_prose(part))
    return "".join(out).strip()


def _hard_cut(line: str, budget: int) -> list[str]:
    """A line longer than the budget, cut at spaces where possible."""
    pieces: list[str] = []
    while len(line) > budget:
        cut = line.rfind(" ", budget // 2, budget)
        cut = cut if cut > 0 else budget
        pieces.append(line[:cut])
        line = line[cut:].lstrip(" ")
    return [*pieces, line]


def split_sections(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Cut mrkdwn into pieces of at most `limit` characters, between lines where possible.

    A code block cut in two is closed at the end of one piece and reopened in the next.
    """
    budget = limit - 2 * (len(FENCE) + 1)
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        for piece in _hard_cut(line, budget):
            added = len(piece) + (1 if current else 0)
            if current and size + added > budget:
                chunks.append("\n".join(current))
                current, size, added = [], 0, len(piece)
            current.append(piece)
            size += added
    if current:
        chunks.append("\n".join(current))
    fixed: list[str] = []
    open_fence = False
    for chunk in chunks:
        still_open = open_fence ^ (chunk.count(FENCE) % 2 == 1)
        chunk = (f"{FENCE}\n" if open_fence else "") + chunk + (f"\n{FENCE}" if still_open else "")
        open_fence = still_open
        if chunk.strip():
            fixed.append(chunk)
    return fixed


def context_line(answer: Answer) -> str:
    """The small print under an answer: mode, tools used, attachments, error flag."""
    parts = [f"mode: {escape(answer.mode)}"]
    names = list(dict.fromkeys(call.name for call in answer.tool_calls))
    if names:
        parts.append("tools: " + ", ".join(f"`{name}`" for name in names))
    if answer.tables or answer.charts:
        parts.append(f"attached: {len(answer.tables)} table(s), {len(answer.charts)} chart(s)")
    if answer.status != "answered":
        parts.append(f"status: {answer.status}")
    if answer.grounding:  # the grounding guard's note, as `ask --json` and the web UI show it
        parts.append(escape(answer.grounding))
    if answer.error:
        parts.append("could not finish")
    return " · ".join(parts)[:SECTION_LIMIT]


def answer_blocks(answer: Answer, store_note: str | None = None) -> list[dict[str, Any]]:
    """The answer as Block Kit: mrkdwn sections of at most 3000 characters, then the store's
    note (copilot.store_label: demo numbers, empty tables) and a context line."""
    sections = split_sections(to_mrkdwn(answer.text)) or ["_(no answer text)_"]
    confirm = confirm_blocks(answer)
    notes = [store_note] if store_note else []
    # One block for the context line, one for a truncation note, the rest for confirm
    # buttons and the store's note.
    room = MAX_BLOCKS - 2 - len(confirm) - len(notes)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": section}}
        for section in sections[:room]
    ]
    if len(sections) > room:
        note = "_The answer was cut here: it is too long for one Slack message._"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": note}})
    blocks += confirm
    for note in notes:
        text = escape(note)[:SECTION_LIMIT]
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": text}]})
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": context_line(answer)}]}
    )
    return blocks


MAX_CONFIRM_BUTTONS = 5


def confirm_blocks(answer: Answer) -> list[dict[str, Any]]:
    """A Confirm button for each pending action (copilot/confirmation.py), and how to type it."""
    actions = [a for a in answer.pending_actions if a.status == "pending"][:MAX_CONFIRM_BUTTONS]
    if not actions:
        return []
    buttons = [
        {
            "type": "button",
            "action_id": f"copilot_confirm_{index}",
            "text": {"type": "plain_text", "text": f"Confirm {a.action_id}"},
            "value": a.action_id,
            "style": "danger",
            "confirm": {
                "title": {"type": "plain_text", "text": "Run this action?"},
                "text": {"type": "plain_text", "text": a.summary[:300]},
                "confirm": {"type": "plain_text", "text": "Confirm"},
                "deny": {"type": "plain_text", "text": "Cancel"},
            },
        }
        for index, a in enumerate(actions)
    ]
    how = "Press Confirm, or reply `confirm <id>` in this thread. Nothing was done yet."
    return [
        {
            "type": "context",
            "block_id": "copilot_confirm_how",
            "elements": [{"type": "mrkdwn", "text": how}],
        },
        {"type": "actions", "block_id": "copilot_confirm", "elements": buttons},
    ]


def fallback_text(answer: Answer) -> str:
    """The plain text Slack shows in notifications and where blocks cannot be drawn."""
    text = answer.text.strip() or "(no answer text)"
    return text if len(text) <= FALLBACK_LIMIT else text[: FALLBACK_LIMIT - 1] + "…"


def _file_stem(title: str, default: str) -> str:
    stem = re.sub(r"[^\w-]+", "-", title).strip("-")[:60]
    return stem or default


def answer_files(answer: Answer, language: str = "en", currency: str = "¥") -> list[dict[str, Any]]:
    """The answer's tables as CSV files and its charts as PNG files, for `files_upload_v2`.

    The CSV is the web's download (copilot/frontends/table_csv.py): counts as whole
    numbers, headers and store labels in the question's `language`.
    """
    files: list[dict[str, Any]] = []
    for index, table in enumerate(answer.tables, start=1):
        title = table.title + (f" (first {len(table.frame)} rows)" if table.truncated else "")
        files.append(
            {
                "content": table_csv(table, language, currency),
                "filename": f"{_file_stem(table.title, f'table-{index}')}.csv",
                "title": title,
            }
        )
    for index, chart in enumerate(answer.charts, start=1):
        try:
            png = to_png(chart.spec)
        except Exception:  # a chart that cannot be drawn must not cost the answer
            logger.exception("could not draw chart %r", chart.title)
            continue
        files.append(
            {
                "content": png,
                "filename": f"{_file_stem(chart.title, f'chart-{index}')}.png",
                "title": chart.title,
                "alt_txt": chart.title[:1000],
            }
        )
    return files
