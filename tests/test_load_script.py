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


def test_server_side_stages_are_reported_beside_the_clients() -> None:
    tally = load.Tally()
    tally.first_replies["query_metrics"] = [2.0, 9.0]
    tally.answered["query_metrics"] = [load.Sample(2.0, 2.0, False), load.Sample(9.0, 15.0, True)]
    tally.server["query_metrics"] = [
        {"queue_s": 0.1, "slot_s": 0.2, "reply_s": 1.0, "client_s": 2.0},
        {"queue_s": 0.5, "slot_s": None, "reply_s": 4.0, "client_s": 9.0},
    ]
    f = load.figures(tally, ["query_metrics"])
    assert (f["server_first_p50_s"], f["first_p50_s"]) == (2.5, 5.5)
    stages = load.server_figures(tally, ["query_metrics"])["stages"]
    assert stages["slot"][2] == 1  # only questions a worker took before the reply
    assert stages["client - reply"][:1] == (3.0,)  # (1 + 5) / 2: the clients' own delay
    text = load.markdown(
        {
            "users": 2,
            "seconds": 1,
            "think_s": 0,
            "customers": 10,
            "mix": "metrics",
            "concurrency": 16,
            "wall_s": 10.0,
            "load_before": (0.1, 0.1, 0.1),
            "load_after": (0.1, 0.1, 0.1),
            "cpu_s": {"server": 5.0, "clients": 2.0},
            "warm_up_s": {},
            "tools": {"query_metrics": f},
            "all": f,
            "server_all": load.server_figures(tally, ["query_metrics"]),
            "probe": {"n": 3, "first": (1.0, 2.0), "server": (0.5, 0.9)},
            "failure_samples": {},
        }
    )
    assert "| reply ready (server-side first reply) | 2.50 |" in text
    assert "Probe (one client alone" in text and "server process 5 s (0.50 cores)" in text
