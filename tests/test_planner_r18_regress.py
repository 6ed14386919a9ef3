"""Round 18, wave 2 (regress): members beside a money or order figure.

The store records no membership and guest lines count in revenue and orders but have no
customer (MARKETING.md), so a bare 会员 / "members" beside such a figure is asked back. Where
the question also restricts to a customer attribute (city, gender, age, signup channel, a
segment), or asks a per-person or a campaign figure, guests are out anyway: the members are
the customers and the figure is answered.
"""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args


# 1. Restricted by a customer attribute: members are those customers; the figure answered.
@pytest.mark.parametrize(
    ("question", "metric", "dimension"),
    [
        ("杭州会员今年下了多少单", "orders", "city"),
        ("女性会员上个月的销售额是多少", "revenue", "gender"),
        ("revenue from female members in Q3", "revenue", "gender"),
        ("Shenzhen members: number of orders last month", "orders", "city"),
    ],
)
def test_members_restricted_by_a_customer_attribute_are_the_customers(
    planner: OfflinePlanner, question: str, metric: str, dimension: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric]
    assert args["filters"].get(dimension), args


# 2. A per-person figure counts customers only: members there are the customers.
@pytest.mark.parametrize(
    "question", ["今年每个会员平均花了多少钱", "average spend per member this year"]
)
def test_members_beside_a_per_person_figure_are_the_customers(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"][0] == "revenue_per_buyer"


# 3. Near miss: the bare word beside money or orders, nothing restricting to customers, stays
#    asked back naming the word (guests' orders are in the figure).
@pytest.mark.parametrize(
    "question",
    [
        "会员今年一共贡献了多少销售额",
        "上个月会员下了多少单",
        "how much did members spend with us last quarter",
        "members' orders in September",
    ],
)
def test_bare_members_beside_money_or_orders_are_asked_back(
    planner: OfflinePlanner, question: str
) -> None:
    reply = asked_back(planner, question)
    assert "会员" in reply or "member" in reply.lower(), reply


# 4. A campaign figure's people are its recipients (customers): members there are no
#    restriction the store lacks; a kind of member the store does not record still is.
def test_members_beside_a_campaign_figure_are_the_recipients(planner: OfflinePlanner) -> None:
    assert query_args(planner, "发给会员的短信点击率")["metrics"] == ["ctr"]
    reply = asked_back(planner, "金卡会员上个月的销售额")
    assert "金卡" in reply, reply
