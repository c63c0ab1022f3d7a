"""Catalog rows become DataFrames through Arrow: same values and types, no Python workers."""

from datetime import date
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession

from pipelines.jobs.catalog import ITEM_SCHEMA, RESTAURANT_SCHEMA, CatalogRows
from pipelines.jobs.lake import Lake
from pipelines.transforms.schemas import ITEM_COLUMNS, RESTAURANT_COLUMNS, USER_FIRST_ORDERS
from tests.unit.transforms.rows import ITEMS, RESTAURANTS

CATALOG = CatalogRows(
    restaurants=[dict(zip(RESTAURANT_COLUMNS, row, strict=True)) for row in RESTAURANTS],
    items=[
        *(dict(zip(ITEM_COLUMNS, row, strict=True)) for row in ITEMS),
        # Unknown fields stay NULL, as the catalog files allow.
        {c: ("i9" if c == "ITEM_ID" else None) for c in ITEM_COLUMNS},
    ],
)


def _lineage(frame: DataFrame) -> str:
    return str(frame._jdf.queryExecution().toRdd().toDebugString())


def test_catalog_frames_keep_every_value_and_type(spark: SparkSession) -> None:
    shops, items = CATALOG.frames(spark)
    assert shops.schema == RESTAURANT_SCHEMA
    assert items.schema == ITEM_SCHEMA
    assert sorted(tuple(r) for r in shops.collect()) == sorted(RESTAURANTS)
    assert sorted(tuple(r) for r in items.collect()) == sorted(
        [*ITEMS, ("i9", None, None, None, None, None, None)]
    )


def test_catalog_frames_need_no_python_workers(spark: SparkSession) -> None:
    # A frame made from Python rows is a PythonRDD: each broadcast of it started Python workers.
    assert "PythonRDD" in _lineage(spark.createDataFrame(RESTAURANTS, RESTAURANT_SCHEMA))
    for frame in CATALOG.frames(spark):
        assert "PythonRDD" not in _lineage(frame)


def test_no_earlier_days_read_as_an_empty_table(spark: SparkSession, tmp_path: Path) -> None:
    spec = USER_FIRST_ORDERS
    empty = Lake(tmp_path).read_days_before(spark, spec.name, date(2026, 11, 20), spec.schema)
    assert empty.schema == spec.schema
    assert empty.count() == 0
    assert "PythonRDD" not in _lineage(empty)
