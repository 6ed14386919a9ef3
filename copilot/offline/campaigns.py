"""Campaigns named the way people say them: "the 618 2026 email", "2026春节短信活动".

Store campaign names ("618 2026 - Email", "Spring Festival 2026 - SMS") hold a
period and a channel. A question that names the same period (any language, read
by the one period parser) and the same channel names that campaign, so the
campaign becomes the filter instead of pooling every campaign of the period.
Nothing here is hard-coded for the demo: the names come from the store's index.
"""

from __future__ import annotations

import re
from datetime import date

from copilot.offline.clock import planner_today
from copilot.offline.question import Question
from copilot.offline.values import ValueIndex
from copilot.offline.vocabulary import load_lexicon, reader_pattern
from knowledge.time_ranges import find_period

# The channel words a campaign name may end with ("Email", "Social Ads", "Push A/B").
_CHANNEL_OF_NAME = {
    "email": ("email", "e-mail", "edm"),
    "sms": ("sms", "text"),
    "push": ("push",),
    "social": ("social",),
}


def store_campaigns(values: ValueIndex) -> list[str]:
    """The campaign names the store holds."""
    return sorted(
        {value for dimension, value in values.entries.values() if dimension == "campaign"}
    )


def campaign_channels(values: ValueIndex) -> set[str]:
    """The channels the store's campaigns run on (their names' channel words)."""
    return {c for c in map(_channel_of, store_campaigns(values)) if c}


def _channel_of(name: str) -> str | None:
    tail = name.split(" - ", 1)[-1].lower()
    return next((c for c, words in _CHANNEL_OF_NAME.items() if any(w in tail for w in words)), None)


def _range_of(phrase: str, today: date) -> tuple[date, date] | None:
    match = find_period(phrase, today)
    return (match.range.start, match.range.end) if match else None


def _words_named(period_part: str, question: Question, today: date) -> bool:
    """Whether the words of a campaign name beyond its period ("Win-back" of "Win-back 2025")
    occur in the question: a plain "2025" must not pick the Win-back 2025 campaign."""
    rest = _rest_of(period_part, today)
    return rest == "" or (rest is not None and _written(rest, question.raw.lower()) is not None)


def _rest_of(head: str, today: date) -> str | None:
    """The words of a campaign name's head beyond its period ("win-back" of "Win-back 2026"),
    lower-cased; None when the head holds no period."""
    match = find_period(head, today)
    if match is None:
        return None
    start, end = match.span
    return (head[:start] + head[end:]).strip().lower()


def _name_words(rest: str) -> tuple[str, ...]:
    """A name's own words and the lexicon's other words for them ("召回" for "win-back",
    campaign_name_words), longest first."""
    return tuple(
        sorted({rest, *load_lexicon().campaign_name_words.get(rest, ())}, key=len, reverse=True)
    )


def _written(rest: str, lowered: str) -> re.Match[str] | None:
    """Where the (lower-cased) question writes a name's words or another word for them
    (Latin words on word boundaries, Chinese ones anywhere)."""
    for word in _name_words(rest):
        bounded = rf"(?<![\w-]){re.escape(word)}(?![\w-])" if word.isascii() else re.escape(word)
        found = re.search(bounded, lowered)
        if found:
            return found
    return None


def own_words(name: str) -> list[str]:
    """The words a campaign's name holds beyond its period ("win-back" and "email", "e-mail"
    of "Win-back 2026 - Email"): said beside the campaign they are its name, nothing more."""
    head = name.split(" - ", 1)[0]
    match = find_period(head, planner_today())
    rest = ((head[: match.span[0]] + head[match.span[1] :]) if match else head).strip().lower()
    channel = _channel_of(name)
    names = _name_words(rest) if rest else ()
    return [w for w in [*names, *_CHANNEL_OF_NAME.get(channel or "", ())] if w]


