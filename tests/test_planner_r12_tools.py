"""Round 12 (engineer dev12tools): kinds read from development set 12d's segment, profile,
churn, cross-sell, export and SQL questions. Every wording here is our own, not the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call as _call


# 1. Saved segments named as kept for later ("stashed", "put aside", "tucked away"): the
#    saved list, never a refusal.
@pytest.mark.parametrize(
    "question",
    [
        "which segments have we stashed so far?",
        "list the audiences I put aside",
        "show me the audiences we tucked away",
    ],
)
def test_kept_for_later_segments_are_the_saved_list(planner: OfflinePlanner, question: str) -> None:
    assert _call(planner, question) == ("list_segments", {})
