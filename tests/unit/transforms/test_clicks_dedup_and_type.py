"""SILVER.CLICKS_CLEAN edge cases of its deduplication (dedup_scattered) and of CLICK_TYPE."""

from typing import Any

import pytest
from pyspark.sql import DataFrame, SparkSession

from pipelines.transforms.clicks import clicks_clean
from tests.unit.transforms.rows import DAY, at, bronze, bronze_row, click

pytestmark = pytest.mark.spark


def clean(spark: SparkSession, catalog: tuple[DataFrame, DataFrame], rows: list) -> list[Any]:
    shops, items = catalog
    built = clicks_clean(bronze(spark, rows), shops, items, DAY).collect()
    return sorted(built, key=lambda row: row.EVENT_ID)


def test_the_earliest_ingested_copy_of_a_replayed_click_wins(
    spark: SparkSession, catalog: tuple[DataFrame, DataFrame]
) -> None:
    when = at("10:00")
    rows = [
        click("click", "s1", 1, when, ingestion_id="b-late", ingested_at=at("10:09")),
        click("click", "s1", 1, when, ingestion_id="c-first", ingested_at=at("10:01")),
        click("click", "s1", 1, when, ingestion_id="a-mid", ingested_at=at("10:05")),
        # Same INGESTED_AT: the smaller INGESTION_ID wins.
        click("click", "s2", 1, when, ingestion_id="z-tie", ingested_at=at("10:01")),
        click("click", "s2", 1, when, ingestion_id="y-tie", ingested_at=at("10:01")),
        # Exact copies, delivered three times.
        *[click("click", "s3", 1, when, ingestion_id="same", ingested_at=at("10:02"))] * 3,
        # Another version of s1's aggregate is another event.
        click("add_to_cart", "s1", 2, when, ingestion_id="d-v2", quantity=1),
    ]
    assert [row.EVENT_ID for row in clean(spark, catalog, rows)] == [
        "c-first",
        "d-v2",
        "same",
        "y-tie",
    ]


def test_click_type_drops_only_a_leading_click_prefix(
    spark: SparkSession, catalog: tuple[DataFrame, DataFrame]
) -> None:
    payload = {"session_id": "s", "item_id": "i1", "restaurant_id": "r1"}
    types = ["click.click", "click.", "clickclick", "impression", "page.click.view", "click.é"]
    rows = [
        bronze_row(t, f"agg-{n}", 1, at("12:00"), payload, ingestion_id=f"e{n}")
        for n, t in enumerate(types)
    ]
    assert [row.CLICK_TYPE for row in clean(spark, catalog, rows)] == [
        "click",
        "",
        "clickclick",
        "impression",
        "page.click.view",
        "é",
    ]
