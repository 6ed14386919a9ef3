"""Round-5 kinds of routing and argument filling (issue 11), each with this file's own
wordings in English and Chinese: which tool a question goes to, and what the call holds."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.intents.catalogue import literal_sql
from copilot.offline.planner import OfflinePlanner


def _call(planner: OfflinePlanner, question: str) -> tuple[str | None, dict[str, Any]]:
    message = planner._plan(question, [])
    if not message.tool_calls:
        return None, {"text": message.content}
    return message.tool_calls[0]["name"], message.tool_calls[0]["args"]


@pytest.mark.parametrize(
    "question",
    [
        "sort our customers into Champions, Loyal Customers and Hibernating and tell me how "
        "many are in each group",
        "bucket shoppers into champions vs at risk vs hibernating, sizes please",
        "把客户分成冠军客户、流失风险、沉睡客户这几类，各有多少人",
        "重要价值客户有多少人",
        "按RFM分一下，快流失的客户有多少人",
        "using RFM, how many customers are about to churn?",
    ],
)
def test_rfm_named_by_its_segments_or_outright_is_an_rfm_run(
    planner: OfflinePlanner, question: str
) -> None:
    assert _call(planner, question)[0] == "rfm_segments"


@pytest.mark.parametrize(
    "question",
    ["do an RFM analysis and save the groups", "做一下RFM分群并保存下来", "RFM please, keep them"],
)
def test_rfm_saved_when_asked(planner: OfflinePlanner, question: str) -> None:
    assert _call(planner, question) == ("rfm_segments", {"save": True})


@pytest.mark.parametrize(
    ("question", "k"),
    [
        ("group our members into 4 personas", 4),
        ("what kinds of buyers do we have, based on spending and channels?", None),
        ("按购买行为把用户聚成几类", None),
        ("我们的顾客按消费行为能分成哪几种人", None),
    ],
)
def test_behaviour_groups_are_personas(
    planner: OfflinePlanner, question: str, k: int | None
) -> None:
    name, args = _call(planner, question)
    assert name == "customer_personas"
    assert args.get("k") == k


@pytest.mark.parametrize(
    "question",
    [
        "what segments has the team made so far?",
        "人群包列表",
        "show me all audiences",
        "我们团队建了哪些分群",
    ],
)
def test_segment_lists(planner: OfflinePlanner, question: str) -> None:
    assert _call(planner, question)[0] == "list_segments"


@pytest.mark.parametrize(
    ("question", "sql"),
    [
        (
            "execute: select name_en, price from products order by price desc limit 5;",
            "select name_en, price from products order by price desc limit 5",
        ),
        ("帮我跑一下这个SQL select count(*) from orders", "select count(*) from orders"),
        (
            "SELECT city FROM customers WHERE gender = 'F'",
            "SELECT city FROM customers WHERE gender = 'F'",
        ),
        (
            "please run ```sql\nSELECT avg(total) AS avg_total FROM orders\n```",
            "SELECT avg(total) AS avg_total FROM orders",
        ),
    ],
)
def test_typed_sql_runs_as_typed(planner: OfflinePlanner, question: str, sql: str) -> None:
    assert _call(planner, question) == ("run_sql", {"sql": sql})


def test_english_select_is_not_sql() -> None:
    assert literal_sql("select the top products from last month") is None
    assert literal_sql("Select customers from Shanghai for a segment") is None


@pytest.mark.parametrize(
    ("question", "where", "counts"),
    [
        ("which items are priced under 100?", "price < 100", False),
        ("有多少商品价格在500元以上", "price >= 500", True),
        ("products between 200 and 300 yuan", "price BETWEEN 200 AND 300", False),
        ("价格低于50元的产品有哪些", "price < 50", False),
    ],
)
def test_catalogue_prices_are_sql_over_products(
    planner: OfflinePlanner, question: str, where: str, counts: bool
) -> None:
    name, args = _call(planner, question)
    assert name == "run_sql"
    assert f"FROM products WHERE {where}" in args["sql"]
    assert args["sql"].startswith("SELECT COUNT(*)") == counts


@pytest.mark.parametrize(
    ("question", "needle"),
    [
        (
            "show the 5 largest orders of 2025",
            "BETWEEN '2025-01-01' AND '2025-12-31' ORDER BY total DESC LIMIT 5",
        ),
        ("订单金额中位数是多少", "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY total)"),
        ("what are our peak ordering hours", "EXTRACT(HOUR FROM ordered_at)"),
        ("几点下单最多", "EXTRACT(HOUR FROM ordered_at)"),
    ],
)
def test_order_questions_without_a_metric_are_sql_over_valid_orders(
    planner: OfflinePlanner, question: str, needle: str
) -> None:
    name, args = _call(planner, question)
    assert name == "run_sql"
    assert needle in args["sql"]
    assert "status NOT IN ('cancelled', 'returned') AND total > 0" in args["sql"]


def test_a_relative_period_is_not_guessed_into_sql(planner: OfflinePlanner) -> None:
    name, args = _call(planner, "median order value last month")
    assert name != "run_sql" or "order_date" not in args.get("sql", "")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "text for Can't Lose Them: free gift with every order, ends Friday",
            {"segments": ["Can't Lose Them"], "channel": "sms", "deadline": "Friday"},
        ),
        (
            "email to Champions announcing the Robot Vacuum",
            {"segments": ["Champions"], "channel": "email", "product": "Robot Vacuum"},
        ),
        (
            "给流失风险客户的短信：护肤8折，周日截止",
            {"segments": ["At Risk"], "channel": "sms", "offer": "8折"},
        ),
        (
            "3 subject lines for a Champions email about the Down Jacket",
            {"segments": ["Champions"], "channel": "email", "variants": 3},
        ),
    ],
)
def test_terse_copy_briefs_are_copy(
    planner: OfflinePlanner, question: str, expected: dict[str, Any]
) -> None:
    name, args = _call(planner, question)
    assert name == "generate_copy"
    assert {k: args.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("question", "name", "definition"),
    [
        (
            "create an audience named Gadget Kings: people who spent over 5000 on electronics "
            "in 2025",
            "Gadget Kings",
            {"spend": {"min": 5000.0, "period": "2025", "categories": ["electronics"]}},
        ),
        (
            "新建分群 护肤大户：2025年在护肤上消费超过2000元的客户",
            "护肤大户",
            {"spend": {"min": 2000.0, "period": "2025年", "categories": ["skincare"]}},
        ),
        (
            "save people who bought the Yoga Mat but never bought Yoga Blocks (2) as a segment",
            None,
            {
                "purchases": [
                    {"products": ["Yoga Mat"]},
                    {"products": ["Yoga Blocks (2)"], "bought": False},
                ]
            },
        ),
        (
            "save women who opted in to sms as a segment",
            None,
            {"genders": ["F"], "consents": ["sms"]},
        ),
        (
            "定义一个分群：说英语的客户，最近90天下单2次以上",
            None,
            {"languages": ["en"], "orders": {"min": 2, "period": "最近90天"}},
        ),
    ],
)
def test_rule_segments_hold_every_condition(
    planner: OfflinePlanner, question: str, name: str | None, definition: dict[str, Any]
) -> None:
    tool, args = _call(planner, question)
    assert tool == "define_segment"
    assert args["definition"] == definition
    assert args.get("save", True) is True
    if name is not None:
        assert args["name"] == name
    else:  # no name given: one made from the definition, never the whole question
        assert 0 < len(args["name"]) <= 60 and args["name"] != question


def test_a_made_up_name_is_read_from_the_definition(planner: OfflinePlanner) -> None:
    _, args = _call(planner, "把买过扫地机器人的男性存成一个分群")
    assert args["name"] == "男性买过Robot Vacuum"


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "Women 18-30 Shanghai email consent no skincare 上个月 3+ orders"),
        ("zh", "女性18-30岁上海同意邮件上个月没买护肤品3+单"),
    ],
)
def test_a_made_up_name_speaks_the_answer_language(language: str, name: str) -> None:
    """The words of a generated segment name come from the message catalogue: every part
    in the answer's language, the stored values (a period said by the user) as written."""
    from copilot.offline.intents.rule_parts import generated_name

    definition = {
        "genders": ["F"],
        "min_age": 18,
        "max_age": 30,
        "cities": ["上海"],
        "consents": ["email"],
        "purchases": [{"categories": ["skincare"], "bought": False, "period": "上个月"}],
        "orders": {"min": 3},
    }
    assert generated_name(definition, language) == name
    assert generated_name({}, language) == ("New segment" if language == "en" else "新分群")
    spent = {"spend": {"min": 100.0, "categories": ["skincare"]}}
    assert generated_name(spent, language) == (
        "spent 100+ on skincare" if language == "en" else "护肤品消费100+"
    )


