"""A store value to leave out ("excluding Shanghai", "除了上海以外") is query_metrics' `exclude`;
anything else left out is asked about, never read as the filter itself (which answers the
opposite question) nor dropped (the whole store)."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("revenue excluding Shanghai last month", {"metrics": ["revenue"], "city": ["上海"]}),
        ("orders last quarter except for the app", {"metrics": ["orders"], "channel": ["app"]}),
        ("AOV this year other than Beijing", {"metrics": ["aov"], "city": ["北京"]}),
        ("上个月除了上海以外的销售额", {"metrics": ["revenue"], "city": ["上海"]}),
        ("今年不含小程序的订单数", {"metrics": ["orders"], "channel": ["mini_program"]}),
        # A frame closed by its own word ("撇开…不谈", "除去…不算"): the closing word is the frame's.
        ("撇开北京不谈，今年的客单价", {"metrics": ["aov"], "city": ["北京"]}),
        ("除去小程序不算，上季度订单数", {"metrics": ["orders"], "channel": ["mini_program"]}),
        # A value negated in place ("non-skincare", "非护肤品") is left out too.
        (
            "sales of non-skincare items during Q2",
            {"metrics": ["revenue"], "category": ["skincare"]},
        ),
        ("去年非护肤品类的订单数", {"metrics": ["orders"], "category": ["skincare"]}),
        # Wordings of round 10: several values, the dimension named after the value, a
        # ranking and a breakdown kept from the rest of the question.
        (
            "what was revenue last month excluding Shanghai and Beijing",
            {"metrics": ["revenue"], "city": ["上海", "北京"]},
        ),
        (
            "revenue outside the app channel last month",
            {"metrics": ["revenue"], "channel": ["app"]},
        ),
        ("不含护肤品类的订单数", {"metrics": ["orders"], "category": ["skincare"]}),
        (
            "除了上海和北京以外，上个月的销售额是多少",
            {"metrics": ["revenue"], "city": ["上海", "北京"]},
        ),
        (
            "top 3 cities by revenue this year excluding Shanghai",
            {"metrics": ["revenue"], "dimensions": ["city"], "limit": 3, "city": ["上海"]},
        ),
        (
            "revenue by channel last month, not counting skincare",
            {"metrics": ["revenue"], "dimensions": ["channel"], "category": ["skincare"]},
        ),
        (
            "上个月各渠道的销售额，剔除护肤品",
            {"metrics": ["revenue"], "dimensions": ["channel"], "category": ["skincare"]},
        ),
        # "but" after "all / every / any" leaves out ("but" alone only joins a clause)
        ("orders in Q2 from every city but Chengdu", {"metrics": ["orders"], "city": ["成都"]}),
        ("AOV this year, anything but the web", {"metrics": ["aov"], "channel": ["web"]}),
    ],
)
def test_a_store_value_to_leave_out_is_the_exclude_argument(
    planner: OfflinePlanner, question: str, expected: dict
) -> None:
    """The value left out is query_metrics' `exclude`, never its filter (the opposite
    question) nor dropped (the whole store); the rest of the question reads as without it."""
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back: {message.content}"
    (call,) = message.tool_calls
    args = call["args"]
    assert call["name"] == "query_metrics"
    assert args["metrics"] == expected["metrics"]
    assert args.get("dimensions", []) == expected.get("dimensions", [])
    assert args.get("limit") == expected.get("limit")
    left_out = {k: v for k, v in expected.items() if k not in ("metrics", "dimensions", "limit")}
    assert args["exclude"] == left_out
    assert not args.get("filters"), args


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # Something left out that is no store value, or more than values: asked back.
        ("revenue excluding returns last month", "excluding returns"),
        ("revenue excluding Atlantis last month", "excluding Atlantis"),
        ("除了上海老客以外的销售额", "除了上海老客以外"),
        ("上个月除了亚特兰蒂斯以外的销售额", "除了亚特兰蒂斯以外"),
    ],
)
def test_something_else_to_leave_out_is_asked_about(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls, f"answered {message.tool_calls}"
    assert named.lower() in str(message.content).lower()


@pytest.mark.parametrize(
    "question",
    [
        "revenue in Shanghai last month",
        "上个月上海的销售额",
        "orders through the app",
        "units of the non-stick frying pan sold in Q3",  # a value named with "non"
    ],
)
def test_a_plain_filter_is_still_answered(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls and message.tool_calls[0]["name"] == "query_metrics"


# A "review" that is no customer's review of a product (staff, code, essays) is refused,
# never answered with review_sentiment; customer reviews still are analysed.
@pytest.mark.parametrize(
    "question",
    [
        "write up my new designer's annual performance review",
        "could you do a code review of this script",
        "帮我写一份实习生的年度考核",
        "给下属写个绩效评价",
    ],
)
def test_reviews_that_are_not_customer_reviews_are_refused(question: str) -> None:
    from copilot.offline.planner import out_of_scope
    from copilot.offline.question import read_question
    from copilot.offline.values import ValueIndex

    assert out_of_scope(read_question(question, ValueIndex())) is not None
    assert (
        out_of_scope(
            read_question("what do customers complain about in their reviews", ValueIndex())
        )
        is None
    )


# The buyers of a value negated ("shoppers who haven't bought skincare", "没买过护肤品的顾客")
# are asked about like an exclusion: the value as a filter counts its buyers, the opposite.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("sales from shoppers who didn't buy skincare last month", "didn't buy skincare"),
        ("AOV of customers who have never ordered from the app", "never ordered from the app"),
        ("去年没买过护肤品的顾客的销售额", "没买过护肤品"),
        ("从未在小程序下单的客户贡献了多少订单", "从未在小程序下单"),
    ],
)
def test_buyers_of_a_negated_value_are_asked_about(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls, f"answered {message.tool_calls}"
    assert named.lower() in str(message.content).lower()


@pytest.mark.parametrize(
    "question",
    ["sales from shoppers who bought skincare last month", "去年买过护肤品的顾客的销售额"],
)
def test_buyers_of_a_value_are_still_answered(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls and message.tool_calls[0]["name"] == "query_metrics"


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("去年没有回购的顾客占多少", "没有回购"),
        ("10月份未转化的用户比例", "未转化"),
        ("percentage of customers who have not bought again since January", "not bought again"),
    ],
)
def test_a_rate_asked_the_other_way_round_is_asked_back(
    planner: OfflinePlanner, question: str, phrase: str
) -> None:
    """The share that did NOT buy again is the rate's complement: answering the rate itself
    would state the opposite figure."""
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    assert phrase in message.content


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("what share of 2025 shoppers bought again", "repurchase_rate"),
        ("去年的回购率", "repurchase_rate"),
        ("10月份的转化率", "conversion_rate"),
    ],
)
def test_the_rate_itself_is_still_answered(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls and message.tool_calls[0]["args"]["metrics"] == [metric]


@pytest.mark.parametrize(
    ("reader", "text", "found"),
    [
        ("exclusion", "revenue excluding Shanghai last month", "excluding Shanghai"),
        ("exclusion", "上个月除了上海以外的销售额", "除了上海以外"),
        ("exclusion", "revenue by city last month", None),
        ("negated_purchase", "customers who did not buy skincare", "did not buy skincare"),
        ("negated_purchase", "没买过护肤品的客户有多少", "没买过护肤品"),
        ("negated_purchase", "customers who bought skincare", None),
    ],
)
def test_the_exclusion_words_are_the_lexicons(reader: str, text: str, found: str | None) -> None:
    """The words that leave a value out, and a negated purchase, are reader_words of
    knowledge/lexicon.yaml (one vocabulary), read through vocabulary.reader_pattern."""
    from copilot.offline.vocabulary import reader_pattern

    match = reader_pattern(reader).search(text)
    assert (match.group(0).strip() if match else None) == found


def test_the_people_words_of_a_rule_question_are_the_lexicons() -> None:
    """A rule question names its people ("shoppers", "客户", 人 beside an order count) with
    the lexicon's reader_words, not a list in the audience reader."""
    from copilot.offline.question import Question
    from copilot.offline.vocabulary import reader_words

    people = reader_words("audience_people")
    assert {"shoppers?", "buyers?", "clients?", "客户"} <= set(people)
    assert reader_words("counted_people") == ("人",)
    assert Question("x", "en", "women who shopped twice").has(*people)
    assert not Question("x", "en", "revenue by month").has(*people)


# A value taken "out of the picture" is left out, and "everything else" / "the rest" beside
# it restates what is left; without a value left out, "everything else" is still asked about.
@pytest.mark.parametrize(
    ("question", "left_out"),
    [
        ("take the app out of the equation: orders in 2025 for all the rest", {"channel": ["app"]}),
        (
            "taking skincare out of the picture, what did everything else sell last month",
            {"category": ["skincare"]},
        ),
    ],
)
def test_a_value_taken_out_of_the_picture_and_the_rest(
    planner: OfflinePlanner, question: str, left_out: dict
) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back: {message.content}"
    assert message.tool_calls[0]["args"]["exclude"] == left_out


def test_everything_else_without_an_exclusion_is_asked_about(planner: OfflinePlanner) -> None:
    message = planner._plan("skincare and everything else revenue last month", [])
    assert not message.tool_calls, message.tool_calls
    assert "else" in message.content