def same_campaign_in(campaign: str, phrase: str, values: ValueIndex, today: date) -> str | None:
    """The store campaign of the same name and channel as `campaign` that ran within the
    period `phrase` names ("去年的呢" after "618 2026 - Email": "618 2025 - Email"), else None."""
    wanted = _range_of(phrase, today)
    if wanted is None or " - " not in campaign:
        return None
    words = own_words(campaign)
    matches = []
    for name in store_campaigns(values):
        ran = _range_of(name.split(" - ", 1)[0], today)
        if (
            name != campaign
            and own_words(name) == words
            and ran is not None
            and wanted[0] <= ran[0]
            and ran[1] <= wanted[1]
        ):
            matches.append(name)
    if len(matches) > 1:
        # A festival's name is its period, so own words alone leave every SMS of that year
        # ("Double 11 2025 - SMS", "Spring Festival 2025 - SMS"): the one whose name differs
        # from `campaign` only in its year is the same campaign.
        matches = [m for m in matches if _YEAR.sub("", m) == _YEAR.sub("", campaign)]
    return matches[0] if len(matches) == 1 else None


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def runs_on(campaigns: list[str], channel: str) -> bool:
    """Whether every campaign named runs on `channel` (its name's channel word): a channel
    said beside them ("the Double 11 SMS campaign's texts", "…活动的短信") is their own."""
    return bool(campaigns) and all(_channel_of(name) == channel for name in campaigns)


def campaigns_by_their_words(question: Question, values: ValueIndex) -> tuple[str, list[str]]:
    """(the name's own words as the question writes them, the store campaigns they name) for
    a campaign named by the words of its name beyond its period ("the Win-back email": "Win-back
    2025 - Email" and "Win-back 2026 - Email"), a channel the question names narrowing them;
    ("", []) when it names none that way."""
    today = planner_today()
    lowered = question.raw.lower()
    channels = question.filters.get("channel") or []
    by_words: dict[str, list[str]] = {}
    written: dict[str, tuple[int, int]] = {}
    for name in store_campaigns(values):
        rest = _rest_of(name.split(" - ", 1)[0], today)
        if (
            rest is None
            or len(rest) < 3
            or (len(channels) == 1 and _channel_of(name) != channels[0])
        ):
            continue
        found = _written(rest, lowered)
        if found:
            by_words.setdefault(rest, []).append(name)
            written[rest] = found.span()
    if len(by_words) != 1:
        return "", []
    rest, names = next(iter(by_words.items()))
    start, end = written[rest]
    return question.raw[start:end], names


def campaign_named(question: Question, values: ValueIndex) -> str | None:
    """The one store campaign whose period and channel the question names, else None."""
    if question.time_range is None:
        return None
    channels = question.filters.get("channel") or []
    if len(channels) != 1:
        return None
    today = planner_today()
    # "on the Double 11 2025 social ads push": "on the" governs the send, not the festival's
    # day, so the festival as the name says it (its window) names the campaign too.
    phrases = {question.time_range}
    festival = re.sub(r"^on\s+", "", question.time_range, flags=re.I)
    if re.search(r"\bon\s+the\s+" + re.escape(festival), question.raw, re.I):
        phrases.add(festival)
    elif re.match(r"on\s+", question.time_range, re.I) and _festival_before_send(question):
        # "on the singles day push last year": the period is read across the send noun ("on
        # singles day last year"); the festival with its year said after is the name's
        phrases.add(festival)
    wanted = {r for p in phrases if (r := _range_of(p, today)) is not None}
    if not wanted:
        return None
    matches = [
        name
        for name in store_campaigns(values)
        if _channel_of(name) == channels[0]
        and _period_fits(name.split(" - ", 1)[0], wanted, question, today)
        and _words_named(name.split(" - ", 1)[0], question, today)
    ]
    return matches[0] if len(matches) == 1 else None