@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("买了瑜伽砖的人还买什么", "Yoga Blocks (2)"),
        ("what goes well with the Robot Vacuum?", "Robot Vacuum"),
        ("买唇线笔的一般还搭配买什么", "Lip Liner Pencil"),
    ],
)
def test_cross_sell_items_are_the_stores_products(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    assert _call(planner, question) == ("cross_sell_rules", {"item": item})


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("买了跑步机的人还会买什么", "跑步机"),
        ("what do people who buy surfboards also buy?", "surfboards"),
    ],
)
def test_an_item_the_store_lacks_is_asked_about(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    tool, args = _call(planner, question)
    assert tool is None and named in args["text"]


@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("which version won in the Double 11 2025 push test?", "Double 11 2025 - Push A/B"),
        (
            "did A or B do better in the Spring Festival 2026 email test",
            "Spring Festival 2026 - Email A/B",
        ),
        ("双11推送测试里A和B对比一下点击率", "Double 11 2025 - Push A/B"),
    ],
)
def test_store_ab_campaigns_are_ab_tests(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    name, args = _call(planner, question)
    assert name == "ab_test" and args["campaign"] == campaign


@pytest.mark.parametrize(
    "question",
    [
        "what's our strategy for At Risk customers",
        "rules for unsubscribe links in SMS",
        "沉睡客户的召回策略",
    ],
)
def test_playbook_questions_are_knowledge(planner: OfflinePlanner, question: str) -> None:
    assert _call(planner, question)[0] == "search_knowledge"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("best weekday and hour to push to Champions", {"segment": "Champions", "channel": "push"}),
        (
            "what day and time do At Risk customers open emails most",
            {"segment": "At Risk", "channel": "email"},
        ),
        ("流失风险客户几点打开邮件最多", {"segment": "At Risk", "channel": "email"}),
    ],
)
def test_send_time_by_day_and_hour(
    planner: OfflinePlanner, question: str, expected: dict[str, Any]
) -> None:
    name, args = _call(planner, question)
    assert name == "best_send_time"
    assert {k: args.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("question", "named", "listed"),
    [
        ("export the Gold Members segment for sms", "Gold Members", "Champions"),
        ("profile the big spenders segment", "big spenders", "Hibernating"),
        ("给我看看高端会员分群的画像", "高端会员", "冠军客户"),
    ],
)
def test_an_unknown_segment_is_asked_about_with_the_valid_names(
    planner: OfflinePlanner, question: str, named: str, listed: str
) -> None:
    tool, args = _call(planner, question)
    assert tool is None
    assert named in args["text"] and listed in args["text"]


