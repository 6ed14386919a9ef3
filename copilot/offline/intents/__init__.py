"""The kinds of question the offline planner understands, in the order they are tried.

More specific intents come first: a question about an A/B test also names a
metric, but it is not a plain metric question.
"""

from copilot.offline.intents.ab_tests import AB_SAMPLE_SIZE_INTENT, AB_TEST_INTENT
from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.intents.metrics import METRICS_INTENT

INTENTS: list[Intent] = [AB_SAMPLE_SIZE_INTENT, AB_TEST_INTENT, METRICS_INTENT]

__all__ = ["INTENTS", "Intent", "PlannerContext"]
