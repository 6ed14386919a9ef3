"""Deterministic demo data for the store, with structure worth finding.

Five hidden personas (see `personas.py`), Chinese festival seasonality
(`seasons.py`), a bilingual catalogue and Chinese cities (`catalog.py`),
campaigns with two A/B tests whose truth is known (`campaigns.py`) and
template reviews (`reviews.py`). `generate_demo_data` writes it all in one
transaction; `hidden_personas` gives the ground truth, never stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from knowledge.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from knowledge.demo.generate import DEMO_END_DATE, DemoSummary, generate_demo_data
    from knowledge.demo.personas import PERSONA_NAMES, hidden_personas

# Names load their submodule on first use (PEP 562): reading the demo note
# (`knowledge.demo.marker`) on every question must not load the generator.
_SUBMODULE_OF = {
    "DEMO_END_DATE": "generate",
    "DemoSummary": "generate",
    "generate_demo_data": "generate",
    "PERSONA_NAMES": "personas",
    "hidden_personas": "personas",
}


__getattr__ = lazy_exports(__name__, _SUBMODULE_OF)


__all__ = ["DEMO_END_DATE", "PERSONA_NAMES", "DemoSummary", "generate_demo_data", "hidden_personas"]