@pytest.mark.parametrize(
    "question",
    [
        "推送标题最多几个字",
        "邮件主题行最多几个字",
        "how many characters can a push subject line have?",
    ],
)
def test_length_rules_of_copy_are_knowledge_not_copy(
    planner: OfflinePlanner, question: str
) -> None:
    assert _call(planner, question)[0] == "search_knowledge"


@pytest.mark.parametrize(
    ("question", "sql"),
    [
        (
            "show me the 3 priciest items",
            "SELECT name_en, name_zh, category, price FROM products WHERE price IS NOT NULL "
            "ORDER BY price DESC LIMIT 3",
        ),
        (
            "最便宜的五个商品",
            'SELECT name_en AS "英文名", name_zh AS "商品名", category AS "品类", price AS "价格" '
            "FROM products WHERE price IS NOT NULL ORDER BY price ASC LIMIT 5",
        ),
        (
            "how many products are there per category?",
            "SELECT category, COUNT(*) AS products FROM products GROUP BY category ORDER BY 2 DESC",
        ),
        (
            "各个品类分别有多少个产品",
            'SELECT category AS "品类", COUNT(*) AS "商品数" FROM products GROUP BY category '
            "ORDER BY 2 DESC",
        ),
    ],
)
def test_catalogue_listings(planner: OfflinePlanner, question: str, sql: str) -> None:
    assert _call(planner, question) == ("run_sql", {"sql": sql})