def festival_campaigns(question: Question, values: ValueIndex) -> list[str]:
    """The store campaigns of the festival the question's period names, when it speaks of
    campaigns ("this year's 618 campaigns", "双十一的活动", "the Double 11 2025 SMS and push
    campaigns"): every campaign whose name is that festival's period and nothing more ("618
    2026 - Email", "618 2026 - Push"), those of a named channel only; [] when none is. The
    campaigns are the filter: the festival's window over the whole store would pool every
    send of the period, another question.

    Two periods compared ("the 618 2026 campaigns vs the 618 2025 ones", "Double 11 2025 and
    2026 campaigns", "2025和2026年双十一活动"): the festival's campaigns of both, the one
    festival named taken into the other period; [] unless both periods have some."""
    if question.time_range is None:
        return []
    if not names_a_campaign(question) or _said_as_window(question):
        return []
    today = planner_today()
    match = find_period(question.time_range, today)
    if match is None:
        return []
    channels = set(question.filters.get("channel") or ())
    first = (match.range.start, match.range.end)
    found = _of_window(first, channels, values, today)
    if not question.compares_periods:
        return found
    if match.compare_to is None:
        return []
    second = (match.compare_to.start, match.compare_to.end)
    other = _of_window(second, channels, values, today)
    if found and not other:
        other = _same_festival_within(found, second, channels, values, today)
    elif other and not found:
        found = _same_festival_within(other, first, channels, values, today)
    return [*found, *other] if found and other else []


def _of_window(
    wanted: tuple[date, date], channels: set[str], values: ValueIndex, today: date
) -> list[str]:
    """The store campaigns whose name is the festival window `wanted` and nothing more."""
    found = []
    for name in store_campaigns(values):
        head = name.split(" - ", 1)[0]
        match = find_period(head, today)
        if match is None or (match.range.start, match.range.end) != wanted:
            continue
        start, end = match.span
        if (head[:start] + head[end:]).strip():
            continue  # "Win-back 2026": a campaign of its own words, not of a festival
        if channels and _channel_of(name) not in channels:
            continue
        found.append(name)
    return found


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _same_festival_within(
    named: list[str], period: tuple[date, date], channels: set[str], values: ValueIndex, today: date
) -> list[str]:
    """The campaigns of the festival of `named` ("Double 11" of "Double 11 2025 - SMS") that
    ran within `period` ("2026" said beside it: "Double 11 2026 - SMS")."""
    festivals = {_YEAR.sub("", n.split(" - ", 1)[0]).strip().lower() for n in named}
    out = []
    for name in store_campaigns(values):
        head = name.split(" - ", 1)[0]
        ran = _range_of(head, today)
        if (
            name not in named
            and _YEAR.sub("", head).strip().lower() in festivals
            and ran is not None
            and period[0] <= ran[0]
            and ran[1] <= period[1]
            and _of_window(ran, channels, values, today)
            and (not channels or _channel_of(name) in channels)
        ):
            out.append(name)
    return out


def festival_in_other_years(question: Question, values: ValueIndex) -> list[str]:
    """The store campaigns of the festival a campaign question names in a year when the store
    ran none of it on the channel said ("the Singles Day 2023 SMS blast", "2023年双11短信活动"
    when only the 2024 and 2025 ones exist): that festival's campaigns of the other years, to
    offer; [] when the question's period is no festival of one year or the store has it. The
    festival is matched by its window (the period's year set to each campaign's year), so any
    name the period parser reads for it ("Singles Day", "双11") works."""
    phrase = question.time_range
    if not phrase or len(_YEAR.findall(phrase)) != 1:
        return []
    today = planner_today()
    own = _range_of(phrase, today)
    channels = set(question.filters.get("channel") or ())
    same: list[str] = []
    for name in store_campaigns(values):
        head = name.split(" - ", 1)[0]
        year, ran = _YEAR.search(head), _range_of(head, today)
        if year is None or ran is None or _rest_of(head, today) != "":
            continue  # "Win-back 2026": a campaign of its own words, not of a festival
        if _range_of(_YEAR.sub(year.group(), phrase), today) == ran:
            same.append(name)
    named = [
        n
        for n in same
        if _range_of(n.split(" - ", 1)[0], today) == own
        and (not channels or _channel_of(n) in channels)
    ]
    return [] if named else same


