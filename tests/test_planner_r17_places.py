"""Round 17, places, channels and other filter values: the order channel's everyday words
(offline, 线下, "in our stores", online = every channel but the store, a mistyped "mini
program"), the asker's own role ("I'm the store manager") that is no filter, region groups
(江浙沪, 沪深, "Pearl River Delta") read as one list of places, a municipality beside
provinces, a value left out by words after it ("Hangzhou not count"), the rest of the
country, ordinary Chinese words holding one character of a place's short name (东西, 维度,
并列, 左右, 预热) that are no place, two channel values set against each other as a
breakdown, a value set against the rest of its dimension, gender words, and dimensions the
store lacks (foot traffic, walk-ins, payment method) asked back by name. Every wording here
is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args


def _reply(planner: OfflinePlanner, question: str) -> str:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    return str(message.content)


# 1. The store channel's everyday words: offline, 线下, in our stores, at our stores, 到门店.
@pytest.mark.parametrize(
    "question",
    [
        "how many orders did we take offline last month",
        "offline net sales for Q3 please",
        "线下上个月卖了多少钱",
        "上个月线下的订单数",
        "AOV in our stores last quarter",
        "revenue at our stores this year, roughly",
        "上个月到门店买单的顾客下了多少单",
    ],
)
def test_store_channel_words_filter_the_store_channel(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args.get("filters", {}).get("channel") == ["store"], args


# 1b. Online is every channel but the store: the store left out, one total.
@pytest.mark.parametrize(
    "question",
    [
        "online revenue last quarter",
        "how many online orders did we get last month",
        "线上上个月的订单数",
        "线上渠道今年的销售额",
        "Q3 net sales online only (online = all channels except the physical shop)",
    ],
)
def test_online_is_every_channel_but_the_store(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args.get("exclude", {}).get("channel") == ["store"], args
    assert "channel" not in (args.get("filters") or {}), args
    assert "dimensions" not in args, args


# 1c. A mistyped mini program is the mini_program channel.
@pytest.mark.parametrize(
    "question",
    [
        "mini progam orders last month",
        "revenue thru the miniprogram this year",
        "微信小程序上个月的销售额",
    ],
)
def test_mistyped_mini_program_is_the_channel(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args.get("filters", {}).get("channel") == ["mini_program"], args


# 1d. The asker's role ("I'm the store manager", "我是店长") is about the asker: no filter.
@pytest.mark.parametrize(
    "question",
    [
        "hello, i'm the store manager here - what was revenue last month?",
        "I am a new CRM marketer, how many orders in September?",
        "as the regional manager I need net sales for Q3",
        "我是店长，上个月总销售额多少",
    ],
)
def test_asker_role_is_no_filter(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert "channel" not in (args.get("filters") or {}), args


def test_asker_role_keeps_a_channel_said_of_the_data(planner: OfflinePlanner) -> None:
    # near miss: the role set aside, the store channel said of the sales stays a filter
    args = query_args(planner, "im store manager, our store channel revenue in October?")
    assert args["filters"]["channel"] == ["store"], args


# 2. Region groups: one list of places, a filter or an exclusion of them all.
@pytest.mark.parametrize(
    ("question", "dimension", "values"),
    [
        ("江浙沪上个月的销售额", "province", {"江苏", "浙江", "上海"}),
        ("今年江浙沪地区的订单数按省份看", "province", {"江苏", "浙江", "上海"}),
        ("Jiangsu-Zhejiang-Shanghai AOV last quarter", "province", {"江苏", "浙江", "上海"}),
        ("沪深两地上个月的退货金额", "city", {"上海", "深圳"}),
        ("net sales in the Pearl River Delta this year", "city", {"广州", "深圳"}),
        ("成渝两地今年的购买人数", "city", {"成都", "重庆"}),
    ],
)
def test_region_group_is_one_list_of_places(
    planner: OfflinePlanner, question: str, dimension: str, values: set[str]
) -> None:
    args = query_args(planner, question)
    assert set(args["filters"][dimension]) == values, args
    assert len(args["filters"]) == 1 or "channel" in args["filters"], args


def test_region_group_left_out(planner: OfflinePlanner) -> None:
    args = query_args(planner, "今年除了江浙沪以外其他地方的销售额合计")
    assert set(args["exclude"]["province"]) == {"江苏", "浙江", "上海"}, args


# 2b. A municipality named beside provinces is a province in the same list (a city filter
#     beside a province filter would leave no buyer).
@pytest.mark.parametrize(
    "question",
    [
        "浙江和上海今年的销售额",
        "revenue for Jiangsu, Zhejiang and Shanghai this year",
        "上海、江苏两地上季度订单数",
    ],
)
def test_municipality_beside_provinces_is_a_province(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert "上海" in args["filters"]["province"], args
    assert "city" not in args["filters"], args


def test_city_inside_a_province_stays_a_city(planner: OfflinePlanner) -> None:
    # near miss: 杭州 is no province; city and province both stay as said
    args = query_args(planner, "浙江的杭州今年的销售额")
    assert args["filters"].get("city") == ["杭州"], args


# 2c. A value left out by words after it, in every position.
@pytest.mark.parametrize(
    "question",
    [
        "Zhejiang AOV this year, Hangzhou not count",
        "zhejiang province revenue this year but hangzhou doesn't count",
        "浙江今年的客单价，杭州不算",
        "浙江今年的客单价 杭州除外",
        "Zhejiang net sales this year, leave Hangzhou out",
    ],
)
def test_value_left_out_by_words_after_it(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["exclude"]["city"] == ["杭州"], args
    assert "city" not in args["filters"], args
    assert args["filters"]["province"] == ["浙江"], args


# 2d. "the rest of the country" beside values left out: one total of the rest.
@pytest.mark.parametrize(
    "question",
    [
        "revenue last month for all cities except 上海 and 北京 - rest of country, one number",
        "H2 2025 orders excluding Beijing and Shanghai, i.e. the rest-of-country total",
    ],
)
def test_rest_of_the_country_is_one_total(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert set(args["exclude"]["city"]) == {"上海", "北京"}, args
    assert "dimensions" not in args, args


@pytest.mark.parametrize(
    "question",
    [
        "net sales Q3 for every city except Beijing and Shanghai - one figure pls",
        "orders last month, each channel except store, combined",
        "every city apart from 上海 and 北京, revenue this year as a single number",
    ],
)
def test_every_value_but_some_with_one_figure_is_one_total(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args["exclude"], args
    assert "dimensions" not in args, args


def test_each_value_but_some_keeps_its_rows(planner: OfflinePlanner) -> None:
    # near miss: no word of one figure: a row per remaining city
    args = query_args(planner, "Q3 orders for each city excluding Shenzhen")
    assert args["dimensions"] == ["city"], args


# 3. Ordinary words holding one character of a place's short name are no place.
@pytest.mark.parametrize(
    "question",
    [
        "上个月来门店买东西的人 人均消费多少",
        "今年按省份和性别两个维度看购买人数",
        "今年城市销售额前三，并列的话都列出来",
        "上个月订单数大概多少，三千左右吗",
        "今年双11预热的时候销售额多少",
    ],
)
def test_ordinary_words_are_no_place(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    text = str(message.content)
    assert "哪个地方" not in text and "没有这个地方" not in text, text


@pytest.mark.parametrize("word", ["东西", "维度", "并列", "左右", "预热", "打开", "东方", "南北"])
def test_common_word_is_never_asked_about_as_a_place(planner: OfflinePlanner, word: str) -> None:
    message = planner._plan(f"上个月{word}的销售额", [])
    text = str(message.content)
    assert "哪个地方" not in text and "没有这个地方" not in text, text


@pytest.mark.parametrize(
    ("question", "word"), [("上个月拉萨的销售额", "拉萨"), ("昆山市的客户今年订单数", "昆山市")]
)
def test_real_place_outside_the_store_is_still_asked_about(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    # near miss: a real place name the store lacks is asked back, naming it
    assert word in asked_back(planner, question)


# 4. Two values of one list set against each other: one row each; a list alone: one total.
@pytest.mark.parametrize(
    "question",
    [
        "10月门店销售额跟小程序差多少",
        "苏州南京 今年护肤 门店vs小程序 净销售额",
        "app versus web AOV in Shanghai and Beijing last quarter",
        "门店和小程序上个月订单数相差多少",
    ],
)
def test_channels_set_against_each_other_are_a_breakdown(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["channel"], args


def test_channel_list_alone_is_one_total(planner: OfflinePlanner) -> None:
    # near miss: a list with no word setting them apart stays one total (round 16's rule)
    args = query_args(planner, "门店和小程序上个月一共卖了多少")
    assert "dimensions" not in args, args


# 4b. A value set against the rest of its dimension: every value side by side.
@pytest.mark.parametrize(
    "question",
    [
        "门店今年的客单价比线上高吗，高不高",
        "store vs online return rate this year",
        "线上线下今年销售额对比",
        "今年门店退货率跟线上比怎么样",
    ],
)
def test_value_against_the_rest_is_the_breakdown(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["channel"], args
    assert "channel" not in (args.get("filters") or {}), args
    assert "channel" not in (args.get("exclude") or {}), args


# 5. Gender words.
@pytest.mark.parametrize(
    "question",
    [
        "gents vs ladies orders last month",
        "AOV for the lads and the ladies last quarter",
        "女顾客和男顾客上个月的客单价对比",
        "women vs men net sales this year",
    ],
)
def test_gender_words_are_the_gender_breakdown(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["gender"], args


# 6. A dimension the store lacks is asked back naming it.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("walk-ins vs members, who spent more last month", "walk-in"),
        ("footfall at the Wuhan shop in September?", "footfall"),
        ("what was the foot-fall conversion last week", "foot-fall"),
        ("上个月门店客流量多少", "客流"),
        ("orders paid with alipay last month?", "payment"),
        ("Oct orders split by payment method pls", "payment"),
        ("上个月微信支付和支付宝的订单各多少", "支付"),
    ],
)
def test_missing_dimension_is_named(planner: OfflinePlanner, question: str, word: str) -> None:
    assert word.lower() in _reply(planner, question).lower()


def test_web_traffic_stays_web_traffic(planner: OfflinePlanner) -> None:
    # near miss: site visits are the web traffic, not foot traffic
    text = _reply(planner, "website traffic last month")
    assert "web traffic" in text and "foot" not in text, text


# 7. Buyers said by their buying spend: the revenue, never the campaign cost.
@pytest.mark.parametrize(
    "question",
    [
        "今年女顾客在门店买护肤品花了多少",
        "上个月男顾客买运动用品一共花了多少钱",
        "customers in Chengdu, how much they spend on the app this year?",
    ],
)
def test_buyers_spending_is_revenue(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"][0] == "revenue", args


def test_campaign_spending_stays_the_cost(planner: OfflinePlanner) -> None:
    # near miss: the store spending on its campaigns is the cost
    args = query_args(planner, "上个月短信活动花了多少钱")
    assert args["metrics"] == ["cost"], args
