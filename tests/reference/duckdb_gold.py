"""Independent reference: every GOLD table of docs/metrics.md computed with DuckDB SQL
(silver.sql, gold.sql) from BRONZE Arrow tables, for comparison with the Spark transforms."""

from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

SQL_DIR = Path(__file__).parent
GOLD_TABLES = (
    "DAILY_GMV_METRICS",
    "FOOD_ITEM_PERFORMANCE",
    "USER_FUNNEL_METRICS",
    "HOURLY_ORDER_PATTERNS",
    "USER_COHORT_METRICS",
)


def reference_gold(
    inputs: dict[str, pa.Table], days: list[date], threads: int | None = None
) -> dict[str, pa.Table]:
    """GOLD for `days` from `inputs`: bronze_orders, bronze_clicks, restaurants, items,
    prior_first_orders (Arrow tables with the documented columns). Keys: `GOLD.<TABLE>`."""
    con = duckdb.connect()
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        for name, table in inputs.items():
            con.register(name, table)
        con.register("days", pa.table({"METRIC_DATE": pa.array(days, pa.date32())}))
        for script in ("silver.sql", "gold.sql"):
            con.execute((SQL_DIR / script).read_text())
        return {f"GOLD.{t}": con.table(t.lower()).to_arrow_table() for t in GOLD_TABLES}
    finally:
        con.close()
