"""Round 10, kinds found with development set 10d's Chinese metric questions and
clarifications. Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. 男 / 女 before any customer noun names the gender: "男顾客" was read as all customers (the
#    stray character dropped), a different question.
@pytest.mark.parametrize(
    ("question", "gender"),
    [
        ("今年女顾客的客单价", "F"),
        ("上个月男会员的订单数", "M"),
        ("去年男用户的复购率", "M"),
        ("女买家上季度的销售额", "F"),
    ],
)
def test_a_gender_character_before_a_customer_noun_is_the_gender(
    planner: OfflinePlanner, question: str, gender: str
) -> None:
    assert _args(planner, question)["filters"] == {"gender": [gender]}