def festival_campaign_without_year(question: Question, values: ValueIndex) -> tuple[str, list[str]]:
    """The festival as written and its store campaigns of every year, when the question points
    at ONE campaign of a festival without saying which year ("the Double 11 promo", "双11那次",
    "春节那场活动") and the store ran that festival's campaigns in more than one year: the
    period convention (the latest one) fixes a festival's days, not which campaign of several
    is meant. ("", []) otherwise: a year said ("去年618那次"), the festival's days said as a
    window ("during the 618 campaign"), or campaigns in the plural ("the 618 campaigns")."""
    phrase = question.time_range
    if not phrase or _YEAR.search(question.raw) or _said_as_window(question):
        return "", []
    if reader_pattern("year_said").search(question.raw):
        return "", []
    if not (
        reader_pattern("campaign_one").search(question.raw)
        or reader_pattern("campaign_occurrence").search(question.raw)
    ):
        return "", []
    today = planner_today()
    first = find_period(question.raw, today)
    own = _range_of(phrase, today)
    if first is None or own is None:
        return "", []
    found, years = [], set()
    for name in store_campaigns(values):
        head = name.split(" - ", 1)[0]
        year = _YEAR.search(head)
        if year is None or _rest_of(head, today) != "":
            continue  # "Win-back 2026": a campaign of its own words, not of a festival
        festival = _YEAR.sub("", head).strip()
        if festival and _range_of(festival, today) == own:
            found.append(name)
            years.add(year.group())
    if len(years) < 2:
        return "", []
    start, end = first.span
    said = re.sub(
        r"(?:\s+(?:campaign|promo|promotion|sale|blast|send|push)s?)+$",
        "",
        question.raw[start:end].strip(),
        flags=re.I,
    )
    return said, found


def _said_as_window(question: Question) -> bool:
    """Whether the period is said as days, with a time word right before or after it ("how
    much did our campaigns drive over Double 11", "双十一期间活动带来的销售额"): every send of
    the festival's window, not only the campaigns named after it (lexicon
    festival_window_before / festival_window_after), or with a campaign word naming the days
    ("the promo window", "during the 618 campaign": lexicon campaign_window)."""
    if reader_pattern("campaign_window").search(question.raw):
        return True
    phrase = question.time_range or ""
    start = question.raw.lower().find(phrase.lower()) if phrase else -1
    if start < 0:
        return False
    before, after = question.raw[:start], question.raw[start + len(phrase) :]
    # ("双十一期间": the time word may be read into the period phrase or follow it)
    return bool(
        reader_pattern("festival_window_before").search(before)
        or reader_pattern("festival_window_after").search(phrase[-6:] + after.lstrip()[:5])
        or reader_pattern("festival_window_noun").match(after)
    )


def period_is_the_name(question: Question, campaign: str) -> bool:
    """Whether the question's period is the one the campaign's name holds ("2026" of the
    "2026 win-back email"), not a narrower one inside it ("今年4月那次召回邮件"): a narrower
    period is kept beside the campaign, so a month it did not run in shows none of it."""
    today = planner_today()
    named = _range_of(campaign.split(" - ", 1)[0], today)
    phrases = [
        question.time_range or "",
        re.sub(r"^on\s+", "", question.time_range or "", flags=re.I),
    ]
    return any(named is not None and _range_of(p, today) == named for p in phrases if p)


def period_after_the_name(question: Question) -> str | None:
    """A second period said apart from the one a campaign's name holds ("the Double 11 2026
    social ads from their 10/20 launch on", "2026双十一短信 10/25以来"): the question's own
    period, kept beside the campaign; None when the name's period is the only one."""
    today = planner_today()
    first = find_period(question.raw, today)
    if first is None:
        return None
    start, end = first.span
    rest = question.raw[:start] + " " * (end - start) + question.raw[end:]
    other = find_period(rest, today)
    return other.phrase(rest) if other is not None and other.compare_to is None else None


