"""Run the held-out paraphrase set on a fresh demo store and print the markdown summary.

    python -m copilot.evaluation.heldout_cli [--set 1..27 | --set 10d | 11d | 12d | 13d | 13e | 14d | 14e | 14f | 15d | 15e | 15f | 16d | 16e | 16f | 17d | 17e | 17f | 18d | 18e | 18f | 19b | 19c | 19d | 20b | 20c | 20d | 21b | 22b | 23b | 24b | 25b | 25c | 25d | 26b | 26c | 26d | 27b | 27c | 27d | --file F] [--title T] [--failures] [--json FILE]

Set 1 (heldout_paraphrases.yaml) was written before round 1's tuning and tuned
against since; set 2 (heldout_paraphrases_2.yaml) was written in round 2 by a
tester who had not read the planner, and measured round 2; from round 3 on it is a
development set (its failures show kinds to fix). Set 3 (heldout_paraphrases_3.yaml) was
written in round 3 by a new tester before that tuning and measured round 3; its failures
were read, so it is no longer sealed. Set 4 (heldout_paraphrases_4.yaml) was written in
round 4 by another new tester before that round's tuning and measured round 4; it is a
development set from round 5 on. Set 5 (heldout_paraphrases_5.yaml) was written in round 5 by
a new tester before that round's tuning and measured round 5; a development set from round 6
on. Set 6 (heldout_paraphrases_6.yaml) was written in round 6 by a new tester who had not read
the planner, before that round's tuning, and measured round 6; a development set from round 7
on. Set 7 (heldout_paraphrases_7.yaml) was written in round 7 by another new tester, before
that round's tuning, and measured round 7 before and after wave 1 (unseen); its failures were
read for round 7's wave 2, so it is a development set from round 8 on. Set 8
(heldout_paraphrases_8.yaml) was written in round 8 by another new tester, before that
round's tuning, and measured round 8 before and after wave 1 (unseen); its failures were read
for round 8's wave 2, so it is a development set from round 9 on. Set 9
(heldout_paraphrases_9.yaml) was written in round 9 by another new tester, before that
round's tuning, and measured round 9 before and after wave 1 (unseen); its failures were read
for round 9's wave 2, so it is a development set from round 10 on. Set 10
(heldout_paraphrases_10.yaml) was written in round 10 by another new tester and measured before
and after that round's changes, none of which saw it. Set 10d (heldout_paraphrases_10d.yaml) was
written in round 10 by a second new tester as a development set: its failures were read and fixed
as kinds that round. Set 11d (heldout_paraphrases_11d.yaml) was written in round 11 by another
new tester as a development set, in the same way. Set 11 (heldout_paraphrases_11.yaml) was written
in round 11 by a third new tester and measured before that round's changes and after its first wave,
which did not see it; its failures were read after that for the round's second wave. Set 12d
(heldout_paraphrases_12d.yaml) was written in round 12 by a new tester as a development set, like
10d and 11d. Set 12 (heldout_paraphrases_12.yaml) was written in round 12 by a fourth new tester
and measured before that round's changes and after its first wave, which did not see it; its
failures were read after that for the round's second wave. Set 13d
(heldout_paraphrases_13d.yaml) was written in round 13 by a new tester as a development set, like
12d; set 13e (heldout_paraphrases_13e.yaml) by another new tester, writing as a CRM lead who
mixes operations jargon in Chinese and growth-marketing English. Set 13
(heldout_paraphrases_13.yaml) was written in round 13 by a fifth new tester and measured before that
round's changes and after its first wave, which did not see it; its failures were read after that
for the round's second wave. Sets 14d, 14e and 14f were written in round 14 by three new
testers as development sets (a manager typing fast in chat; an agency analyst with long
multi-condition questions; a shop owner in plain words beside a CRM specialist's jargon); set
14 by a fourth, measured at the start and after the first wave, unseen, then read for the
second wave. Sets 15d, 15e and 15f (an executive preparing a business review; a lifecycle
manager with 私域 jargon; a data engineer and a finance partner checking definitions) and set 15
were written in round 15 in the same way as round 14's. Sets 16d, 16e and 16f (an after-sales lead
beside a category manager; a growth PM beside a data scientist; a founder dictating by voice beside
regional managers) are round 16's development sets, written by three new testers; set 16 (an
agency's account team relaying a brand's questions) was written by a fourth, measured unseen at the
start of round 16 and after its first wave, then committed and read for the second wave. Sets 17d,
17e and 17f (an offline-retail store manager typing Chinglish and O2O slang; BI and finance analysts
writing spec-like questions; a brand and content team typing on phones with campaign nicknames) are
round 17's development sets, written by three new testers who had not read the planner; set 17 (an
in-house CRM and lifecycle team checking reported numbers, a finance intern and a regional lead using
e-commerce slang) was written by a fourth, measured unseen at the start of round 17 and after its first
wave, then committed and read for the second wave. Sets 18d, 18e and 18f (an e-commerce operations team
with 淘系 jargon and pinyin; executives asking at length with opinions, preambles and chained follow-ups; a growth
team on experiments, models and campaign metrics) are round 18's development sets, written by three new testers
who had not read the planner; set 18 (an ordinary marketing department's week: a manager, a junior marketer who
describes what they want, a CRM specialist, an e-commerce operator and a director's short follow-ups) was written
by a fourth and measured unseen at the start of round 18, after its wave 0 (general coverage written before any
set of the round was read) and after its first wave. Sets 19b, 19c and 19d (people typing fast on a phone
with typos, dictation and pinyin slips; a marketing-science team stating definitions, exclusions and exact
periods; a Chinese 私域/CRM team and a Western retail consultant's jargon) are round 19's development sets,
written by three new testers who had not read the planner; set 19 (a small brand's team over a month: the
owner, a part-time analyst, a content writer, a customer-service lead and a bilingual intern) was written by a
fourth and measured unseen at the start of round 19 and after its first wave, then committed and read for the
second wave. Sets 20b, 20c and 20d (a cross-border team writing traditional and simplified Chinese,
Cantonese and code-switched English; a sales director, merchandiser, analyst and assistant asking in
comparisons, rankings and chained follow-ups; a CRM agency's campaign, copy, experiment and audience
people) are round 20's development sets, written by three new testers who had not read the planner; set
20 (a mid-size brand's marketing department over a quarter: a new manager, a performance marketer, a CRM
manager, a store-operations manager and a finance partner) was written by a fourth and measured unseen at
the start of round 20 and after its first wave, then committed. Set 21 (a small e-commerce growth team:
a growth analyst typing dashboard shorthand, a Chinese e-commerce operator with platform jargon and a brand
manager with long, chatty questions) was written by a new tester and measured unseen at the start and the
end of round 21's jargon sweep, then committed. Set 21b (a regional retail chain: an operations manager
comparing cities and periods, a CRM specialist pasting spreadsheet numbers, a finance analyst exact about
definitions and date formats) was written by another new tester during round 21 and measured unseen at the
round's start commit and at its end, then committed. Sets 22 (messages pasted into a Slack channel: a
director dictating by voice, colleagues quoting earlier messages with @mentions and emoji, a new hire using a
bank's or telecom's words) and 22b (a consumer-insights researcher thinking in demographics and a finance
controller precise about fiscal periods and definitions) were written by two new testers at the start of
round 22 and measured unseen at the round's start (faffe1fc) and at the end of its sweep (f63bd313), then
committed. Sets 23 (a DTC growth marketer writing analyst shorthand, and a private-domain operations lead
writing Chinese with English words mixed in) and 23b (an agency account manager writing formal report requests,
and a regional manager of the southern cities typing on a phone) were written by two new testers at the start
of round 23 and measured unseen at the round's start (93c41a3d) and at the end of its sweep (dec69e62), then
committed. Sets 24 (a UK retail marketing manager writing British retail English - takings, turnover, month on
month, this financial year - and a northern Chinese shop owner speaking colloquially by voice) and 24b (a
marketing-analytics student writing textbook exercises and a data analyst writing 需求单-style specs with 口径) were
written by two new testers at the start of round 24 and measured unseen at its start (8b465b21), midway (727c0d9a)
and at the end of its sweep (eb17eda7), then committed. Sets 25 (a US performance-marketing lead typing Slack
shorthand - MoM, blended ROAS, L90D - and a brand marketing manager writing formal 双十一/618 复盘 requests with 口径)
and 25b (a non-native English speaker writing Indian / Southeast-Asian office English - "kindly share", "week wise"
- and a Hong Kong / Taiwan colleague writing Traditional Chinese, a quarter of it Cantonese) were written by two
new testers at the start of round 25 and measured unseen at its start (7050eb8e) and after its first wave
(760b9c65), then committed. Sets 25c (an e-commerce merchandiser thinking in products, units and slow
movers, and a 抖音/天猫 store operator writing casual platform slang: 动销, 连带率, 爆款) and 25d (a CMO asking long,
hedged, multi-part questions and challenging answers, and regional store managers dictating by voice with Chinese
numerals and fillers) were written by two more new testers during round 25 and measured unseen at its start
(7050eb8e) and after its second wave (1ac17e99), then committed. Sets 26 (a BI analyst writing half-SQL -
group by, where x = y, snake_case names - and a finance business partner writing formal 口径 requests with numbered
sub-questions), 26b (European marketing interns' English - "how much clients", "since 3 months", 3.400 - and a
小红书 content operator typing on a phone with spaces for commas), 26c (a CRM / lifecycle manager and a department
store's 会员中心 manager dictating) and 26d (a DTC founder typing lowercase on a phone, and a category manager using
pinyin initials and acronyms inside Chinese) were written by four new testers at the start of round 26 and measured
at its start (97f35b9d); 26 and 26b were then read for development, 26c and 26d stayed unseen until the round's
end (d5f92543), then all four were committed. Sets 27 (a marketing-ops user talking to the Slack bot - "@copilot",
quoted colleagues, "^ that but by city" - and a store manager using voice input with fillers, spoken numbers and
self-corrections), 27b (Singapore / Indian business English - "kindly revert", "can or not" - and Hong Kong /
Taiwan managers writing Traditional Chinese with regional words and Cantonese), 27c (a marketing-automation
specialist speaking in flows and boolean audiences, and a brand director writing formal 周报 requests) and 27d (a
product manager with a statistics background, and an intern writing internet slang and emoji) were written by
four new testers at the start of round 27 and measured at its start (c9c9c8b0); 27 and 27b were then read for
development, 27c and 27d stayed unseen until the round's end (af0c4d25), then all four were committed. `--file`
runs a file in the same schema that is not in the repository yet.

The demo store is the one `copilot eval` builds (2000 customers, seed 42) and
relative periods count from the day after the demo data (2026-11-01).
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from dataclasses import asdict
from pathlib import Path

_HERE = Path(__file__).parent


def _set_file(name: str) -> Path:
    """The file of held-out set `name`: set 1 is heldout_paraphrases.yaml, set N heldout_paraphrases_N.yaml."""
    suffix = "" if name == "1" else f"_{name}"
    return Path(__file__).with_name(f"heldout_paraphrases{suffix}.yaml")


def _set_names() -> list[str]:
    """Every set committed next to this module, so a new set needs no edit here."""
    names = [
        p.stem.removeprefix("heldout_paraphrases").lstrip("_") or "1"
        for p in _HERE.glob("heldout_paraphrases*.yaml")
    ]
    return sorted(names, key=lambda n: (int(re.match(r"\d+", n).group()), n))


def main() -> None:
    """Build the store, ask every held-out case, print the summary (and failures)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--title", default="held-out paraphrases")
    parser.add_argument("--failures", action="store_true", help="List every wrong case.")
    parser.add_argument("--json", type=Path, help="Also write every verdict to this file.")
    parser.add_argument("--only", help="Run only cases whose id starts with this prefix.")
    parser.add_argument(
        "--set",
        choices=_set_names(),
        default="1",
        help="A held-out set: 1 (default) to 14, or a development set (10d, 11d, 12d, 13d ...).",
    )
    parser.add_argument(
        "--file",
        type=Path,
        help="Another held-out file in the same schema (overrides --set), e.g. a sealed set "
        "kept outside the repository until it has been measured.",
    )
    options = parser.parse_args()

    from copilot.agent import Copilot
    from copilot.evaluation.heldout import (
        failures_markdown,
        load_heldout,
        run_heldout,
        summary_markdown,
    )
    from copilot.evaluation.runner import evaluation_as_of
    from copilot.settings import get_settings
    from knowledge.demo import generate_demo_data
    from knowledge.store import connect_store
    from tools.periods import Periods

    prefixes = tuple(options.only.split(",")) if options.only else ("",)
    path = options.file or _set_file(options.set)
    cases = [c for c in load_heldout(path) if c["id"].startswith(prefixes)]
    with tempfile.TemporaryDirectory(prefix="copilot-heldout-") as home:
        url = f"duckdb:///{Path(home) / 'store.duckdb'}"
        engine = connect_store(url)
        generate_demo_data(engine, customers=2000, seed=42)
        settings = get_settings().model_copy(
            update={
                "home": Path(home),
                "as_of": evaluation_as_of(),
                "database_url": url,
                "llm_provider": "offline",
            }
        )
        copilot = Copilot(settings, engine=engine)
        results = run_heldout(copilot, cases, Periods(copilot.context))
        engine.dispose()
    print(summary_markdown(results, options.title))
    if options.failures:
        print(failures_markdown(results))
    if options.json:
        options.json.write_text(
            json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1, default=str),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
