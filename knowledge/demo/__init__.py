"""Deterministic demo data for the store, with structure worth finding.

Five hidden personas (see `personas.py`), Chinese festival seasonality
(`seasons.py`), a bilingual catalogue and Chinese cities (`catalog.py`),
campaigns with two A/B tests whose truth is known (`campaigns.py`) and
template reviews (`reviews.py`). `generate_demo_data` writes it all in one
transaction; `hidden_personas` gives the ground truth, never stored.
"""

from knowledge.demo.generate import DEMO_END_DATE, DemoSummary, generate_demo_data
from knowledge.demo.personas import PERSONA_NAMES, hidden_personas

__all__ = ["DEMO_END_DATE", "PERSONA_NAMES", "DemoSummary", "generate_demo_data", "hidden_personas"]
