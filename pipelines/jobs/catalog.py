"""Catalog rows (restaurants, items) as the DataFrames the transforms join against."""

from collections.abc import Sequence
from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import BooleanType, StringType, StructField, StructType

from pipelines.jobs.local_frames import local_frame
from pipelines.jobs.tables import Row
from pipelines.transforms.schemas import ITEM_COLUMNS, MONEY, RESTAURANT_COLUMNS

RESTAURANT_SCHEMA = StructType(
    [StructField(name, StringType(), True) for name in RESTAURANT_COLUMNS]
)
_ITEM_TYPES = {"IS_VEG": BooleanType(), "PRICE": MONEY}
ITEM_SCHEMA = StructType(
    [StructField(name, _ITEM_TYPES.get(name, StringType()), True) for name in ITEM_COLUMNS]
)


@dataclass(frozen=True)
class CatalogRows:
    """Plain rows keyed by the transforms' catalog columns (RESTAURANT_COLUMNS, ITEM_COLUMNS)."""

    restaurants: Sequence[Row]
    items: Sequence[Row]

    def frames(self, spark: SparkSession) -> tuple[DataFrame, DataFrame]:
        return (
            local_frame(spark, self.restaurants, RESTAURANT_SCHEMA),
            local_frame(spark, self.items, ITEM_SCHEMA),
        )
