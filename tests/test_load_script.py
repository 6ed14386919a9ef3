"""benchmarks/load.py counts only real answers and reports first reply and result apart."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import load  # noqa: E402 - benchmarks/ on the path above


def test_only_an_answer_of_the_questions_own_tool_counts() -> None:
    answered = {"status": "answered", "error": None, "tool_calls": [{"name": "predict_churn"}]}
    assert load.verdict("predict_churn", answered) is None
    assert "instead of predict_churn" in load.verdict(
        "predict_churn", {**answered, "tool_calls": [{"name": "rfm_segments"}]}
    )
    # A reply with digits is not an answer when the Answer says otherwise.
    for status in ("clarify", "refused", "error", "running", "timeout"):
        reply = {**answered, "status": status, "answer": "Which of 3 segments?"}
        assert load.verdict("predict_churn", reply).startswith(f"status {status}")
    assert load.verdict("predict_churn", {**answered, "error": "store failed"})


def test_figures_separate_first_reply_and_result() -> None:
    tally = load.Tally()
    tally.answered["customer_personas"] = [
        load.Sample(1.0, 20.0, True),
        load.Sample(2.0, 30.0, True),
    ]
    tally.first_replies["customer_personas"] = [1.0, 2.0, 12.0]
    tally.failed["customer_personas"] = ["q: status clarify"]
    f = load.figures(tally, ["customer_personas"])
    assert (f["asked"], f["answered"], f["not_answered"], f["background"]) == (3, 2, 1, 2)
    assert f["first_max_s"] == 12.0 and f["first_within_target"] == 2
    assert f["result_max_s"] == 30.0 and f["result_p50_s"] == 25.0
    assert "mix metrics" in load.markdown(
        {
            "users": 1,
            "seconds": 1,
            "think_s": 0,
            "customers": 10,
            "mix": "metrics",
            "concurrency": 16,
            "load_before": (0.1, 0.1, 0.1),
            "load_after": (0.1, 0.1, 0.1),
            "warm_up_s": {},
            "tools": {"customer_personas": f},
            "all": f,
            "failure_samples": {},
        }
    )
