"""The kinds of question the offline planner understands, in the order they are tried.

More specific intents come first: a question about an A/B test also names a
metric, but it is not a plain metric question.
"""

from copilot.offline.intents.ab_tests import AB_SAMPLE_SIZE_INTENT, AB_TEST_INTENT
from copilot.offline.intents.audience import AUDIENCE_INTENTS
from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.intents.catalogue import read_catalogue_question, read_orders_question
from copilot.offline.intents.churn import CHURN_INTENT
from copilot.offline.intents.cohorts import COHORT_INTENT, FOLLOWED_COHORT_INTENT
from copilot.offline.intents.copy import COPY_INTENT
from copilot.offline.intents.cross_sell import CROSS_SELL_INTENT
from copilot.offline.intents.knowledge import KNOWLEDGE_DOCUMENT_INTENT, KNOWLEDGE_INTENT
from copilot.offline.intents.metrics import METRICS_INTENT
from copilot.offline.intents.ratings import read_rating_question
from copilot.offline.intents.segment_admin import (
    BEST_CHANNEL_INTENT,
    LIST_SEGMENTS_INTENT,
    REFRESH_SEGMENT_INTENT,
    read_count_question,
    read_describe_data,
)
from copilot.offline.intents.segments import PERSONAS_INTENT, RFM_INTENT
from copilot.offline.intents.sql_answers import write_describe_answer, write_sql_answer
from copilot.offline.intents.sql_requests import read_sql_request

# Offline, free SQL is limited to counts of customers or products by their attributes.
SQL_INTENT = Intent(tool="run_sql", read=read_count_question, write=write_sql_answer)
# Products by list price ("how many products cost over 500?"): the catalogue, not sales.
CATALOGUE_INTENT = Intent(
    tool="run_sql", read=read_catalogue_question, write=write_sql_answer, decisive=True
)
# The largest orders, the median order value, orders by hour: SQL over valid orders.
ORDERS_SQL_INTENT = Intent(
    tool="run_sql", read=read_orders_question, write=write_sql_answer, decisive=True
)
# A question that asks for SQL by name: run_sql, or asked back; never another tool's figure.
SQL_REQUEST_INTENT = Intent(
    tool="run_sql", read=read_sql_request, write=write_sql_answer, decisive=True
)
# A star rating asked as a figure (average, ranked): SQL over reviews, not review sentiment.
RATINGS_INTENT = Intent(
    tool="run_sql", read=read_rating_question, write=write_sql_answer, decisive=True
)
DESCRIBE_INTENT = Intent(tool="describe_data", read=read_describe_data, write=write_describe_answer)

INTENTS: list[Intent] = [
    COPY_INTENT,
    SQL_REQUEST_INTENT,
    AB_SAMPLE_SIZE_INTENT,
    AB_TEST_INTENT,
    DESCRIBE_INTENT,
    CATALOGUE_INTENT,
    ORDERS_SQL_INTENT,
    RATINGS_INTENT,
    KNOWLEDGE_DOCUMENT_INTENT,
    KNOWLEDGE_INTENT,
    LIST_SEGMENTS_INTENT,
    REFRESH_SEGMENT_INTENT,
    BEST_CHANNEL_INTENT,
    *AUDIENCE_INTENTS,
    CHURN_INTENT,
    FOLLOWED_COHORT_INTENT,
    COHORT_INTENT,
    CROSS_SELL_INTENT,
    PERSONAS_INTENT,
    RFM_INTENT,
    SQL_INTENT,
    METRICS_INTENT,
]

__all__ = ["INTENTS", "Intent", "PlannerContext"]
