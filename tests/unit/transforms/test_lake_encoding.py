"""The lake writes near-unique SILVER columns without a Parquet dictionary, the others with one,
and reads the same rows back."""

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pyspark.sql import Column, SparkSession
from pyspark.sql import functions as F

from pipelines.jobs.lake import PLAIN_COLUMNS, Lake
from pipelines.transforms.schemas import CLICKS_CLEAN
from tests.unit.transforms.rows import DAY

pytestmark = pytest.mark.spark


def dictionary_columns(directory: Path) -> dict[str, bool]:
    """Column name -> whether any of the day's files stores it with a dictionary page."""
    found: dict[str, bool] = {}
    for path in directory.glob("*.parquet"):
        meta = pq.ParquetFile(path).metadata
        for group in range(meta.num_row_groups):
            for index in range(meta.num_columns):
                chunk = meta.row_group(group).column(index)
                name = chunk.path_in_schema
                found[name] = found.get(name, False) or chunk.has_dictionary_page
    return found


def _repeating(kind: str) -> Column:
    row = F.col("id") % 3
    if kind == "string":
        return F.concat(F.lit("v-"), row.cast("string"))
    if kind == "date":
        return F.date_add(F.lit(DAY), row.cast("int"))
    if kind == "timestamp_ntz":
        return F.timestamp_seconds(row).cast("timestamp_ntz")
    if kind == "boolean":
        return row % 2 == 0
    return row.cast(kind)


def test_clicks_ids_and_timestamps_are_written_without_a_dictionary(
    spark: SparkSession, tmp_path: Path
) -> None:
    lake = Lake(tmp_path)
    plain = set(PLAIN_COLUMNS[CLICKS_CLEAN.name])
    # Every column repeats a few values, where a dictionary pays, except booleans (Parquet never
    # gives those one): only the configured columns may be written without.
    fields = CLICKS_CLEAN.schema.fields
    rows = spark.range(300).select(
        *[_repeating(f.dataType.simpleString()).alias(f.name) for f in fields]
    )
    assert lake.write_frame(CLICKS_CLEAN.name, DAY, rows) == 300

    encoded = dictionary_columns(lake.day_dir(CLICKS_CLEAN.name, DAY))
    booleans = {f.name for f in fields if f.dataType.simpleString() == "boolean"}
    assert {name for name, has_dictionary in encoded.items() if not has_dictionary} == (
        plain | booleans
    )
    read = lake.read_day(spark, CLICKS_CLEAN.name, DAY, CLICKS_CLEAN.schema)
    assert read.count() == 300
