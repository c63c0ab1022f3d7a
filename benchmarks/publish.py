"""Batch publish step: wall time of `SnowflakeTables.publish` replacing one day's SILVER and GOLD
rows (a day of --clicks click events: CLICKS_CLEAN that size, orders a tenth) in fakesnow
in-process, first build and rebuild, plus the GOLD read-back publish does for restatements.
The baseline is the same rows staged by the same stager into plain temporary tables, same run.

Usage: python -m benchmarks.publish [--quick] [--clicks 100000] [--repeat 3]
"""

import argparse
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from adapters.snowflake.connection import EmbeddedFakesnow
from adapters.snowflake.staging import FakesnowPandasStager
from adapters.snowflake.tables import SnowflakeTables
from pipelines.jobs.tables import DayRows
from pipelines.transforms.schemas import GOLD_TABLES, SILVER_TABLES, TableSpec

DAY = date(2026, 11, 20)
SHARE = {"SILVER.CLICKS_CLEAN": 1.0, "SILVER.ORDERS_CLEAN": 0.1, "SILVER.ORDER_LINES": 0.25,
         "SILVER.USER_FIRST_ORDERS": 0.02, "GOLD.FOOD_ITEM_PERFORMANCE": 0.005,
         "GOLD.USER_COHORT_METRICS": 0.0003, "GOLD.HOURLY_ORDER_PATTERNS": 0.00024}  # fmt: skip


def _value(type_name: str, i: int) -> Any:
    at = datetime(2026, 11, 20) + timedelta(seconds=i % 86_400)
    values = {"StringType()": f"v{i}", "DateType()": DAY, "TimestampNTZType()": at,
              "LongType()": i, "IntegerType()": i % 24, "DoubleType()": 0.25,
              "BooleanType()": True, "DecimalType(18,2)": Decimal("12.50")}  # fmt: skip
    return values[type_name]


def day_rows(spec: TableSpec, clicks: int) -> DayRows:
    count = max(1, int(clicks * SHARE.get(spec.name, 0)))
    types = [(f.name, repr(f.dataType)) for f in spec.schema.fields]
    rows = [{name: _value(t, i) for name, t in types} for i in range(count)]
    return DayRows(spec.name, spec.day_column, tuple(spec.columns), rows)


def publish_seconds(tables: SnowflakeTables, batches: list[DayRows]) -> float:
    started = time.perf_counter()
    for spec in GOLD_TABLES:  # publish_day reads the stored GOLD day to find restatements
        tables.read_rows(spec.name, spec.day_column, DAY, DAY)
    tables.publish(DAY, replace=batches, append=[])
    return time.perf_counter() - started


def baseline_seconds(embedded: EmbeddedFakesnow, batches: list[DayRows]) -> float:
    connection = embedded.connect(schema="GOLD")
    stager = FakesnowPandasStager()
    cursor = connection.cursor()
    started = time.perf_counter()
    for n, batch in enumerate(batches):
        cursor.execute(f"CREATE TEMPORARY TABLE B{n} AS SELECT * FROM {batch.table} WHERE 1 = 0")
        rows = [tuple(row[c] for c in batch.columns) for row in batch.rows]
        stager.stage(connection, f"B{n}", batch.columns, rows)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clicks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    clicks = 20_000 if args.quick else args.clicks
    batches = [day_rows(spec, clicks) for spec in (*SILVER_TABLES, *GOLD_TABLES)]
    total = sum(len(b.rows) for b in batches)
    with tempfile.TemporaryDirectory() as tmp:
        embedded = EmbeddedFakesnow(Path(tmp) / "fs", database="BENCH")
        tables = SnowflakeTables(embedded.connect, FakesnowPandasStager())
        tables.init_schema()
        first = publish_seconds(tables, batches)
        again = sorted(publish_seconds(tables, batches) for _ in range(args.repeat))
        base = baseline_seconds(embedded, batches)
    median = again[len(again) // 2]
    print(
        f"publish {total:,} rows ({clicks:,} clicks): first build {first:.2f} s, rebuild "
        f"median {median:.2f} s (min {again[0]:.2f}); staging alone {base:.2f} s; "
        f"ratio {median / base:.2f}"
    )


if __name__ == "__main__":
    main()
