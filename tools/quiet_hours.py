"""Quiet hours: when no marketing message may go out, from the playbooks and a setting.

The channel playbooks in the knowledge base say, e.g., "Never send marketing
SMS between 21:00 and 09:00" (中文: "21:00 至次日 09:00 之间绝不发送营销短信").
Those sentences are read from the shipped starter playbooks (like the brand
rules, without the vector store); the setting `COPILOT_QUIET_HOURS=21-09`
adds a window for every channel. A window [start, end) may wrap midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from knowledge.documents.brand import STARTER_DIR
from tools.base import ToolError, quoted

PLAYBOOKS = (STARTER_DIR / "channel_playbooks.en.md", STARTER_DIR / "channel_playbooks.zh.md")
_CHANNEL_WORDS = {
    "sms": "sms",
    "text": "sms",
    "短信": "sms",
    "email": "email",
    "e-mail": "email",
    "邮件": "email",
    "push": "push",
    "推送": "push",
    "social": "social",
}
_EN_RULE = re.compile(
    r"never send marketing (sms|e-?mails?|push(?: notifications?)?|texts?)\s+between\s+"
    r"(\d{1,2})(?::(\d{2}))?\s+and\s+(\d{1,2})(?::(\d{2}))?",
    re.I,
)
_ZH_RULE = re.compile(
    r"(\d{1,2})(?::(\d{2}))?\s*(?:至|到)\s*(?:次日)?\s*(\d{1,2})(?::(\d{2}))?\s*之间\s*"
    r"(?:绝不|不得|不要|禁止)发送营销(短信|邮件|推送)"
)
_SETTING = re.compile(r"^\s*(\d{1,2})(?::00)?\s*-\s*(\d{1,2})(?::00)?\s*$")


@dataclass(frozen=True)
class QuietWindow:
    """Hours [start, end) in local time when no marketing message goes out; may wrap midnight."""

    start: int
    end: int
    source: str  # "playbook" or "setting"

    def covers(self, hour: int) -> bool:
        """Whether a send at `hour` (0-23) falls in the window."""
        if self.start <= self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end

    @property
    def label(self) -> str:
        """ "21:00-09:00"."""
        return f"{self.start:02d}:00-{self.end:02d}:00"


def _channel(word: str) -> str | None:
    word = word.lower()
    for key, channel in _CHANNEL_WORDS.items():
        if word.startswith(key):
            return channel
    return None


@cache
def playbook_windows(paths: tuple[Path, ...] = PLAYBOOKS) -> dict[str, tuple[QuietWindow, ...]]:
    """Quiet windows per channel stated in the playbook files (a missing file states none).

    A window's start hour is rounded down and its end hour up, so "21:30" quiets 21:00.
    """
    found: dict[str, set[QuietWindow]] = {}
    for path in paths:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        for m in _EN_RULE.finditer(text):
            _add(found, _channel(m.group(1)), m.group(2), m.group(4), m.group(5))
        for m in _ZH_RULE.finditer(text):
            _add(found, _channel(m.group(5)), m.group(1), m.group(3), m.group(4))
    return {channel: tuple(sorted(ws, key=lambda w: w.start)) for channel, ws in found.items()}


def _add(
    found: dict[str, set[QuietWindow]],
    channel: str | None,
    start: str,
    end: str,
    end_minutes: str | None,
) -> None:
    if channel is None:
        return
    stop = (int(end) + (1 if end_minutes and int(end_minutes) else 0)) % 24
    found.setdefault(channel, set()).add(QuietWindow(int(start) % 24, stop, "playbook"))


def setting_window(value: str | None) -> QuietWindow | None:
    """The window of `COPILOT_QUIET_HOURS` ("21-09", "21:00-09:00"); None when unset.

    Raises ToolError naming the expected form when the value cannot be read.
    """
    if not value or not value.strip():
        return None
    match = _SETTING.match(value)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 24:
        raise ToolError.of(
            "COPILOT_QUIET_HOURS={value} is not a window of hours; write it as start-end, "
            "e.g. 21-09 (no marketing from 21:00 to 09:00).",
            value=quoted(value),
        )
    start, end = int(match.group(1)), int(match.group(2)) % 24
    return QuietWindow(start, end, "setting") if start != end else None


def quiet_windows(channel: str | None, setting: str | None = None) -> list[QuietWindow]:
    """The windows that apply to `channel`; with no channel, every channel's (the strictest)."""
    windows = playbook_windows()
    if channel is None:
        chosen = [w for ws in windows.values() for w in ws]
    else:
        chosen = list(windows.get(channel, ()))
    extra = setting_window(setting)
    return list(dict.fromkeys([*chosen, *([extra] if extra else [])]))


def is_quiet(hour: int, windows: list[QuietWindow]) -> bool:
    """Whether `hour` falls in any of the windows."""
    return any(w.covers(hour) for w in windows)
