"""Day filters reach Spark's generated code by reference, so a long-running process building the
next day reuses the classes it compiled for the day before (pipelines/transforms/common.py)."""

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from pipelines.transforms.build import build_silver, gold_table
from pipelines.transforms.clicks import clicks_clean
from pipelines.transforms.common import on_days
from pipelines.transforms.orders import order_events, placed_orders
from tests.unit.transforms.rows import (
    DAY,
    at,
    bronze,
    click,
    line,
    no_first_orders,
    placed,
    status,
)

pytestmark = pytest.mark.spark

NEXT = DAY + timedelta(days=1)


@pytest.fixture
def whole_stage(spark: SparkSession) -> Iterator[None]:
    """Production runs whole-stage code generation; the test session turns it off."""
    key = "spark.sql.codegen.wholeStage"
    before = spark.conf.get(key)
    spark.conf.set(key, "true")
    yield
    spark.conf.set(key, before)


def compiled(spark: SparkSession, build: Callable[[], DataFrame]) -> tuple[int, list]:
    """Classes Spark compiled (cache misses) while building and collecting the frame."""
    metrics = spark._jvm.org.apache.spark.metrics.source.CodegenMetrics  # type: ignore[union-attr]
    before = metrics.METRIC_COMPILATION_TIME().getCount()
    rows = build().collect()
    return metrics.METRIC_COMPILATION_TIME().getCount() - before, rows


def test_on_days_keeps_exactly_the_listed_days(spark: SparkSession) -> None:
    days = [DAY - timedelta(days=1), DAY, NEXT, None]
    frame = spark.createDataFrame([(d,) for d in days], "D date")
    assert frame.filter(on_days(F.col("D"), DAY, NEXT)).collect() == [(DAY,), (NEXT,)]


def test_a_date_literal_compiles_anew_for_every_day(spark: SparkSession, whole_stage: None) -> None:
    """The cost on_days avoids: this is why the transforms do not compare with F.lit(day)."""
    frame = spark.createDataFrame([(DAY,), (NEXT,)], "D date")
    compiled(spark, lambda: frame.filter(F.col("D") == F.lit(DAY)))
    fresh, rows = compiled(spark, lambda: frame.filter(F.col("D") == F.lit(NEXT)))
    assert fresh > 0
    assert rows == [(NEXT,)]


def two_days_of_clicks(spark: SparkSession) -> DataFrame:
    rows = [
        click(kind, f"s{n}-{day}", 1, at(f"1{n}:00", day), quantity=1)
        for day in (DAY, NEXT)
        for n, kind in enumerate(("impression", "click", "add_to_cart"))
    ]
    return bronze(spark, rows)


def test_the_next_days_clicks_compile_nothing_new(
    spark: SparkSession, catalog: tuple[DataFrame, DataFrame], whole_stage: None
) -> None:
    shops, items = catalog
    clicks = two_days_of_clicks(spark)
    compiled(spark, lambda: clicks_clean(clicks, shops, items, DAY))
    fresh, rows = compiled(spark, lambda: clicks_clean(clicks, shops, items, NEXT))
    assert fresh == 0
    assert {row.EVENT_DATE for row in rows} == {NEXT}
    assert len(rows) == 3


def test_the_next_days_orders_compile_nothing_new(spark: SparkSession, whole_stage: None) -> None:
    rows = []
    for day in (DAY, NEXT):
        order = f"o-{day}"
        rows += [
            placed(order, at("23:58", day), lines=[line("i1", "120.00", 2)]),
            status(order, "delivered", 2, at("00:20", day + timedelta(days=1))),
        ]
    events = bronze(spark, rows)

    def orders(day: date) -> DataFrame:
        return placed_orders(order_events(events, day), day)

    compiled(spark, lambda: orders(DAY))
    fresh, built = compiled(spark, lambda: orders(NEXT))
    assert fresh == 0
    assert [(row.ORDER_ID, row.STATUS) for row in built] == [(f"o-{NEXT}", "delivered")]


def two_days_of_orders(spark: SparkSession) -> DataFrame:
    rows = []
    for day in (DAY, NEXT):
        for user in ("u1", "u2"):
            order = f"o-{user}-{day}"
            rows += [
                placed(order, at("12:00", day), user=user, lines=[line("i1", "120.00", 2)]),
                status(order, "delivered", 2, at("12:40", day)),
            ]
    return bronze(spark, rows)


# The two one-row tables name the day even when it has no orders, so they keep a date literal.
@pytest.mark.parametrize(
    "table",
    ["GOLD.FOOD_ITEM_PERFORMANCE", "GOLD.HOURLY_ORDER_PATTERNS", "GOLD.USER_COHORT_METRICS"],
)
def test_the_next_days_silver_and_gold_compile_nothing_new(
    spark: SparkSession, catalog: tuple[DataFrame, DataFrame], whole_stage: None, table: str
) -> None:
    shops, items = catalog
    prior = no_first_orders(spark)
    orders, clicks = two_days_of_orders(spark), two_days_of_clicks(spark)

    def gold(day: date) -> DataFrame:
        silver = build_silver(orders, clicks, shops, items, prior_first_orders=prior, day=day)
        return gold_table(silver, prior, day, table)

    built, _ = compiled(spark, lambda: gold(DAY))
    fresh, rows = compiled(spark, lambda: gold(NEXT))
    assert built > 0
    assert fresh == 0
    assert rows
    assert {row.METRIC_DATE for row in rows} == {NEXT}
