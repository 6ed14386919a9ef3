"""Segmentation questions: RFM segments and K-means personas, read and answered offline."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.question import Question, compiled_word, named
from copilot.offline.vocabulary import metric_synonyms, reader_words
from knowledge.presentation import format_count, format_percent, segment_name, tr
from knowledge.time_ranges.numerals import to_int
from tools.base import ToolOutput
from tools.segments.rfm import SEGMENT_RULES

_RFM = reader_words("rfm")
_SEGMENT = reader_words("segmentation")
_PERSONA = reader_words("personas")
_K_EN = re.compile(
    r"(?:\bk\s*=\s*(\d+))|(?:\b(\d+)\s+(?:personas?|clusters?|groups?|segments?|types?|kinds?))"
)
_K_ZH = re.compile(r"(\d+|[一二两三四五六七八九十]+)\s*(?:个)?\s*(?:类|种|群|组|个画像)")
# "save a segment ...", "which channel for each segment", "analyse the Need Attention
# segment" name segments without asking for the RFM segmentation itself.
_OTHER_SEGMENT_TASK = re.compile(
    r"\b(?:save|create|define|named|called)\b|channel|\breach\b|\bprofile\b|\banaly[sz]e\b"
    r"|\bdescribe\b|\bexport\b|保存|创建|新建|定义|存成|存为|名字叫|渠道|触达|分析一下|画像|导出",
    re.I,
)
# "How many Champions have we got?" is answered by the RFM segment sizes.
_RFM_SEGMENT_NAMES = {r.name: [r.name.lower(), r.name_zh] for r in SEGMENT_RULES}
_AS_OF = re.compile(r"(?:as of|as at|截至|截止|截止到)\s*(\d{4}-\d{1,2}-\d{1,2})", re.I)


def _names_a_metric(question: Question, ctx: PlannerContext) -> bool:
    """Whether the question asks for a metric ("revenue by RFM segment" is a metric question)."""
    model = ctx.semantic_model
    if model is None:
        return False
    return bool(named(question.text, metric_synonyms(model)))


def read_rfm_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """rfm_segments arguments for an RFM or plain "segment my customers" question, else None."""
    counts_a_segment = bool(
        named(question.raw.lower(), _RFM_SEGMENT_NAMES)
        and question.has(r"how many", "多少", "几个", "几位")
    )
    if not (question.has(*_RFM) or question.has(*_SEGMENT) or counts_a_segment) or _names_a_metric(
        question, ctx
    ):
        return None
    if question.has(*_PERSONA) and not question.has(*_RFM):
        return None
    if _OTHER_SEGMENT_TASK.search(question.raw):
        return None  # saving, profiling or picking a channel for a segment is another tool
    args: dict[str, Any] = {}
    match = _AS_OF.search(question.raw)
    if match:
        year, month, day = (int(x) for x in match.group(1).split("-"))
        args["as_of"] = f"{year:04d}-{month:02d}-{day:02d}"
    return args


def read_persona_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """customer_personas arguments for a clustering / "what kinds of customers" question."""
    if not question.has(*_PERSONA) or question.has(*_RFM):
        return None
    # "what kinds of shoppers": the persona phrase itself may hold a metric word (shoppers).
    rest = question.text
    for pattern in _PERSONA:
        rest = compiled_word(pattern).sub(" ", rest)
    if _names_a_metric(Question(question.raw, question.language, rest), ctx):
        return None
    k = _wanted_k(question.raw.lower())
    return {"k": k} if k is not None else {}


def _wanted_k(text: str) -> int | None:
    match = _K_EN.search(text)
    if match:
        value = int(match.group(1) or match.group(2))
        return value if 2 <= value <= 15 else None
    match = _K_ZH.search(text)
    if match:
        raw = match.group(1)
        value = to_int(raw)
        return value if 2 <= value <= 15 else None
    return None


def write_rfm_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """Segment sizes, the biggest and most valuable segments, and what to do with them."""
    data = output.data
    segments = {s["name"]: s for s in data["segments"]}
    biggest, valuable = segments[data["biggest"]], segments[data["most_valuable"]]
    focus = [biggest, valuable] + [
        segments[n] for n in ("At Risk", "Can't Lose Them") if n in segments
    ]
    focus = list({s["name"]: s for s in focus}.values())
    name = lambda s: segment_name(s["name"], language)  # noqa: E731
    count = lambda n: format_count(n, language)  # noqa: E731
    share = lambda x: format_percent(x, language)  # noqa: E731
    sizes = tr(language, "; ").join(
        tr(
            language,
            "{segment} {customers} ({share})",
            segment=name(s),
            customers=count(s["customers"]),
            share=share(s["customer_share"]),
        )
        for s in data["segments"]
    )
    lines = [
        tr(
            language,
            "RFM segmentation as of {date}: {buyers} buyers in {count} segments (table below): "
            "{sizes}.",
            date=data["as_of"],
            buyers=count(data["buyers"]),
            count=len(data["segments"]),
            sizes=sizes,
        ),
        tr(
            language,
            "- Biggest: {segment} with {customers} buyers ({share}).",
            segment=name(biggest),
            customers=count(biggest["customers"]),
            share=share(biggest["customer_share"]),
        ),
        tr(
            language,
            "- Most valuable: {segment}: {share} of buyers bring {revenue_share} of revenue.",
            segment=name(valuable),
            share=share(valuable["customer_share"]),
            revenue_share=share(valuable["revenue_share"]),
        ),
        tr(language, "What to do:"),
        *[
            tr(
                language,
                "- {segment} ({customers}): {action}",
                segment=name(s),
                customers=count(s["customers"]),
                action=s["action_zh"] if language == "zh" else s["action"],
            )
            for s in focus
        ],
    ]
    if data.get("approximate"):
        lines.append(
            tr(
                language,
                "Scores are approximate: this engine scores against approximate quantile "
                "cut-offs instead of ranking all buyers at once; equal values still get equal "
                "scores.",
            )
        )
    if data.get("saved"):
        lines.append(
            "\n"
            + tr(
                language,
                "The segments are saved: target, export or write copy for one by its name "
                "(e.g. '{example}').",
                example=segment_name("Champions", language),
            )
        )
    return "\n".join(lines)


def write_persona_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """Each persona's name, size, value and description, and how k was chosen."""
    data = output.data
    if "refusal" in data:  # the tool found nothing to cluster and says why, in both languages
        return data["refusal_zh"] if language == "zh" else data["refusal"]
    note = data.get("note_zh" if language == "zh" else "note")  # fewer personas than asked
    scores = data["silhouette"]
    best = scores.get(data["k"])
    if language == "zh":
        how = (
            f"按轮廓系数在 k={min(scores)}–{max(scores)} 中选出 k={data['k']}（得分 {best:.3f}）"
            if data["k_chosen_by_silhouette"]
            else f"{'' if note else '按你的要求'}分为 {data['k']} 类（轮廓系数 {best:.3f}）"
        )
        lines = [f"我用 K-means 把 {data['buyers']:,} 位购买客户分成了 {data['k']} 类画像，{how}："]
        lines += [note] if note else []
        for i, p in enumerate(data["personas"], 1):
            lines.append(
                f"{i}. **{p['name_zh']}**"
                # The saved segment's name, to target it by; unsaved, the name is not needed.
                + (f"（分群名：{p['name']}）" if data.get("saved") else "")
                + f"：{p['customers']:,} 人"
                f"（{p['share']:.1%}），贡献 {p['revenue_share']:.1%} 的销售额；{p['description_zh']}。"
            )
        lines.append("\n下一步：可以为某个画像选择渠道和发送时间，或生成针对它的营销文案。")
        if data.get("saved"):
            lines.append("这些画像已保存为分群，可按名称圈选。")
        return "\n".join(lines)
    how = (
        f"k={data['k']} chosen by silhouette among k={min(scores)}–{max(scores)} (score {best:.3f})"
        if data["k_chosen_by_silhouette"]
        else f"k={data['k']}{'' if note else ' as asked'} (silhouette {best:.3f})"
    )
    lines = [
        f"I clustered {data['buyers']:,} buyers into {data['k']} personas with K-means ({how}):"
    ]
    lines += [note] if note else []
    for i, p in enumerate(data["personas"], 1):
        lines.append(
            f"{i}. **{p['name']}**: {p['customers']:,} buyers ({p['share']:.1%}), "
            f"{p['revenue_share']:.1%} of revenue; {p['description']}."
        )
    lines.append("\nNext: pick a channel and send time for one persona, or draft copy for it.")
    if data.get("saved"):
        lines.append("The personas are saved as segments you can target by name.")
    return "\n".join(lines)


RFM_INTENT = Intent(tool="rfm_segments", read=read_rfm_question, write=write_rfm_answer)
PERSONAS_INTENT = Intent(
    tool="customer_personas", read=read_persona_question, write=write_persona_answer
)