@pytest.mark.parametrize(
    ("question", "args"),
    [
        ("segment shoppers into 5 distinct personas", {"k": 5}),
        ("cluster customers with k between 3 and 5", {"k_min": 3, "k_max": 5}),
        ("按购买行为给客户聚类，k值在4到7之间", {"k_min": 4, "k_max": 7}),
    ],
)
def test_persona_k_and_its_range(
    planner: OfflinePlanner, question: str, args: dict[str, Any]
) -> None:
    assert _call(planner, question) == ("customer_personas", args)


@pytest.mark.parametrize(
    "question",
    [
        "if a customer buys the Yoga Mat, what should we recommend next?",
        "what pairs well with the Robot Vacuum",
    ],
)
def test_if_someone_buys_names_the_cross_sell_item(planner: OfflinePlanner, question: str) -> None:
    name, args = _call(planner, question)
    assert name == "cross_sell_rules" and args["item"] in ("Yoga Mat", "Robot Vacuum")


def test_a_language_said_in_chinese_is_a_condition(planner: OfflinePlanner) -> None:
    _, args = _call(planner, "把用中文、同意接收短信的女性存成一个分群")
    assert args["definition"] == {"genders": ["F"], "languages": ["zh"], "consents": ["sms"]}


@pytest.mark.parametrize(
    "question",
    [
        "how are our shoppers distributed over the RFM groups? headcount and share of revenue",
        "RFM分群的客户分布，以及各自的收入占比",
        "rfm segments: counts and revenue share per segment",
    ],
)
def test_distribution_over_rfm_segments_is_the_rfm_table(
    planner: OfflinePlanner, question: str
) -> None:
    assert _call(planner, question) == ("rfm_segments", {})


def test_a_metric_the_rfm_table_lacks_is_no_rfm_run(planner: OfflinePlanner) -> None:
    assert _call(planner, "average order value distribution across RFM segments")[0] != (
        "rfm_segments"
    )


@pytest.mark.parametrize(
    "question",
    [
        "group shoppers by recency/frequency/monetary and save them as segments",
        "split customers on recency & frequency & monetary value, then save the segments",
    ],
)
def test_rfm_spelt_out_with_separators_and_saved(planner: OfflinePlanner, question: str) -> None:
    assert _call(planner, question) == ("rfm_segments", {"save": True})


@pytest.mark.parametrize(
    "question",
    [
        "group our customers based on how recently and how often they buy and how much they spend",
        "split shoppers by last purchase date, number of orders and spending",
        "把客户按最近一次消费时间、消费频次、消费金额分层",
    ],
)
def test_rfm_described_by_its_three_parts_is_rfm(planner: OfflinePlanner, question: str) -> None:
    assert _call(planner, question) == ("rfm_segments", {})