def campaigns_window(campaigns: list[str], values: ValueIndex | None = None) -> str | None:
    """The period phrase of the named campaigns' own window, for a question that names them
    and no period: their name's head when it is a festival period and nothing more ("Double
    11 2025" of "Double 11 2025 - SMS"), which the store reads as its campaigns' days, so the
    answer states the window instead of all time. A head with words of its own ("Win-back
    2026": the year is not its window) takes the days the store holds for the campaigns
    (their start and end dates, the same for all of them); None without those."""
    heads = {name.split(" - ", 1)[0] for name in campaigns}
    if len(heads) == 1 and _rest_of(next(iter(heads)), planner_today()) == "":
        return heads.pop()
    held = (values.days.get("campaign") or {}) if values is not None else {}
    days = {held.get(name) for name in campaigns}
    return days.pop() if len(days) == 1 and None not in days else None


def _period_fits(
    head: str, wanted: set[tuple[date, date]], question: Question, today: date
) -> bool:
    """Whether the question's period names a campaign's head ("618 2026": that window; "Win-back
    2026": that year). A name with words of its own beyond the period, said in the question,
    is named by a narrower period inside its year too ("今年4月那次召回邮件", "the April 2026
    win-back email"): its words pick it, the month only narrows."""
    named = _range_of(head, today)
    if named is None:
        return False
    if named in wanted:
        return True
    rest = _rest_of(head, today)
    return bool(rest) and any(named[0] <= start and end <= named[1] for start, end in wanted)


_CAMPAIGN_WORDS = re.compile(
    # "双十一2025短信那一波": a "wave" of sends is a campaign said casually; "the 618
    # campaigns" speak of a festival's campaigns (festival_campaigns).
    # ("推送A/B两个版本": Chinese characters beside "A/B" are no word boundary to `\b`)
    # ("双11 2025 的几个campaign": a Chinese character before the word is no `\b` boundary)
    r"(?<![a-z])(?:campaigns?|promos?|promotions?|ads?|blasts?|sends?)(?![a-z])"
    r"|(?<![a-z0-9])a/?b(?![a-z0-9])|\b(?:split )?test\b|活动|投放|推广|测试"
    r"|[那这一]波",
    re.I,
)


# A channel word right after the period, as a noun ("the 618 2025 push", "the Spring Festival
# 2026 sms", "the 618 2026 emails": the messages of that send): that period's send on that
# channel, one campaign. English only: "618期间推送的打开率" is the channel over the period.
_SEND_NOUN = re.compile(
    r"\s*(?:-\s*)?(?:e-?mails?|edms?|sms|texts?|push(?:es)?)(?![\w-])(?!\s+(?:notifications?|messages?|sends?)\b)",
    re.I,
)


# A year said in a Chinese period phrase ("2026双11", "去年双十一"), and the channel nouns of a
# campaign's sends written right after it.
_YEAR_SAID = re.compile(r"\d{4}|今年|去年|前年")
_WINDOW_SAID = re.compile(r"期间|之间|前后|那几天|那段时间|时候|时段")
_ZH_SEND_NOUN = re.compile(
    # ("今年618那个推送", "去年双11那次短信", "去年春节那条短信", "今年618那封邮件": the send
    # pointed at, one campaign)
    r"\s*(?:的)?(?:[那这](?:个|次|一次|波|一波|场|条|一条|封|一封))?(?:的)?"
    r"(?:短信|邮件|电子邮件|推送|app推送|社交广告|社媒广告|朋友圈广告|sms|e-?mail|push)",
    re.I,
)


