"""The kinds of question the offline planner understands, in the order they are tried.

More specific intents come first: a question about an A/B test also names a
metric, but it is not a plain metric question.
"""

from copilot.offline.intents.ab_tests import AB_SAMPLE_SIZE_INTENT, AB_TEST_INTENT
from copilot.offline.intents.audience import AUDIENCE_INTENTS
from copilot.offline.intents.base import Intent, PlannerContext, never_planned
from copilot.offline.intents.churn import CHURN_INTENT
from copilot.offline.intents.cohorts import COHORT_INTENT
from copilot.offline.intents.copy import COPY_INTENT
from copilot.offline.intents.cross_sell import CROSS_SELL_INTENT
from copilot.offline.intents.knowledge import KNOWLEDGE_INTENT
from copilot.offline.intents.metrics import METRICS_INTENT
from copilot.offline.intents.sql_answers import write_describe_answer, write_sql_answer

# Free SQL needs a model that writes SQL; offline, these only write the answers.
SQL_INTENT = Intent(tool="run_sql", read=never_planned, write=write_sql_answer)
DESCRIBE_INTENT = Intent(tool="describe_data", read=never_planned, write=write_describe_answer)

INTENTS: list[Intent] = [
    COPY_INTENT,
    AB_SAMPLE_SIZE_INTENT,
    AB_TEST_INTENT,
    KNOWLEDGE_INTENT,
    CHURN_INTENT,
    *AUDIENCE_INTENTS,
    COHORT_INTENT,
    CROSS_SELL_INTENT,
    METRICS_INTENT,
    SQL_INTENT,
    DESCRIBE_INTENT,
]

__all__ = ["INTENTS", "Intent", "PlannerContext"]
