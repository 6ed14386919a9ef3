"""Churn-prediction questions: reading them into predict_churn calls and writing the answer.

"Churn rate last month" is a metric (query_metrics); only questions that ask
who will churn, or for a prediction / score / risk, come here.
"""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.question import Question
from tools.base import ToolOutput

_PREDICTION_WORDS = (
    r"(?:likely|going|about|expected) to (?:churn|leave|lapse|stop buying|buy again|repurchase|come back|return)",
    r"(?:will|might|may|could) (?:churn|leave|lapse|buy again|repurchase)",
    r"churn (?:prediction|predictions|risk|risks|model|score|scores|probability|propensity|forecast)",
    r"predict(?:ed|ion|ing)? (?:churn|repurchase|who)",
    r"(?:churn|repurchase|buy again) (?:likelihood|propensity|probability)",
    r"at risk of (?:churning|leaving|lapsing)",
    r"who (?:is|are) (?:at risk|likely to)",
    r"win[- ]?back (?:list|targets|candidates)",
    r"which customers (?:are|will be) (?:about to|going to|likely to) (?:churn|leave|lapse)",
    r"(?:churn|leave|lapse) soon",
    "快要流失",
    r"won'?t (?:order|buy|come back|purchase)",
    r"(?:stop|stopped) (?:ordering|buying)",
    "快不来买",
    "不来买了",
    "流失预警",
    "有流失风险",
    "哪些.{0,6}有风险",
    "快流失",
    "即将流失",
    "要流失",
    "哪些客户.{0,4}流失",
    "可能流失",
    "会流失",
    "将要流失",
    "流失预测",
    "预测流失",
    "流失风险",
    "流失概率",
    "流失可能",
    "预测复购",
    "复购预测",
    "复购概率",
    "复购可能",
    "可能复购",
    "会复购",
    "再次购买的可能",
    "可能再次购买",
    "可能回购",
)
_HORIZON = re.compile(
    r"(?:next|coming|following)\s+(\d{1,3})\s+days|未来\s*(\d{1,3})\s*天|(\d{1,3})\s*天内"
)


def read_churn_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """predict_churn arguments for "who is likely to churn?" / "预测复购", else None."""
    raw = question.raw.lower()
    if not any(re.search(_pattern(w), raw) for w in _PREDICTION_WORDS):
        return None
    args: dict[str, Any] = {}
    match = _HORIZON.search(raw)
    if match:
        days = int(next(g for g in match.groups() if g))
        if 7 <= days <= 365:
            args["horizon_days"] = days
    return args


def _pattern(word: str) -> str:
    return word if re.search(r"[\u4e00-\u9fff]", word) else rf"(?<![a-z]){word}(?![a-z])"


def write_churn_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """Model quality against the baseline, the risk groups, the drivers and a next step."""
    data = output.data
    v = data["validation"]
    bands = data["bands"]
    drivers = data["drivers"]
    better = data["beats_baseline"]
    if language == "zh":
        lines = [
            f"截至 {data['as_of']}，共为 {data['scored_customers']:,} 位客户预测了未来 "
            f"{data['horizon_days']} 天的流失概率（未来 {data['horizon_days']} 天没有有效订单即视为流失）：",
            f"- 高风险（流失概率 ≥ {data['thresholds']['high']:.0%}）：{bands['high']:,} 人，其中 "
            f"{data['high_risk_active']:,} 人近 {data['thresholds']['active_days']} 天内还下过单",
            f"- 中风险：{bands['medium']:,} 人；很可能再次购买（流失概率 < "
            f"{data['thresholds']['low']:.0%}）：{data['likely_to_buy_again']:,} 人",
            f"- 跨期验证（{data['train_cutoff']} 训练，{data['test_cutoff']} 检验）：模型 AUC "
            f"{v['model_auc']:.3f}，仅按最近购买天数的基准 AUC {v['baseline_auc']:.3f}"
            f"（{'模型更好' if better else '模型没有超过基准，请谨慎使用'}）；前 10% 客户的提升度 "
            f"{v['model_lift']:.2f}（基准 {v['baseline_lift']:.2f}）",
        ]
        if drivers:
            lines.append("- 主要因素：" + "；".join(d["text_zh"] for d in drivers))
        lines.append(
            "\n下一步：导出近期仍活跃的高风险客户，做一次短信挽回活动（只发给同意接收短信的客户），"
            "并保留一个对照组衡量效果。"
        )
        return "\n".join(lines)
    lines = [
        f"Churn risk for the next {data['horizon_days']} days, scored for "
        f"{data['scored_customers']:,} customers as of {data['as_of']} (churned = no valid "
        f"order in the next {data['horizon_days']} days):",
        f"- high risk (p >= {data['thresholds']['high']:.0%}): {bands['high']:,} customers, "
        f"{data['high_risk_active']:,} of whom ordered in the last "
        f"{data['thresholds']['active_days']} days",
        f"- medium risk: {bands['medium']:,}; likely to buy again (p < "
        f"{data['thresholds']['low']:.0%}): {data['likely_to_buy_again']:,}",
        f"- out-of-time check (trained at {data['train_cutoff']}, tested at "
        f"{data['test_cutoff']}): model AUC {v['model_auc']:.3f} vs {v['baseline_auc']:.3f} for "
        f"a recency-only baseline ({'the model is better' if better else 'the model does not beat the baseline: use with care'}); "
        f"top-decile lift {v['model_lift']:.2f} vs {v['baseline_lift']:.2f}",
    ]
    if drivers:
        lines.append("- drivers: " + "; ".join(d["text_en"] for d in drivers))
    lines.append(
        "\nNext: export the high-risk customers who still ordered recently for a win-back SMS "
        "(SMS-consented only), and keep a holdout group to measure it."
    )
    return "\n".join(lines)


CHURN_INTENT = Intent(tool="predict_churn", read=read_churn_question, write=write_churn_answer)
