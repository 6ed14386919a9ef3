"""Segmentation questions: RFM segments and K-means personas, read and answered offline."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from copilot.offline.clock import planner_today
from copilot.offline.intents.audience import (
    asks_to_save,
    asks_traits_spread,
    names_the_segment,
    read_send_time,
    segment_in,
    with_people_nouns,
)
from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.intents.segment_admin import asks_for_saved_segments
from copilot.offline.question import Question, compiled_word, named, named_by
from copilot.offline.vocabulary import (
    lowered_metric_words,
    metric_synonyms,
    reader_pattern,
    reader_words,
    unsupported_in,
    without_contrasted,
    without_negated,
)
from knowledge.lazy_regex import lazy_compile
from knowledge.presentation import (
    N_,
    format_count,
    format_number,
    format_percent,
    ntr,
    segment_name,
    tr,
)
from knowledge.semantic import SemanticModel
from knowledge.time_ranges import find_period
from knowledge.time_ranges.numerals import to_int
from tools.base import ToolOutput
from tools.segments.rfm import SEGMENT_RULES

_RFM = reader_words("rfm")
_SEGMENT = reader_words("segmentation")
_PERSONA = reader_words("personas")
_K_EN = lazy_compile(
    r"(?:\bk\s*=\s*(\d+))|(?:\b(\d+)\s+(?:[a-z-]+\s+)?(?:personas?|clusters?|groups?|segments?|types?|kinds?))"
)
_K_ZH = lazy_compile(r"(\d+|[一二两三四五六七八九十]+)\s*(?:个)?\s*(?:类|种|群|组|个画像)")
# "save a segment ...", "which channel for each segment", "analyse the Need Attention
# segment" name segments without asking for the RFM segmentation itself.
_OTHER_SEGMENT_TASK = lazy_compile(
    r"\b(?:save|create|define|named|called)\b|channel|\breach\b|\bprofile\b|\banaly[sz]e\b"
    r"|\bdescribe\b|\bexport\b|\btell\s+me\s+(?:more\s+)?about\s+(?:the|our|those|these)\b"
    r"|保存|创建|新建|定义|存成|存为|名字叫|渠道|触达|分析一下|画像|导出|介绍一下|讲讲这",
    re.I,
)
# "How many Champions have we got?" is answered by the RFM segment sizes. Only the
# segments' own names: "新客" alone is the new-customers metric, not the segment.
_RFM_SEGMENT_NAMES = {
    name: with_people_nouns(words)
    for name, words in (
        {r.name: [r.name.lower(), r.name_zh] for r in SEGMENT_RULES}
        | {
            "Champions": ["champions", "冠军客户", "重要价值客户"],
            "At Risk": ["at risk", "at-risk", "流失风险"],
        }
    ).items()
}
_AS_OF_WORD = lazy_compile(r"\bas (?:of|at)\b|截至|截止到?", re.I)
_AS_OF = lazy_compile(r"(?:as of|as at|截至|截止|截止到)\s*(\d{4}-\d{1,2}-\d{1,2})", re.I)


# The metrics the RFM table itself gives per segment (its customers and revenue share):
# named beside a distribution over the segments ("counts + revenue share") they ask for it.
_RFM_TABLE_METRICS = frozenset({"buyers", "revenue"})


# The everyday segment names (intents/audience.py SEGMENT_SYNONYMS) spelt like a metric's
# word ("新客", "new customer"): the segment only right before a layer word ("新客层").
_LAYER_ONLY_NAMES = {"New Customers": ["新客", "新客户", "new customers", "new customer"]}


def _metrics_named(question: Question, ctx: PlannerContext) -> list[str]:
    """The metrics the question names ("revenue by RFM segment" is a metric question)."""
    model = ctx.semantic_model
    if model is None:
        return []
    return named(question.text, metric_synonyms(model))


def _names_a_metric(question: Question, ctx: PlannerContext) -> bool:
    """Whether the question asks for a metric ("revenue by RFM segment" is a metric question)."""
    return bool(_metrics_named(question, ctx))


def _without_rfm_set_aside(question: Question) -> Question:
    """The question without a clause that sets RFM aside ("group them by behaviour rather
    than by RFM", "不用RFM，按行为聚类"): RFM named only to be declined is no RFM cue."""
    rest = replace(question, text=without_negated(without_contrasted(question.text), _RFM))
    return rest if question.has(*_RFM) and not rest.has(*_RFM) else question


def read_rfm_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """rfm_segments arguments for an RFM or plain "segment my customers" question, else None."""
    if _without_rfm_set_aside(question) is not question:
        return None  # RFM named only to be set aside
    if question.has(*_PERSONA) and reader_pattern("rfm_as_input").search(question.text):
        return None  # "用RFM+品类偏好做聚类": RFM one input of a clustering (personas)
    from copilot.offline.intents.audience import asks_for_export

    if asks_for_export(question) and rfm_segment_names(question, ctx.semantic_model):
        return None  # "rfm里 new customers 那层 导个push人群": that layer's export, no RFM table
    if ctx.semantic_model is not None and unsupported_in(question.text, ctx.semantic_model):
        # "a loyalty index for each RFM segment": a measure the store lacks, per segment, is that
        # measure asked for (the planner says it has none), not the segmentation.
        return None
    segment_names = rfm_segment_names(question, ctx.semantic_model)
    if len(set(segment_names)) == 1:
        from copilot.offline.intents.churn import without_layer_nickname

        # "流失预警那层（At Risk）": the churn word is the named layer's nickname, no metric.
        question = replace(question, text=without_layer_nickname(question.text))
    names_rfm = question.has(*_RFM)  # read before its words are blanked below
    counts_a_segment = bool(segment_names and question.has(*reader_words("rfm_segment_counts")))
    # "split buyers into champions / at risk / hibernating": several RFM segment names
    # describe the segmentation itself, not a filter on one of them.
    describes_rfm = len(segment_names) >= 2 and question.has(*reader_words("rfm_split"))
    counts_a_segment = (
        counts_a_segment
        or describes_rfm
        or asks_segment_share_of_buyers(question, ctx.semantic_model)
    )
    # "各RFM客群的人数和收入占比": the sizes and revenue shares are the RFM table itself; a
    # segment's size with its average spend or orders ("几个人 平均买过几单") is its columns.
    sizes = (question.has(*_RFM) and question.has(*reader_words("rfm_sizes"))) or (
        counts_a_segment
        and question.time_range is None
        and question.has(*reader_words("rfm_shares"), *reader_words("rfm_averages"))
    )
    # "how are buyers spread over the RFM segments, counts + revenue share": the same table.
    spread = question.has(*_RFM) and question.has(*reader_words("rfm_distribution"))
    # "run RFM and show each tier's slice of revenue": the run asked for, and the shares are
    # columns of its table (a breakdown of a saved run would not run it).
    run_with_shares = (
        names_rfm
        and question.time_range is None
        and question.has(*reader_words("rfm_run"))
        and question.has(*reader_words("rfm_shares"))
    )
    # "L90D buyers split by RFM segment": a period with RFM as a breakdown is a metric of
    # that period by the saved run's segments, its people noun the buyers metric.
    period_by_rfm = question.time_range is not None and bool(
        reader_pattern("rfm_breakdown").search(question.raw)
    )
    if describes_rfm or (
        not period_by_rfm
        and question.has(*_RFM)
        and question.has(*reader_words("rfm_split"), *reader_words("rfm_save"))
    ):
        # "split buyers into ...", "break our buyers down by recency, frequency and
        # monetary value", "segment shoppers on RFM and save them": who is split, and the
        # segments' names ("流失风险"), are not a metric asked for.
        question = _without(_without_population(question), _RFM)  # RFM's own words too
        text = question.text
        for word in sorted((w for ws in _RFM_SEGMENT_NAMES.values() for w in ws), key=len)[::-1]:
            text = text.replace(word.lower(), " ")
        question = replace(question, text=text)
    # The RFM words in everyday language ("how much they spent", "花了多少钱") name the
    # segmentation's inputs, not a metric asked for.
    # With RFM named, a bare people noun ("run RFM on our shoppers", "把买家按R/F/M分层") is
    # who is segmented, not the buyers metric; "revenue of shoppers by RFM segment" keeps
    # its revenue. With a period named ("buyers by RFM segment last month") or RFM as a
    # breakdown ("number of buyers per RFM segment") the metric reading stays: an RFM run has
    # no period to honour, and a breakdown reads the saved run.
    rest = _without(question, _RFM)
    population = (
        names_rfm
        and question.time_range is None
        and not reader_pattern("rfm_breakdown").search(question.raw)
    )
    if counts_a_segment and reader_pattern("figure_set_aside").search(rest.text):
        # "New Customers有几个人（不是这个月的新客数）": the metric named only to be set aside
        rest = replace(rest, text=reader_pattern("figure_set_aside").sub(" ", rest.text))
        text = rest.text
        for name in segment_names:  # "New Customers" named as the segment, not the metric
            for word in sorted(_RFM_SEGMENT_NAMES.get(name, ()), key=len)[::-1]:
                text = text.replace(word.lower(), " ")
        rest = replace(rest, text=text)
    rest = replace(rest, text=_without_layer_named(rest.text, segment_names))
    metrics = _metrics_named(_without_population(rest) if population else rest, ctx)
    # "RFM split - which segment has the most revenue", "RFM拆分，哪层销售额最多": the split
    # asked for, its revenue (or buyers) a column of its table, no period nor breakdown.
    split_asked = (
        names_rfm
        and question.time_range is None
        and question.has(*reader_words("rfm_split"))
        and not reader_pattern("rfm_breakdown").search(question.raw)
    )
    # "which RFM segment holds the most revenue", "RFM里哪层销售额最高": the segments ranked by
    # their spend over all time are the RFM table's monetary column, no period to honour.
    ranked_over_all_time = (
        names_rfm
        and question.time_range is None
        and any(re.search(p, question.raw.lower()) for p in reader_words("ranking_asked"))
        and any(re.search(p, question.raw.lower()) for p in reader_words("member_asked"))
    )
    table = spread or run_with_shares or split_asked or ranked_over_all_time
    if not (names_rfm or question.has(*_SEGMENT) or counts_a_segment) or (
        metrics and not (sizes or (table and set(metrics) <= _RFM_TABLE_METRICS))
    ):
        return None
    if question.has(*_PERSONA) and not names_rfm:
        return None
    saves = names_rfm and question.has(*reader_words("rfm_save"))
    if (_OTHER_SEGMENT_TASK.search(question.raw) or asks_to_save(question)) and not saves:
        return None  # saving, profiling or picking a channel for a segment is another tool
    if len(segment_names) == 1 and asks_traits_spread(question):
        # "Need Attention 这一层的客户，性别年龄城市分布": one segment's members over their
        # traits is its profile, even with the segmentation's word ("分层") beside its name.
        return None
    if asks_for_saved_segments(question) or read_send_time(question, ctx) is not None:
        return None  # listing saved segments, or a send time per segment: other tools
    if not names_rfm and not segment_names and segment_in(question):
        # "re-run the 'Chengdu VIPs' segment", "pull the Shanghai fans segment": a segment
        # of its own name (quoted, or saved under it) is that segment, never the RFM run.
        return None
    args: dict[str, Any] = {}
    match = _AS_OF.search(question.raw)
    if match:
        year, month, day = (int(x) for x in match.group(1).split("-"))
        args["as_of"] = f"{year:04d}-{month:02d}-{day:02d}"
    else:
        day = _as_of_day(question.raw)
        if day is not None:
            args["as_of"] = day  # "as of 30 June 2026", "截至2026年6月30日"
    if saves:
        args["save"] = True  # "run RFM and save the segments": asked for, so said
    return args


def _as_of_day(raw: str) -> str | None:
    """The day an as-of word names in words ("as of 30 June 2026", "截至2026年6月30日"), as
    YYYY-MM-DD, or None when no as-of word stands right before a single day."""
    for match in _AS_OF_WORD.finditer(raw):
        period = find_period(raw[match.end() :], planner_today())
        if (
            period is not None
            and period.range.start == period.range.end
            and not raw[match.end() : match.end() + period.span[0]].strip(" ,:：")
        ):
            if period.range.start >= planner_today():
                return None  # "as of today": the current run, dated by the data, not the clock
            return period.range.start.isoformat()
    return None


def _without_layer_named(
    text: str, segment_names: list[str], names: dict[str, list[str]] | None = None
) -> str:
    """The text without each named segment's word written right before a layer word ("新客层",
    "新客群", "new customers tier": lexicon segment_layer_after): the segment's name, not the
    metric spelt the same ("新客" = new_customers)."""
    for name in dict.fromkeys(segment_names):
        words = [*_RFM_SEGMENT_NAMES.get(name, ()), *_LAYER_ONLY_NAMES.get(name, ())]
        for word in sorted((names or {}).get(name, words), key=len)[::-1]:
            word = word.lower()
            at = text.find(word)
            while at >= 0:
                end = at + len(word)
                if reader_pattern("segment_layer_after").search(text[end:]):
                    text = text[:at] + " " * len(word) + text[end:]
                at = text.find(word, end)
    return text


def asks_rfm_size_and_share(question: Question, model: SemanticModel) -> bool:
    """Whether the question asks how many an RFM segment holds and its share of the money
    ("how many Champions, and what slice of revenue is theirs?"): both are columns of the
    RFM table, which a metric filtered to the segment (its revenue alone) would not give."""
    return asks_segment_share_of_buyers(question, model) or (
        not question.time_range
        and bool(rfm_segment_names(question, model))
        and question.has(*reader_words("rfm_segment_counts"))
        and question.has(*reader_words("rfm_shares"))
    )


def asks_segment_share_of_buyers(question: Question, model: SemanticModel | None = None) -> bool:
    """Whether the question asks one RFM segment's share of the buyers, with no period
    ("At Risk 占买家的比例", "what proportion of our buyers are Loyal Customers"): the RFM
    table's share column (every buyer is in one segment), not a metric filtered by period."""
    from copilot.offline.intents.metrics import JOINED  # metrics imports this module

    segments = set(rfm_segment_names(question, model))
    # Several segments taken together ("Champions and Loyal Customers combined", "冠军客户加
    # 忠诚客户合起来占多少"): their shares of the same table, summed; listed apart, each its own.
    if (
        question.time_range
        or not segments
        or (len(segments) > 1 and not JOINED.search(question.raw))
    ):
        return False
    if set(question.filters) - {"rfm_segment"}:
        return False  # "of the buyers in Shanghai": a filtered metric, not the RFM table
    if not question.has(*reader_words("rfm_shares")):
        return False
    people = named(question.text, metric_synonyms(model)) if model is not None else []
    return bool(people) and set(people) <= {"buyers", "customers"}


def rfm_segment_names(question: Question, model: SemanticModel | None = None) -> list[str]:
    """The RFM segments the question names, by their English or Chinese names, one entry a
    naming in text order (a segment named twice, "沉睡客户（Hibernating）", is there twice).
    With the semantic `model`, a name spelt like a metric's word ("new customers") is the
    metric unless written as the segment's name (`names_the_segment`)."""
    metric_words = lowered_metric_words(model)
    found = [
        (question.raw.lower().find(word), name)
        for name, word in named_by(question.raw.lower(), _RFM_SEGMENT_NAMES)
        if names_the_segment(question.raw, word, metric_words)
    ]
    # An everyday name spelt like a metric's word ("新客") counts only written right before a
    # layer word ("新客层", "新客群": lexicon segment_layer_after), never beside one elsewhere.
    raw = question.raw.lower()
    for name, words in _LAYER_ONLY_NAMES.items():
        for word in words:
            at = raw.find(word)
            while at >= 0:
                layer = reader_pattern("segment_layer_after").search(raw[at + len(word) :])
                if layer and name not in [n for _, n in found]:
                    found.append((at, name))
                at = raw.find(word, at + len(word))
    return [name for _, name in sorted(found, key=lambda f: f[0])]


def _without_population(question: Question) -> Question:
    """The question without the words naming who is grouped ("our shoppers", "客户")."""
    return _without(question, reader_words("persona_inputs"))


def _without(question: Question, patterns: tuple[str, ...]) -> Question:
    """The question with every occurrence of the patterns blanked out of its text."""
    rest = question.text
    for pattern in patterns:
        rest = compiled_word(pattern).sub(" ", rest)
    return replace(question, text=rest)


def read_persona_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """customer_personas arguments for a clustering / "what kinds of customers" question."""
    question = _without_rfm_set_aside(question)
    # "personas aside, ...": clustering declined is no clustering asked for.
    question = replace(question, text=without_negated(question.text, _PERSONA))
    if question.has(*_PERSONA) and reader_pattern("rfm_as_input").search(question.text):
        # "k-means on RFM + category mix": RFM is one of the clustering's inputs
        question = _without(question, _RFM)
    if not question.has(*_PERSONA) or question.has(*_RFM):
        return None
    if segment_in(question) and not _without(question, reader_words("persona_portrait")).has(
        *_PERSONA
    ):
        return None  # a portrait of a named segment is that segment's profile
    # "what kinds of shoppers": the persona phrase itself may hold a metric word (shoppers).
    rest = question.text
    # Who is clustered ("our shoppers") and what on ("based on spend, categories and
    # channels") are the clustering's own inputs, not a metric asked for.
    for pattern in (*_PERSONA, *reader_words("persona_inputs")):
        rest = compiled_word(pattern).sub(" ", rest)
    if _names_a_metric(Question(question.raw, question.language, rest), ctx):
        return None
    k_range = _K_RANGE.search(question.raw.lower())
    if k_range:  # "K值在3到6之间选": silhouette picks k within the range asked
        low, high = sorted(int(g) for g in k_range.groups())
        if 2 <= low <= high <= 15:
            return {"k_min": low, "k_max": high}
    k = _wanted_k(question.raw.lower())
    return {"k": k} if k is not None else {}


_K_RANGE = re.compile(
    r"\bk\s*(?:值|=)?\s*(?:在|between|from|of)?\s*(\d{1,2})\s*(?:到|至|-|–|~|and|to)\s*(\d{1,2})"
)


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


def _segment_text(language: str, message: str, segment: dict[str, Any], **values: Any) -> str:
    """A catalogue sentence about one segment of a tool's result, its figures filled in
    the answer's language: {segment} (name), {customers} (count), {share} (of buyers),
    {revenue_share} and {action} (what to do), plus any `values`."""
    return tr(
        language,
        message,
        segment=segment_name(segment["name"], language),
        customers=format_count(segment["customers"], language),
        share=format_percent(segment["customer_share"], language),
        revenue_share=format_percent(segment.get("revenue_share"), language),
        action=segment.get("action_zh" if language == "zh" else "action", ""),
        **values,
    )


def write_rfm_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """Segment sizes, the biggest and most valuable segments, and what to do with them."""
    data = output.data
    segments = {s["name"]: s for s in data["segments"]}
    biggest, valuable = segments[data["biggest"]], segments[data["most_valuable"]]
    focus = [biggest, valuable] + [
        segments[n] for n in ("At Risk", "Can't Lose Them") if n in segments
    ]
    focus = list({s["name"]: s for s in focus}.values())
    sizes = tr(language, "; ").join(
        _segment_text(language, N_("{segment} {customers} ({share})"), s) for s in data["segments"]
    )
    lines = [
        tr(
            language,
            "RFM segmentation as of {date}: {buyers} in {segments} (table below): {sizes}.",
            date=data["as_of"],
            buyers=ntr(
                language,
                "{shown} buyer",
                "{shown} buyers",
                int(data["buyers"]),
                shown=format_count(data["buyers"], language),
            ),
            segments=ntr(language, "{count} segment", "{count} segments", len(data["segments"])),
            sizes=sizes,
        ),
        ntr(
            language,
            "- Biggest: {segment} with {customers} buyer ({share}).",
            "- Biggest: {segment} with {customers} buyers ({share}).",
            int(biggest["customers"]),
            segment=segment_name(biggest["name"], language),
            customers=format_count(biggest["customers"], language),
            share=format_percent(biggest["customer_share"], language),
        ),
        _segment_text(
            language,
            N_("- Most valuable: {segment}: {share} of buyers bring {revenue_share} of revenue."),
            valuable,
        ),
        tr(language, "What to do:"),
        *[_segment_text(language, N_("- {segment} ({customers}): {action}"), s) for s in focus],
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
                example=segment_name(_example_segment(segments, valuable), language),
            )
        )
    return "\n".join(lines)


