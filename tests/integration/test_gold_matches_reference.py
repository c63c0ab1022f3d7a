"""Every GOLD table from the Spark transforms equals an independent DuckDB implementation of
docs/metrics.md, over several generated days with duplicates, invalid and late events."""

from datetime import date, timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from pyspark.sql import DataFrame, SparkSession

from pipelines.transforms import (
    GOLD_TABLES,
    Silver,
    build_gold,
    clicks_clean,
    order_events,
    order_lines,
    orders_clean,
    user_first_orders,
)
from tests.reference.compare import differences
from tests.reference.duckdb_gold import reference_gold
from tests.support.bronze_datagen import Mix, generate_days, load_catalog, prior_first_orders
from tests.support.spark import local_spark

pytestmark = pytest.mark.spark

START, DAYS, SEED = date(2026, 11, 20), 3, 20261120
MIX = Mix(clicks_per_day=3_000)


@pytest.fixture(scope="module")
def generated() -> dict[str, pa.Table]:
    catalog = load_catalog()
    bronze = generate_days(START, DAYS, catalog, MIX, SEED)
    return {
        "bronze_orders": bronze.orders,
        "bronze_clicks": bronze.clicks,
        "restaurants": catalog.restaurants,
        "items": catalog.items,
        "prior_first_orders": prior_first_orders(START, MIX, SEED),
    }


def _between(table: pa.Table, first: date, last: date) -> pa.Table:
    day = table["EVENT_DATE"]
    return table.filter(pc.and_(pc.greater_equal(day, first), pc.less_equal(day, last)))


def spark_gold(spark: SparkSession, inputs: dict[str, pa.Table]) -> dict[str, list[dict]]:
    """Day by day, as the pipeline runs: D's extraction window, SILVER (cached, as the jobs keep
    it in the lake), then GOLD; the first orders of earlier days feed the next day."""
    frame = {name: spark.createDataFrame(table) for name, table in inputs.items()}
    firsts: DataFrame = frame["prior_first_orders"]
    gold: dict[str, DataFrame] = {}
    for day in (START + timedelta(days=n) for n in range(DAYS)):
        silver = _silver(spark, inputs, frame, firsts, day)
        for name, table in build_gold(silver, firsts, day).items():
            gold[name] = table if name not in gold else gold[name].unionByName(table)
        firsts = firsts.unionByName(silver.user_first_orders)
    return {name: [row.asDict() for row in table.collect()] for name, table in gold.items()}


def _silver(
    spark: SparkSession,
    inputs: dict[str, pa.Table],
    frame: dict[str, DataFrame],
    firsts: DataFrame,
    day: date,
) -> Silver:
    window = _between(inputs["bronze_orders"], day, day + timedelta(days=1))
    events = order_events(spark.createDataFrame(window), day).cache()
    shops, items = frame["restaurants"], frame["items"]
    orders = orders_clean(events, shops, items, firsts, day).cache()
    return Silver(
        orders_clean=orders,
        order_lines=order_lines(events, items, orders, day).cache(),
        # Checkpointed: the next day's plan starts here instead of replaying every earlier day.
        user_first_orders=user_first_orders(orders).localCheckpoint(),
        clicks_clean=clicks_clean(frame["bronze_clicks"], shops, items, day).cache(),
    )


def test_every_gold_table_matches_the_independent_duckdb_implementation(
    generated: dict[str, pa.Table],
) -> None:
    days = [START + timedelta(days=n) for n in range(DAYS)]
    reference = reference_gold(generated, days)
    ours = spark_gold(local_spark(), generated)
    problems: list[str] = []
    for spec in GOLD_TABLES:
        theirs = reference[spec.name].select(spec.columns).to_pylist()
        assert ours[spec.name], f"{spec.name} is empty: the comparison would prove nothing"
        problems += differences(spec.name, (spec.day_column, *spec.key), ours[spec.name], theirs)
    assert not problems, "\n".join(problems[:40])


def test_the_generated_days_hold_every_kind_of_anomaly(generated: dict[str, pa.Table]) -> None:
    orders = generated["bronze_orders"]
    ids = orders["INGESTION_ID"]
    assert len(pc.unique(ids)) < len(ids), "duplicate deliveries"
    versions = pc.binary_join_element_wise(
        orders["AGGREGATE_ID"], pc.cast(orders["AGGREGATE_VERSION"], pa.string()), ":"
    )
    assert len(pc.unique(versions)) < len(pc.unique(ids)), "replays under new ids"
    late = pc.greater(pc.cast(orders["INGESTED_AT"], pa.date32()), orders["EVENT_DATE"])
    assert pc.sum(late).as_py() > 0, "late events"
    payloads = generated["bronze_clicks"]["PAYLOAD"]
    assert pc.sum(pc.equal(payloads, "not json")).as_py() > 0, "invalid clicks"
