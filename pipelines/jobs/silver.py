"""Silver job: the day's extracted BRONZE rows and the catalog -> SILVER tables in the lake."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from pyspark.sql import DataFrame, SparkSession

from pipelines.jobs.catalog import CatalogRows
from pipelines.jobs.lake import Lake
from pipelines.jobs.result import JobResult
from pipelines.transforms.build import Silver
from pipelines.transforms.clicks import clicks_clean
from pipelines.transforms.orders import (
    order_events,
    order_lines,
    orders_clean,
    placed_orders,
    user_first_orders,
)
from pipelines.transforms.schemas import CLICKS_CLEAN, ORDER_LINES, ORDERS_CLEAN, USER_FIRST_ORDERS

SILVER_SPECS = (ORDERS_CLEAN, ORDER_LINES, USER_FIRST_ORDERS, CLICKS_CLEAN)


def prior_first_orders(spark: SparkSession, lake: Lake, day: date) -> DataFrame:
    """Users' first orders from the days before `day`, as built so far (docs/metrics.md)."""
    return lake.read_days_before(spark, USER_FIRST_ORDERS.name, day, USER_FIRST_ORDERS.schema)


def build_silver_day(spark: SparkSession, lake: Lake, catalog: CatalogRows, day: date) -> JobResult:
    restaurants, items = catalog.frames(spark)
    clicks = clicks_clean(_bronze(spark, lake, "CLICKS_RAW", day), restaurants, items, day)
    # The clicks and the orders are independent: writing the clicks from a second thread keeps
    # both cores busy while the orders chain waits on its driver-side steps and small stages.
    with ThreadPoolExecutor(max_workers=1) as pool:
        clicks_written = pool.submit(lake.write_frame, CLICKS_CLEAN.name, day, clicks)
        written = _write_orders(spark, lake, restaurants, items, day)
        written += clicks_written.result()
    rows_in = lake.count("BRONZE.ORDERS_RAW", day) + lake.count("BRONZE.CLICKS_RAW", day)
    return JobResult(rows_in=rows_in, rows_out=written)


def _write_orders(
    spark: SparkSession, lake: Lake, restaurants: DataFrame, items: DataFrame, day: date
) -> int:
    """ORDERS_CLEAN, ORDER_LINES and USER_FIRST_ORDERS; returns the rows written."""
    events = order_events(_bronze(spark, lake, "ORDERS_RAW", day), day)
    # ORDERS_CLEAN and ORDER_LINES both start from the day's orders (one row each, with its
    # lines): cached, the events are deduplicated, parsed and aggregated once, and the cache
    # holds a quarter of the rows the parsed events would.
    placed = placed_orders(events, day).cache()
    try:
        orders = orders_clean(events, restaurants, items, prior_first_orders(spark, lake, day), day)
        # ORDERS_CLEAN feeds ORDER_LINES and USER_FIRST_ORDERS: write it once and read it back
        # instead of letting Spark recompute it for each.
        written = lake.write_frame(ORDERS_CLEAN.name, day, orders)
        stored = lake.read_day(spark, ORDERS_CLEAN.name, day, ORDERS_CLEAN.schema)
        lines = order_lines(events, items, stored, day)
        written += lake.write_frame(ORDER_LINES.name, day, lines)
        written += lake.write_frame(USER_FIRST_ORDERS.name, day, user_first_orders(stored))
    finally:
        placed.unpersist()
    return written


def read_silver(spark: SparkSession, lake: Lake, day: date) -> Silver:
    """The day's SILVER tables back from the lake, for the GOLD jobs."""
    return Silver(*(lake.read_day(spark, spec.name, day, spec.schema) for spec in SILVER_SPECS))


def _bronze(spark: SparkSession, lake: Lake, source: str, day: date) -> DataFrame:
    return spark.read.parquet(lake.spark_path(lake.day_dir(f"BRONZE.{source}", day)))