def _example_segment(segments: dict[str, dict], valuable: dict) -> str:
    """A segment this run has, to name as an example: Champions when it has buyers, else the
    most valuable one (a store may have no Champions; naming one would send the user to
    a segment that does not exist)."""
    champions = segments.get("Champions")
    return "Champions" if champions and champions.get("customers") else valuable["name"]


def write_persona_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """Each persona's name, size, value and description, and how k was chosen."""
    data = output.data
    if "refusal" in data:  # the tool found nothing to cluster and says why, in both languages
        return data["refusal_zh"] if language == "zh" else data["refusal"]
    note = data.get("note_zh" if language == "zh" else "note")  # fewer personas than asked
    scores = data["silhouette"]
    k = data["k"]
    # A silhouette score is read to three decimals (0.312), as clustering reports give it.
    score = format_number(scores.get(k), language, 3, fixed=True)
    if data["k_chosen_by_silhouette"] and len(scores) == 1:
        # One k tried: nothing was chosen among others.
        how = tr(
            language, "k={k}, the only k the data allows (silhouette {score})", k=k, score=score
        )
    elif data["k_chosen_by_silhouette"]:
        how = tr(
            language,
            "k={k} chosen by silhouette among k={low}–{high} (score {score})",
            k=k,
            low=min(scores),
            high=max(scores),
            score=score,
        )
    elif note:  # fewer than asked: the note says why, so not "as asked"
        how = tr(language, "k={k} (silhouette {score})", k=k, score=score)
    else:
        how = tr(language, "k={k} as asked (silhouette {score})", k=k, score=score)
    lines = [
        tr(
            language,
            "I clustered {buyers} buyers into {k} personas with K-means ({how}):",
            buyers=format_count(data["buyers"], language),
            k=k,
            how=how,
        )
    ]
    lines += [note] if note else []
    # Why personas and not RFM: "what kinds of customers by behaviour" has two readings.
    lines.append(
        tr(
            language,
            "Personas group buyers by how they shop (recency, frequency, spend, order value, "
            "category mix), not by value tiers; for RFM segments (Champions, At Risk ...), ask "
            "for RFM.",
        )
    )
    for i, p in enumerate(data["personas"], 1):
        name = p["name_zh"] if language == "zh" else p["name"]
        if data.get("saved") and name != p["name"]:
            # The saved segment's name, to target it by, where the shown name differs.
            name = tr(
                language, "{persona} (segment name: {segment})", persona=name, segment=p["name"]
            )
        lines.append(
            tr(
                language,
                "{number}. **{persona}**: {customers} buyers ({share}), {revenue_share} of "
                "revenue; {description}.",
                number=i,
                persona=name,
                customers=format_count(p["customers"], language),
                share=format_percent(p["share"], language),
                revenue_share=format_percent(p["revenue_share"], language),
                description=p["description_zh"] if language == "zh" else p["description"],
            )
        )
    lines.append(
        "\n"
        + tr(language, "Next: pick a channel and send time for one persona, or draft copy for it.")
    )
    if data.get("saved"):
        lines.append(tr(language, "The personas are saved as segments you can target by name."))
    return "\n".join(lines)


RFM_INTENT = Intent(tool="rfm_segments", read=read_rfm_question, write=write_rfm_answer)
PERSONAS_INTENT = Intent(
    tool="customer_personas", read=read_persona_question, write=write_persona_answer
)