def names_a_campaign(question: Question) -> bool:
    """Whether the question speaks of one campaign ("the 618 email campaign", "春节短信活动",
    "the Double 11 2025 push A/B", "the 618 2025 push", "双11短信那次")."""
    if _CAMPAIGN_WORDS.search(question.raw) or reader_pattern("campaign_occurrence").search(
        question.raw
    ):
        return True
    if not question.time_range:
        return False
    if question.language != "en":
        # "2026双11短信": a festival of a named year with the channel right after it is that
        # year's send of the festival, one campaign (campaign_named picks it only when exactly
        # one store campaign fits); "去年618期间推送" (the window said) stays the channel.
        at = question.raw.find(question.time_range)
        return (
            at >= 0
            and bool(_YEAR_SAID.search(question.time_range))
            and not _WINDOW_SAID.search(question.time_range)
            and bool(_ZH_SEND_NOUN.match(question.raw, at + len(question.time_range)))
        )
    # "On the 618 2026 push": the period is read as the day ("on 618 2026") while the raw
    # text keeps "the" between; the festival as the name says it is looked for too.
    lowered = question.raw.lower()
    for phrase in {question.time_range, re.sub(r"^on\s+", "", question.time_range, flags=re.I)}:
        at = lowered.find(phrase.lower())
        if at >= 0 and _SEND_NOUN.match(question.raw, at + len(phrase)):
            return True
    return _festival_before_send(question) is not None


def _festival_before_send(question: Question) -> str | None:
    """The festival words of the period phrase when a channel noun follows them and the rest
    of the period is said after the send ("618 email this year", "the Double 11 sms last
    year": "618", "Double 11"), else None. The festival alone must be a period."""
    if not question.time_range:
        return None
    lowered = question.raw.lower()
    words = question.time_range.split()
    for k in range(len(words) - 1, 0, -1):
        head = " ".join(words[:k])
        # ("on the singles day push last year": the period phrase is "on singles day last
        # year"; the festival is written after "on the")
        for said in (head, *([head[3:]] if head.lower().startswith("on ") else [])):
            at = lowered.find(said.lower())
            found = find_period(said, planner_today()) if at >= 0 else None
            if (
                found is not None
                and found.span == (0, len(said))
                and _SEND_NOUN.match(question.raw, at + len(said))
            ):
                return head
    return None


def period_beside_campaign(question: Question) -> str | None:
    """The period said apart from a campaign's festival ("this year" of "618 email this
    year"): the question's own period, kept beside the campaign it names; None when the
    period phrase is the campaign's name alone ("the 618 2026 email")."""
    head = _festival_before_send(question)
    if head is None or question.time_range is None:
        return None
    rest = question.time_range[len(head) :].strip(" ,")
    found = find_period(rest, planner_today()) if rest else None
    return rest if found is not None and found.span == (0, len(rest)) else None


def year_said(raw: str) -> bool:
    """Whether the question says a year ("2025", "去年", "this year")."""
    return bool(_YEAR.search(raw) or reader_pattern("year_said").search(raw))


def ran_within(campaign: str, phrase: str) -> bool:
    """Whether the campaign's name's period lies within the period `phrase` names (True when
    either is no period: nothing to tell)."""
    today = planner_today()
    ran, wanted = _range_of(campaign.split(" - ", 1)[0], today), _range_of(phrase, today)
    return ran is None or wanted is None or (wanted[0] <= ran[0] and ran[1] <= wanted[1])


def write_out_short_names(raw: str, values: ValueIndex) -> str:
    """`raw` with a store campaign's period written short ("SF26", "SF'26", "sf2026": the
    initials of its festival's words and its year, of "Spring Festival 2026") written out as
    its name says it, so the period parser and the campaign readers see the name. Derived from
    the store's campaign names only (festivals of two words or more, all letters)."""
    heads: dict[str, str] = {}
    for name in store_campaigns(values):
        head = name.split(" - ", 1)[0]
        year = _YEAR.search(head)
        words = _YEAR.sub("", head).split()
        if year is None or len(words) < 2 or not all(w.isalpha() for w in words):
            continue
        initials = "".join(w[0] for w in words).lower()
        for said in (year.group()[2:], year.group()):
            heads[f"{initials}{said}"] = head
    if not heads:
        return raw

    def written_out(found: re.Match[str]) -> str:
        key = re.sub(r"[\s'’]", "", found.group(0)).lower()
        return heads.get(key, found.group(0))

    return re.sub(
        r"(?<![A-Za-z0-9])[A-Za-z]{2,3}\s?['’]?\d{2}(?:\d{2})?(?![A-Za-z0-9])", written_out, raw
    )
