"""The name a "save a segment" request gives: "called X", "name: X", "名为X", "叫X", "保存为X".

The name says what the segment is called, not who is in it: the reader takes it out of
the question before reading the definition, so "called Shanghai fans: women who bought
makeup" is not a Shanghai rule, and the whole question never becomes the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.lazy_regex import lazy_compile

# Where a name ends: punctuation, or a clause that starts the definition ("called VIP
# women who bought makeup": the name is "VIP women").
_END_EN = r"(?=\s*(?:[,.;:：，。；!?？！()\[\]]|$|\s(?:who|that|which|with|for|of|from|in|consisting|containing|made up|including|where|whose)\b))"
_NAME_EN = r"[\"“'‘]?([A-Za-z0-9\u4e00-\u9fff][^\"”'’,.;:：，。；!?？]{0,58}?)[\"”'’]?"
_NAMED_EN = lazy_compile(
    r"\b(?:named|called|call it|name it|titled|labell?ed|with the name|under the name)\s+"
    + _NAME_EN
    + _END_EN
    + r"|\bname(?:\s+it)?\s*[:：=]\s*"
    + _NAME_EN
    + _END_EN
    # "name it app_lapsers", "label it VIP": the name right after "name it" without a colon.
    + r"|\b(?:name|label|title)\s+(?:it|them|this|the (?:segment|audience|group|list))\s+(?!as\b)"
    + _NAME_EN
    + _END_EN,
    re.I,
)
# "save them as Big spenders": "as" names only right after a save verb and its object.
_SAVE_AS_EN = lazy_compile(
    r"\b(?:save|store|keep)\s+(?:(?:it|them|this|that|these|those)\s+)?as\s+(?!a\b|an\b|the\b|new\b)"
    + _NAME_EN
    + r"(?:\s+(?:segment|audience|group))?"
    + _END_EN,
    re.I,
)
# "save a segment Big spenders: customers who ..." / "create audience VIP: ...": the name
# stands between the segment word and a colon.
_BEFORE_COLON_EN = lazy_compile(
    r"\b(?:segment|audience|group|list)\s+(?!called\b|named\b|of\b|for\b|with\b|that\b|who\b)"
    r"[\"“'‘]?([A-Za-z0-9][^\"”'’,.;:：，。]{0,40}?)[\"”'’]?\s*[:：]",
    re.I,
)
_STOP_ZH = r"[，。；：:、,;!?？！\s\"”」》]"
_NAMED_ZH = lazy_compile(
    # (Bare "命名 X", "名称：X", "取名叫X" too: the name after the naming word.)
    r"(?:名为|命名为|命名成|命名|名字叫做?|名字是|名字|名称为|名称是|名称|叫做|(?:取|起)(?:个)?名(?:为|叫做?|字叫)?"
    r"|叫|保存为|存为|存成|保存成)"
    r"\s*[:：=]?\s*[\"“「《]?(?!(?:一个|个)?(?:分群|人群包?|客群|受众)(?:" + _STOP_ZH + r"|$))"
    r"([^，。；：:、,;!?？！\s\"”」》]{1,30}?)[\"”」》]?"
    r"(?:(?:这个|的)?(?:分群|人群包?|客群|受众))?(?=" + _STOP_ZH + r"|$)"
)
# "…的客户，存为分群 young_push": the name right after the segment word that follows 存为
# (after a colon comes the definition: "存为分群：流失概率高于60%的…").
_SAVE_AS_ZH = lazy_compile(
    r"(?:保存为|存为|存成|保存成)(?:一个|个)?(?:分群|人群包?|客群|受众)\s*[\"“「《]?"
    r"([^，。；：:、,;!?？！\s\"”」》]{1,30}?)[\"”」》]?(?=" + _STOP_ZH + r"|$)"
)
# "新建分群 北京电子控：在北京买过电子产品的客户": the name before a colon.
_BEFORE_COLON_ZH = lazy_compile(
    r"(?:分群|人群包?|客群|受众)\s*[\"“「《]?([^，。；：:、,;\s\"”」》]{1,30}?)[\"”」》]?\s*[:：]"
)
# Words that cannot be a name on their own ("save it as a segment").
_NOT_A_NAME = lazy_compile(
    r"^(?:a|an|the|new|my|our|this|that|it|them|segment|audience|group|list)(?:\s+(?:new\s+)?"
    r"(?:segment|audience|group|list))?$|^(?:一个|个)?(?:新的?)?(?:分群|人群包?|客群|受众)$",
    re.I,
)


@dataclass(frozen=True)
class SegmentName:
    """A name found in a question, and the span of the raw text that gave it (the naming
    phrase with its name), which the definition reader must not read."""

    name: str
    span: tuple[int, int]


def segment_name_in(raw: str) -> SegmentName | None:
    """The name a segment request gives, or None when it gives none.

    Forms (English and Chinese): quoted names are left to the caller; "named / called /
    titled X", "name: X", "segment X: <definition>", "名为 / 叫 / 命名为 / 保存为 X",
    "分群X：<定义>". The name ends at punctuation or at the clause that starts the
    definition ("who", "that", "with", ...).
    """
    for pattern in (
        _NAMED_EN,
        _SAVE_AS_ZH,
        _NAMED_ZH,
        _BEFORE_COLON_EN,
        _BEFORE_COLON_ZH,
        _SAVE_AS_EN,
    ):
        for match in pattern.finditer(raw):
            group = next((i for i in range(1, (pattern.groups or 0) + 1) if match.group(i)), None)
            if group is None:
                continue
            name = match.group(group).strip(" \"“”'‘’「」《》")
            if len(name) < 1 or _NOT_A_NAME.match(name):
                continue
            return SegmentName(name, (match.start(), match.end()))
    return None


def without_span(raw: str, span: tuple[int, int]) -> str:
    """The raw text with a span blanked (same length, so other spans stay valid)."""
    start, end = span
    return raw[:start] + " " * (end - start) + raw[end:]
