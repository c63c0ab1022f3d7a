"""Small DataFrames from rows held in Python (the catalog, an empty table), built from Arrow."""

from collections.abc import Sequence

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.pandas.types import to_arrow_schema
from pyspark.sql.types import StructType

from pipelines.jobs.tables import Row


def local_frame(spark: SparkSession, rows: Sequence[Row], schema: StructType) -> DataFrame:
    """`rows` (keyed by the schema's column names) as a DataFrame of `schema`.

    From Arrow, not from Python rows: those make a Python RDD, and every job that reads it (each
    broadcast of the catalog, several a day) starts Python workers to unpickle it, ~0.2 s each."""
    table = pa.Table.from_pylist(
        [{name: row[name] for name in schema.names} for row in rows],
        schema=to_arrow_schema(schema),
    )
    return spark.createDataFrame(table, schema)
