"""Free SQL over the store: `run_sql` (one read-only SELECT) and `describe_data` (the schema)."""

from tools.sql.describe import describe_data
from tools.sql.run import run_sql

__all__ = ["describe_data", "run_sql"]
