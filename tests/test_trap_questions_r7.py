"""Round-7 trap questions (tests/data/trap_questions_r7.yaml), kept as a test.

Each case is asked through the offline copilot on the evaluation's demo store (2000
customers, seed 42, today 2026-11-01) and judged by the held-out judge
(`copilot.evaluation.heldout.judge_turn`): the right reading, the right question back,
or a refusal. A case still read wrong carries `xfail: <reason>` in the file; it is
never deleted. A case marked xfail that starts passing fails the run (strict), so the
mark is removed when the kind behind it is fixed.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from copilot.evaluation.heldout import judge_turn, load_heldout

pytestmark = pytest.mark.slow

TRAPS = Path(__file__).parent / "data" / "trap_questions_r7.yaml"
CASES = load_heldout(TRAPS)


@pytest.fixture(scope="module")
def evaluation_copilot(tmp_path_factory):  # noqa: ANN001, ANN201 - (Copilot, Periods)
    from copilot.agent import Copilot
    from copilot.evaluation.runner import evaluation_as_of
    from copilot.settings import get_settings
    from knowledge.demo import generate_demo_data
    from knowledge.store import connect_store
    from tools.periods import Periods

    home = tmp_path_factory.mktemp("traps-r7")
    url = f"duckdb:///{home / 'store.duckdb'}"
    engine = connect_store(url)
    generate_demo_data(engine, customers=2000, seed=42)
    settings = get_settings().model_copy(
        update={
            "home": home,
            "as_of": evaluation_as_of(),
            "database_url": url,
            "llm_provider": "offline",
        }
    )
    copilot = Copilot(settings, engine=engine)
    yield copilot, Periods(copilot.context)
    engine.dispose()


def _xfail(reason: str | None) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


def test_the_trap_file_has_eighty_cases_half_in_each_language() -> None:
    assert len(CASES) >= 80
    assert len({c["id"] for c in CASES}) == len(CASES)
    english = sum(c["language"] == "en" for c in CASES)
    assert english == len(CASES) - english


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c["id"], marks=_xfail(c.get("xfail"))) for c in CASES],
)
def test_trap_question(case, evaluation_copilot) -> None:  # noqa: ANN001
    copilot, periods = evaluation_copilot
    answer = copilot.ask(case["question"], f"trap-{case['id']}-{uuid.uuid4().hex[:6]}")
    verdict = judge_turn(case["expect"], answer.tool_calls, answer.text, periods, "")
    calls = [(c.name, c.args) for c in answer.tool_calls]
    assert verdict.correct, f"{verdict.reason}; calls {calls}; answer {answer.text[:200]!r}"
