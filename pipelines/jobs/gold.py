"""Gold job: one GOLD table for day D from D's SILVER tables in the lake."""

from datetime import date

from pyspark.sql import SparkSession

from pipelines.jobs.lake import Lake
from pipelines.jobs.result import JobResult
from pipelines.jobs.silver import SILVER_SPECS, prior_first_orders, read_silver
from pipelines.transforms.build import gold_table
from pipelines.transforms.schemas import GOLD_TABLES

GOLD_NAMES = tuple(spec.name for spec in GOLD_TABLES)


def build_gold_day(spark: SparkSession, lake: Lake, table: str, day: date) -> JobResult:
    """Build `table` (e.g. GOLD.DAILY_GMV_METRICS), and only its plan."""
    if table not in GOLD_NAMES:
        raise ValueError(f"not a GOLD table: {table}")
    silver = read_silver(spark, lake, day)
    frame = gold_table(silver, prior_first_orders(spark, lake, day), day, table)
    rows_out = lake.write_frame(table, day, frame)
    rows_in = sum(lake.count(spec.name, day) for spec in SILVER_SPECS)
    return JobResult(rows_in=rows_in, rows_out=rows_out)
