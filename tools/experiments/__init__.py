"""A/B-test building blocks: variant counts from the store and the statistics of proportions."""