@pytest.mark.parametrize(
    "question",
    [
        "what customer archetypes do we have?",
        "use machine learning to find shopper groups",
        "用算法把客户分成几类",
    ],
)
def test_archetypes_and_machine_learned_groups_are_personas(
    planner: OfflinePlanner, question: str
) -> None:
    assert _call(planner, question) == ("customer_personas", {})


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "ideal sending weekday for At Risk SMS, by click rate",
            {"segment": "At Risk", "channel": "sms", "metric": "click"},
        ),
        (
            "what's the best send hour for Champions push?",
            {"segment": "Champions", "channel": "push"},
        ),
    ],
)
def test_a_send_day_or_hour_is_a_send_time_of_the_rfm_segment(
    planner: OfflinePlanner, question: str, expected: dict[str, Any]
) -> None:
    # best_send_time finds an RFM segment as export / profile / copy do (computed when no
    # RFM run is saved): no "run RFM first" question back.
    assert _call(planner, question) == ("best_send_time", expected)


@pytest.mark.parametrize(
    "question",
    [
        "best send time for Champions emails, optimise for opens not clicks",
        "Champions邮件几点发最好？看打开率，不看点击",
    ],
)
def test_a_rate_set_aside_is_not_the_rate_a_send_time_optimises(
    planner: OfflinePlanner, question: str
) -> None:
    assert _call(planner, question) == (
        "best_send_time",
        {"segment": "Champions", "channel": "email"},  # open rate, the default
    )


def test_buyers_per_rfm_segment_stays_a_metric(tmp_path) -> None:  # noqa: ANN001
    """A metric by RFM segment is a metric question with a saved RFM run or without one
    (round 13: the tool runs the segmentation first, so the table is never empty). A store
    of its own either way: the session store has an RFM run or not depending on which tests
    ran before."""
    from knowledge.semantic import load_semantic_model
    from tests.conftest import AS_OF, own_store_planner
    from tools import ToolContext, rfm_segments

    def save_an_rfm_run(engine) -> None:  # noqa: ANN001
        rfm_segments(ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF))

    (tmp_path / "with").mkdir()
    (tmp_path / "without").mkdir()
    with_run = own_store_planner(tmp_path / "with", save_an_rfm_run)
    assert _call(with_run, "number of buyers per RFM segment")[0] == "query_metrics"
    without_run = own_store_planner(tmp_path / "without")
    assert _call(without_run, "number of buyers per RFM segment")[0] == "query_metrics"


@pytest.mark.parametrize(
    ("question", "k"),
    [
        ("把顾客聚为4群，描述一下每一群", 4),
        ("把会员聚成六类", 6),
        ("cluster our members into 5 groups and describe each one", 5),
    ],
)
def test_clustering_verbs_with_a_number_are_personas(
    planner: OfflinePlanner, question: str, k: int
) -> None:
    assert _call(planner, question) == ("customer_personas", {"k": k})


@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("帮我看看At Risk人群的客户画像", "At Risk"),
        ("想要一份Champions的画像", "Champions"),
        ("为Potential Loyalists做一个用户画像", "Potential Loyalists"),
        ("帮Loyal Customers出一份用户画像", "Loyal Customers"),
    ],
)
def test_a_portrait_of_a_named_segment_is_its_profile(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    assert _call(planner, question) == ("profile_segment", {"segment": segment})


def test_a_portrait_without_a_segment_stays_personas(planner: OfflinePlanner) -> None:
    assert _call(planner, "帮我做一下客户画像")[0] == "customer_personas"


def test_rfm_saved_as_segments_in_chinese(planner: OfflinePlanner) -> None:
    assert _call(planner, "用RFM给会员分层，结果存成分群") == ("rfm_segments", {"save": True})
