"""SMS length: GSM-7 septets or UCS-2 units, and how many segments a text takes.

A text fits GSM-7 when every character is in the GSM 03.38 basic set or its
extension table (extension characters such as `{` `}` `€` cost two septets).
Anything else (Chinese, emoji) makes the whole message UCS-2, counted in UTF-16
code units. One segment holds 160 septets or 70 UCS-2 units; a multipart
message loses room to its header: 153 septets or 67 units per segment.

The `{link}` merge field is filled with a short link at send time; it is
counted as `LINK_ALLOWANCE` GSM-7 characters (a typical shortener link such as
"https://lmr.cn/ab12cd" is 21), so a text that fits here still fits once sent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# GSM 03.38 basic character set (ESC, 0x1B, is left out: it introduces extensions).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
SINGLE_LIMIT = {"gsm7": 160, "ucs2": 70}
MULTIPART_LIMIT = {"gsm7": 153, "ucs2": 67}
LINK_FIELD = "{link}"
LINK_ALLOWANCE = 22  # characters a short link takes once the send tool fills `{link}`


@dataclass(frozen=True)
class SmsLength:
    """An SMS text's encoding, length in its units, and number of segments."""

    encoding: str  # "gsm7" or "ucs2"
    units: int
    segments: int

    def room(self, segments: int = 1) -> int:
        """How many units fit in `segments` segments of this encoding."""
        if segments <= 1:
            return SINGLE_LIMIT[self.encoding]
        return MULTIPART_LIMIT[self.encoding] * segments


def is_gsm7(text: str) -> bool:
    """Whether the text can be sent in the GSM-7 alphabet."""
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def sms_length(text: str) -> SmsLength:
    """Encoding, units and segments of an SMS text (`{link}` counted as the short link it becomes)."""
    text = text.replace(LINK_FIELD, "x" * LINK_ALLOWANCE)
    if is_gsm7(text):
        encoding = "gsm7"
        units = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
    else:
        encoding = "ucs2"
        units = len(text.encode("utf-16-le")) // 2
    if units <= SINGLE_LIMIT[encoding]:
        segments = 1 if units else 0
    else:
        segments = math.ceil(units / MULTIPART_LIMIT[encoding])
    return SmsLength(encoding, units, segments)
