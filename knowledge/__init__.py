"""What the copilot knows: the store, the semantic model, demo data and importers."""
