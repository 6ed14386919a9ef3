"""Shape checks of a finished plan against explicit markers of the question.

Readers that place words one by one can lose or bend a condition and still produce a
confident plan: "revenue of the top 500 customers" read as the whole store's revenue,
"每个买家平均贡献多少" read as revenue, "return rate of the 5 best sellers" ranked by the
return rate. Whatever reader made the plan, the markers the question states must be
accounted for by it:

1. every number the question states is used by a call (period, comparison, limit,
   filter value, count of values listed ...);
2. an average / per-head marker needs a metric that is not an additive sum or count;
3. a rate / share / percentage marker needs a rate metric, a comparison (a % change) or a
   part-and-whole pair of calls (a share);
4. a ranking that names its criterion ("best-selling", 退得最多) ranks by it;
5. a comparison ("vs", "the comparison with", "和去年比") sets something beside the figure.

A marker accounted for passes silently; one that is not makes the planner ask back,
naming the words, instead of answering a different question. The marker words are the
lexicon's (reader_words guard_*, ranked_by_*; ranking_criteria).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from copilot.offline.clock import planner_today
from copilot.offline.intents.base import PlannerContext
from copilot.offline.question import Question, names_two_periods, top_n_spans
from copilot.offline.sql_measures import unmeasured_sql_word
from copilot.offline.vocabulary import (
    blank,
    gap_blanked,
    load_lexicon,
    metric_qualifiers,
    metric_synonyms,
    reader_pattern,
)
from knowledge.presentation.messages import join_list, tr
from knowledge.semantic import SemanticModel
from knowledge.time_ranges import find_period
from knowledge.time_ranges.numerals import EN_WORDS, to_int

_CN_DIGITS = str.maketrans("零〇一二两三四五六七八九", "001223456789")
_ADDITIVE = {"sum", "count", "count_distinct"}
_CN_NUMERAL = "零〇一二两三四五六七八九十百千万"
_EN_NUMBER_WORDS = sorted((w for w in EN_WORDS if w not in ("one", "a", "an")), key=len)


def plan_problem(
    question: Question, calls: list[dict[str, Any]], ctx: PlannerContext
) -> str | None:
    """A question back naming the words when the plan `calls` ({"name", "args"}) leaves a
    shape marker of `question` unaccounted for; None when every marker is."""
    zh = question.language == "zh"
    unmeasured = unmeasured_sql_word(_markers_text(question), calls)
    if unmeasured:
        return tr(
            "zh" if zh else "en",
            "You asked for “{phrase}”, but the query I could write offline does not compute "
            "it, so it would answer a different question. Type the SQL itself (SELECT ...) "
            "and I will run it, or ask without SQL.",
            phrase=unmeasured,
        )
    unused_people = unused_people_values(question, calls, ctx)
    if unused_people:
        return unused_people
    metric_calls = [c["args"] for c in calls if c.get("name") == "query_metrics"]
    if not metric_calls or len(metric_calls) != len(calls):
        return None
    model = ctx.semantic_model
    reading = _reading(metric_calls[0], ctx, zh)
    each = _each_bought(question, metric_calls, ctx)
    if each:
        return tr(
            "zh" if zh else "en",
            "You asked about customers who bought each of {values}, but the figure I would "
            "give filters on any of them (I read the question as: {reading}), so it would "
            "answer a different question. Should I count the customers who bought each of "
            "them (a segment), or give the figure for any of them?",
            values=each,
            reading=reading,
        )
    unused = unused_number(question, metric_calls, ctx)
    if unused:
        return tr(
            "zh" if zh else "en",
            "You said “{phrase}”, and the figure I would give does not use that number (I "
            "read the question as: {reading}), so it would answer a different question. "
            "Could you say how “{phrase}” applies, or rephrase?",
            phrase=unused,
            reading=reading,
        )
    metrics = [m for args in metric_calls for m in args.get("metrics") or ()]
    text = _markers_text(question)
    average = reader_pattern("guard_average").search(text)
    if average and metrics and all(_additive(model, m) for m in metrics):
        return tr(
            "zh" if zh else "en",
            "You asked for “{phrase}”, an average, but I could only read a total (I read the "
            "question as: {reading}), and I won't give a total for an average. Which average "
            "do you mean (for example revenue per buyer, or average order value)?",
            phrase=average.group(0).strip(),
            reading=reading,
        )
    rate = reader_pattern("guard_rate").search(text)
    share = reader_pattern("guard_share").search(text)
    if share and not any(args.get("dimensions") for args in metric_calls):
        rate = rate or share  # a breakdown's answer gives each row's share of the total
    # "the count, not the %": the kind set aside is not asked, whatever rate is named.
    set_aside = reader_pattern("guard_set_aside").search(question.raw)
    if (
        rate
        and not set_aside
        and metrics
        and not any(_rate(model, m) for m in metrics)
        and (
            # a share of people ("what % bought twice") is no % change beside a comparison
            reader_pattern("guard_share_of_people").search(text)
            or not any(
                args.get("compare_to") or names_two_periods(str(args.get("time_range") or ""))
                for args in metric_calls
            )
        )
        and len(metric_calls) == 1
    ):
        return tr(
            "zh" if zh else "en",
            "You asked for “{phrase}”, a rate or share, but I could only read amounts or "
            "counts (I read the question as: {reading}), and I won't give a count for a rate. "
            "Which rate or share do you mean?",
            phrase=rate.group(0).strip(),
            reading=reading,
        )
    compared = reader_pattern("guard_comparison").search(text)
    if compared and len(metric_calls) == 1 and not _sets_figures_beside(metric_calls[0]):
        return tr(
            "zh" if zh else "en",
            "You asked for “{phrase}”, a comparison, but I could only read one figure for one "
            "period (I read the question as: {reading}), and I won't leave the comparison out. "
            "What should it be compared with (another period, such as the same period last "
            "year, or other values side by side)?",
            phrase=compared.group(0).strip(),
            reading=reading,
        )
    ranked = _ranking_unread(question, metric_calls)
    if ranked:
        return tr(
            "zh" if zh else "en",
            "You asked for a ranking (“{phrase}”), but I could only read one figure over "
            "everything (I read the question as: {reading}), and I won't give a pooled figure "
            "for a ranking. What should be ranked (for example campaigns, products, categories "
            "or cities)?",
            phrase=ranked,
            reading=reading,
        )
    criterion = ranking_off_criterion(question, metric_calls)
    if criterion:
        return tr(
            "zh" if zh else "en",
            "You asked about “{phrase}”, which ranks by what was sold or returned, but I would "
            "rank by another figure (I read the question as: {reading}). Should I rank by "
            "units or revenue and show the figure you asked beside it?",
            phrase=criterion,
            reading=reading,
        )
    return None


# The customers' own attributes: a question naming one beside a tool that takes no such
# filter ("cohort retention for Shanghai customers", "profile female Champions", "best send
# time for SMS in Shanghai") would be answered for everyone. (Order channels are left out:
# "an app push", "the stores should call", "at the till" name where a message or a list goes,
# rarely the customers asked about.)
_PEOPLE_DIMENSIONS = ("city", "province", "gender", "age_band", "signup_channel", "language")
# Tools whose arguments hold the question itself or a rule over these values, or that the
# metric checks above cover.
_VALUES_HELD = {
    "query_metrics", "search_knowledge", "run_sql", "define_segment", "describe_data",
    "refresh_segment", "list_segments",
}  # fmt: skip


def unused_people_values(
    question: Question, calls: list[dict[str, Any]], ctx: PlannerContext
) -> str | None:
    """A question back when a customer attribute the question names (a city, gender, age
    band ...) is used by no call of a plan of other tools than the metric
    query: the tool would answer for every customer. None when each is used (it stands in a
    call's arguments) or the plan holds no such tool."""
    tools = [c.get("name") for c in calls]
    if not calls or any(t in _VALUES_HELD for t in tools):
        return None
    named = [
        value
        for dimension, values in question.filters.items()
        if dimension in _PEOPLE_DIMENSIONS
        for value in values
    ]
    if not named:
        return None
    dumped = json.dumps([c.get("args") for c in calls], ensure_ascii=False, default=str).lower()
    written = ctx.values.written_as(question.raw)
    # (a word inside a saved segment's name, "VIP男士", is that name's, not a filter)
    saved = " ".join(question.filters.get("segment") or ()).lower()
    unused = [
        v
        for v in named
        if not re.search(rf"(?<![a-z0-9_]){re.escape(v.lower())}(?![a-z0-9_])", dumped)
        and written.get(v, v).lower() not in _words("loose_people_nouns")
        and written.get(v, v).lower() not in saved
        and not _as_a_share(question.raw, written.get(v, v))
    ]
    if not unused:
        return None
    from copilot.offline.routing import load_examples  # (routing loads the embedding model lazily)

    language = "zh" if question.language == "zh" else "en"
    labels = load_examples().names
    tool = next((t for t in tools if t in labels), tools[0])
    said = [written.get(v, v) for v in unused]
    return tr(
        language,
        "“{values}” narrows the customers, but {task} takes no such filter here: it would leave "
        "“{values}” out and answer a different question. Save a segment that holds it first "
        "(e.g. “create a segment of customers in {values}”) and ask about that segment, or ask "
        "without it.",
        values=join_list(said, language),
        task=labels.get(tool, {}).get(language, tool),
    )


def _as_a_share(raw: str, said: str) -> bool:
    """Whether a value is asked as a share of the group ("女性占比", "the share of women"): a
    part the tool's answer shows (a profile's mix), no filter."""
    at = raw.find(said)
    if at < 0:
        return False
    before, after = raw[max(0, at - 16) : at].lower(), raw[at + len(said) : at + len(said) + 6]
    return bool(
        re.match(r"\s*(?:的)?(?:占比|比例|比重|占多少|share|%)", after, re.I)
        or re.search(
            r"(?:share|percentage|proportion|%)\s+(?:of\s+)?(?:them\s+)?(?:are\s+)?$", before
        )
    )


def _each_bought(
    question: Question, metric_calls: list[dict[str, Any]], ctx: PlannerContext
) -> str | None:
    """The values the question's people bought each of ("both skincare and baby", 都买过)
    when a metric call filters on two or more of them, which counts any of them; else None."""
    from copilot.offline.intents.rule_parts import buys_each_of  # (imports the intents)

    filtered = [
        v
        for args in metric_calls
        for dim in ("product", "category")
        for v in ((args.get("filters") or {}).get(dim) or ())
        if isinstance(v, str)
    ]
    if len(filtered) < 2 or not buys_each_of(question, ctx.values):
        return None
    return join_list(filtered, question.language)


def _sets_figures_beside(args: dict[str, Any]) -> bool:
    """Whether a metric call sets figures beside each other: a comparison period, two periods
    in its time range, a breakdown, two values of a filter, or two metrics."""
    if args.get("compare_to") or names_two_periods(str(args.get("time_range") or "")):
        return True
    if args.get("dimensions") or len(args.get("metrics") or ()) > 1:
        return True
    return any(
        isinstance(values, list) and len(values) > 1
        for values in (args.get("filters") or {}).values()
    )


def _markers_text(question: Question) -> str:
    """The question with the markers set aside blanked ("the count, not the rate")."""
    text = question.raw
    for found in reversed(list(reader_pattern("guard_set_aside").finditer(text))):
        text = text[: found.start()] + " " * (found.end() - found.start()) + text[found.end() :]
    return text


def _additive(model: SemanticModel, name: str) -> bool:
    """A metric summed or counted (revenue, orders, buyers): no average, no rate."""
    metric = model.metrics.get(name)
    if metric is None:
        return False
    if not metric.measures:
        # A special metric computed by its own query (repeat buyers, churned customers) is a
        # count when its format says so; repurchase and churn rates are formatted as percent.
        return bool(metric.special) and metric.format == "integer"
    return all(m.aggregate in _ADDITIVE for m in metric.measures)


def _rate(model: SemanticModel, name: str) -> bool:
    """A metric that is a rate or a ratio (conversion rate, ROAS, AOV)."""
    metric = model.metrics.get(name)
    return metric is not None and not _additive(model, name)


def _numbers(text: str) -> list[tuple[int, int, set[str]]]:
    """Every number the text states as (start, end, the forms a call may hold it in)."""
    found: list[tuple[int, int, set[str]]] = []
    for match in re.finditer(r"[A-Za-z]*\d+(?:[.,]\d+)*[A-Za-z]*", text):
        word = match.group(0).lower()
        forms = {word}
        for digits in re.findall(r"\d+(?:[.,]\d+)*", word):
            forms.add(digits.replace(",", ""))
            magnitude = re.search(re.escape(digits) + r"\s*([kKwW万千])", text[match.start() :])
            if magnitude and magnitude.start() == match.group(0).lower().find(digits):
                factor = {"k": 1000, "w": 10000, "万": 10000, "千": 1000}[
                    magnitude.group(1).lower()
                ]
                forms.add(str(round(float(digits.replace(",", "")) * factor)))
        if (
            re.fullmatch(r"\d\d", word)
            and re.match(r"\s*年|\b", text[match.end() :])
            and (
                text[match.end() : match.end() + 1] == "年"
                or text[max(0, match.start() - 1)] in "'’"
            )
        ):
            forms.add(f"20{word}")  # "26年", "'25": the year
        found.append((match.start(), match.end(), forms))
    measure = "|".join(f"(?:{w})" for w in _words("guard_number_measure"))
    for match in re.finditer(f"第?([{_CN_NUMERAL}]+)(?={measure})", text):
        raw = match.group(1)
        forms = {raw}
        if len(raw) > 1 and not re.search("[十百千万]", raw):
            # "二五年", "二零二五年": a year said digit by digit
            digits = raw.translate(_CN_DIGITS)
            forms |= {digits, f"20{digits}"} if len(digits) == 2 else {digits}
        else:
            try:
                value = to_int(raw)
            except (ValueError, KeyError):
                continue
            if value <= 1:
                continue  # 一个/一下: no count
            forms.add(str(value))
        if match.group(0).startswith("第"):
            continue  # 第二: an ordinal
        found.append((match.start(1), match.end(1), forms))
    words = "|".join(_EN_NUMBER_WORDS[::-1])
    for match in re.finditer(rf"\b(?:{words})\b", text, re.I):
        value = to_int(match.group(0).lower())
        if value > 1:
            found.append((match.start(), match.end(), {match.group(0).lower(), str(value)}))
    return sorted(found)


def _words(name: str) -> tuple[str, ...]:
    return load_lexicon().reader_words[name]


def unused_number(
    question: Question, metric_calls: list[dict[str, Any]], ctx: PlannerContext
) -> str | None:
    """The phrase around the first number `question` states that no call uses."""
    model = ctx.semantic_model
    text = question.raw
    # A number inside a metric's own name ("7-day retention"), in a phrase restating a metric
    # of the plan ("came back for a 2nd order" of the repurchase rate) or in an exempt phrase
    # is no condition.
    metrics = [m for a in metric_calls for m in a.get("metrics") or ()]
    words = [w for ws in metric_synonyms(model).values() for w in ws] + metric_qualifiers(metrics)
    text = blank(text, [w for w in words if re.search(rf"\d|[{_CN_NUMERAL}]", w)])
    # A phrase of the lexicon's metric_pairs that names a metric of the plan ("placed two or
    # more orders" of the repeat buyers, "每花1元带来多少收入" of the ROAS) states no condition.
    lexicon = load_lexicon()
    for pair, pattern in lexicon.metric_pair_patterns:
        if set(pair) & set(metrics):
            text = gap_blanked(pattern, text)  # (a number in its gap is still one)
    text = blank(
        text,
        [
            w
            for pair, ws in lexicon.metric_pairs
            if set(pair) & set(metrics)
            for w in ws
            if re.search(rf"\d|[{_CN_NUMERAL}]", w)
        ],
    )
    # A number inside another word for a value the plan filters on (a campaign's id, "CMP007")
    # is that value's name, used.
    used = {
        (dimension, value)
        for args in metric_calls
        for key in ("filters", "exclude")
        for dimension, held in (args.get(key) or {}).items()
        if isinstance(held, list)
        for value in held
    }
    for word, found in ctx.values.entries.items():
        if found in used and re.search(r"\d", word):
            text = re.sub(re.escape(word), lambda m: " " * len(m.group(0)), text, flags=re.I)
    for name in ("guard_number_exempt", "meeting_framing"):  # "slide 7", "for the 10am call"
        text = reader_pattern(name).sub(lambda m: " " * len(m.group(0)), text)
    if any(a.get("time_range") for a in metric_calls):
        # "这两个月加起来": the two periods just asked about, joined into the plan's period
        text = reader_pattern("both_periods_joined").sub(lambda m: " " * len(m.group(0)), text)
    dumped = " ".join(json.dumps(a, ensure_ascii=False, default=str).lower() for a in metric_calls)
    counts = {
        len(v)
        for args in metric_calls
        for key in ("filters", "exclude")
        for v in (args.get(key) or {}).values()
        if isinstance(v, list)
    }
    for args in metric_calls:
        # "广东（广深两城）": the store's cities of a province filtered on, counted
        held = args.get("filters") or {}
        for (_narrow, wide), parents in ctx.values.within.items():
            if isinstance(held.get(wide), list):
                counts.add(sum(1 for ps in parents.values() if ps & set(held[wide])))
    lowered = question.raw.lower()
    for dimension in {d for a in metric_calls for d in a.get("dimensions") or ()}:
        # "the two variants" by variant: every value of the breakdown, counted; "email/sms/
        # push/social 四个渠道" by channel: the values the question lists of it, counted
        stored = ctx.values.stored.get(dimension) or set()
        counts.add(len(stored) or (2 if dimension == "variant" else 0))
        # (a value named by any of its words: "app、网站、门店、小程序这四个渠道")
        named = {
            value
            for value in stored
            if re.search(rf"(?<![a-z]){re.escape(value.lower())}(?![a-z])", lowered)
        } | {
            found[1]
            for word, found in ctx.values.entries.items()
            if found[0] == dimension
            and re.search(rf"(?<![a-z]){re.escape(word.lower())}(?![a-z])", lowered)
        }
        counts.add(len(named))
    dated = any(
        a.get("time_range") or (a.get("filters") or {}).get("campaign") for a in metric_calls
    )
    years = _plan_years(metric_calls)
    bordering = _bordering_periods(text, metric_calls)
    # The words the reader took as the question's period ("2025-06-18 (618)": the bracket
    # naming the same day) are blanked in question.text, when the plan keeps that period.
    read_period = question.time_range is not None and any(
        a.get("time_range") == question.time_range for a in metric_calls
    )
    for start, end, forms in _numbers(text):
        if any(a <= start and end <= b for a, b in bordering):
            continue  # "7月买过、8月没再下单": a period the plan's period or its base covers
        if (
            read_period
            and len(question.text) == len(question.raw)
            and not question.text[start:end].strip()
            and question.raw[start:end].lower() not in ctx.values.entries
        ):
            continue
        if any(_holds(dumped, form) for form in forms):
            continue
        if any(form.isdigit() and int(form) in years for form in forms):
            continue  # "2025年同一季度" read as "去年同期": the year of a period the plan has
        if dated and any(
            d.start() <= start and end <= d.end() and not _day_outside(d.group(0), metric_calls)
            for d in _DATE.finditer(text)
        ):
            # "(11/1-11/11)", "1月27日": the days of a period the plan has, restated; a second
            # period the plan does not use is asked back by the accounting of its words.
            continue
        if any(form.isdigit() and int(form) in counts for form in forms):
            continue  # "北京、上海两地": the count of the values listed
        return _phrase_around(question.raw, start, end)
    return None


# A day written in digits: 11/1, 2026-01-27, 1.27, 1月27日, 27号.
_DATE = re.compile(
    r"(?<![\d/.])\d{1,4}[/.]\d{1,2}(?:[/.]\d{1,4})?(?![\d/])|\b\d{4}-\d{1,2}(?:-\d{1,2})?\b"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{1,2}\s*[日号]"
)


def _day_outside(written: str, metric_calls: list[dict[str, Any]]) -> bool:
    """Whether a day written with its year ("30.09.2026", "2026/9/30") lies outside every
    period of the plan: then the plan does not restate it (a day with no year may be any)."""
    parts = re.split(r"[/.-]", written)
    if len(parts) != 3 or not any(len(p) == 4 for p in parts):
        return False
    try:
        if len(parts[0]) == 4:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
        elif "." in written:
            day = date(int(parts[2]), int(parts[1]), int(parts[0]))
        else:
            day = date(int(parts[2]), int(parts[0]), int(parts[1]))
    except ValueError:
        return False
    today = planner_today()
    for args in metric_calls:
        found = (
            find_period(str(args.get("time_range") or ""), today)
            if args.get("time_range")
            else None
        )
        if found is None:
            return False  # a campaign's window: not checked here
        for period in filter(None, (found.range, found.compare_to)):
            if period.start <= day <= period.end and (
                day in (period.start, period.end) or (period.end - period.start).days < 300
            ):
                return False
    return True


def _plan_years(metric_calls: list[dict[str, Any]]) -> set[int]:
    """The years the plan's periods and comparison periods cover, as the planner reads them."""
    today = planner_today()
    years: set[int] = set()
    for args in metric_calls:
        ranges = []
        for key in ("time_range", "compare_to"):
            found = find_period(str(args.get(key) or ""), today) if args.get(key) else None
            if found is not None:
                ranges += [found.range, found.compare_to]
        for period in filter(None, ranges):
            years |= set(range(period.start.year, period.end.year + 1))
        if args.get("compare_to"):  # "去年同期", "same_period_last_year": a year back
            years |= {y - 1 for y in list(years)}
    return years


def _bordering_periods(text: str, metric_calls: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """The spans of the period phrases of `text` that lie within one of the plan's periods
    or end the day before it starts (a churn or a change counts from the period just before
    its own). "the 6 months up to August" does not lie within August."""
    today = planner_today()
    planned = []
    campaign = any((a.get("filters") or {}).get("campaign") for a in metric_calls)
    for args in metric_calls:
        for key in ("time_range", "compare_to"):
            found = find_period(str(args.get(key) or ""), today) if args.get(key) else None
            if found is not None:
                planned += [p for p in (found.range, found.compare_to) if p is not None]
    spans: list[tuple[int, int]] = []
    rest = text
    for _ in range(4):  # each period phrase of the question, first to last
        found = find_period(rest, today)
        if found is None:
            break
        period = found.range
        if any(
            p.start <= period.start
            and period.end <= p.end
            or period.end == p.start - timedelta(days=1)
            # "去年4月那次召回邮件": a period holding a campaign's whole run, read as the
            # campaign's window
            or campaign
            and period.start <= p.start
            and p.end <= period.end
            for p in planned
        ):
            spans += [found.span, *found.all_spans]
        start, end = found.span
        rest = rest[:start] + " " * (end - start) + rest[end:]
    return spans


def _holds(dumped: str, form: str) -> bool:
    """Whether the calls' text holds `form` as a whole number or word (5 is not in 2025)."""
    if re.fullmatch(r"[\d.]+", form):
        return re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", dumped) is not None
    if re.search(r"[a-z]", form) and not re.search(r"\d", form):  # a number word
        return re.search(rf"\b{re.escape(form)}\b", dumped) is not None
    return form in dumped


def _phrase_around(raw: str, start: int, end: int) -> str:
    """The number with the words beside it: "top 500 customers", "前五个商品"."""
    if re.search(r"[\u4e00-\u9fff]", raw[max(0, start - 1) : end + 1]):
        # the number and the words after it ("两百个客户"); a word before it only when it
        # belongs to the count ("前", "近", "top")
        before = re.search(r"(?:前|近|最近|top\s*)$", raw[:start], re.I)
        after = re.match(r"[^，,。；;？?！!\s（(）)]{0,4}", raw[end:])
        return (
            (before.group(0) if before else "") + raw[start:end] + (after.group(0) if after else "")
        )
    before = re.search(r"(\S+\s+)?$", raw[:start])
    after = re.match(r"(\s*[^\s,;?!.]+)?", raw[end:])
    phrase = (
        (before.group(0) if before else "") + raw[start:end] + (after.group(0) if after else "")
    )
    return phrase.strip(" ,;:-")


def _ranking_unread(question: Question, metric_calls: list[dict[str, Any]]) -> str | None:
    """The top-N words of the question ("排名前三", "which three") when no call breaks the
    figure down: a ranking answered by one pooled figure answers another question."""
    if any(args.get("dimensions") or args.get("limit") for args in metric_calls):
        return None
    text = _markers_text(question)
    spans = top_n_spans(text)
    if not spans:
        return None
    start, end = spans[0]
    return question.raw[start:end].strip() if len(question.raw) == len(text) else text[start:end]


def ranking_off_criterion(question: Question, metric_calls: list[dict[str, Any]]) -> str | None:
    """The criterion words of a ranking ("best-selling") a ranking call does not rank by."""
    criteria = load_lexicon().ranking_criteria
    for args in metric_calls:
        if not (args.get("limit") or args.get("order_by")):
            continue
        ranked_by = args.get("order_by") or next(iter(args.get("metrics") or ()), None)
        for name, allowed in criteria.items():
            found = reader_pattern(name).search(question.raw)
            if found and ranked_by not in allowed:
                return found.group(0)
    return None


def _reading(args: dict[str, Any], ctx: PlannerContext, zh: bool) -> str:
    from copilot.offline.accounting import _reading as reading

    return reading(args, ctx, zh)
