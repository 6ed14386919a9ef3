"""Work a question repeats under load is done once per process (issue 17 item 8)."""

from __future__ import annotations

import numpy as np
import pytest

from copilot.offline import routing


def test_a_repeated_question_is_embedded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    routing.intent_classifier()  # loaded (or trained) with the real model, before the fake
    calls: list[list[str]] = []

    def fake_embed(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        vectors[:, len(calls) % 384] = 1.0  # a different unit vector per call
        return vectors

    monkeypatch.setattr(routing, "embed", fake_embed)
    routing._question_vector.cache_clear()
    try:
        first = routing.intent_probabilities("who is likely to churn?")
        again = routing.intent_probabilities("who is likely to churn?", {"predict_churn"})
        assert calls == [["who is likely to churn?"]]
        # The same vector, so the same scores (renormalised over the allowed intents).
        kept = {k: v for k, v in first.items() if k in {"predict_churn", routing.OUT_OF_SCOPE}}
        total = sum(kept.values())
        assert again == pytest.approx({k: v / total for k, v in kept.items()})
        routing.intent_probabilities("哪些客户可能流失？")
        assert len(calls) == 2  # another question is embedded
        with pytest.raises(ValueError):  # callers share the vector: it is read-only
            routing._question_vector("who is likely to churn?")[0] = 5.0
    finally:
        routing._question_vector.cache_clear()  # no fake vectors left for other tests
