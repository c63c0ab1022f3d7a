"""Catalog reference data (data/restaurants.json, data/food_items.json) conformed to the columns
the SILVER transforms join on (schemas.RESTAURANT_COLUMNS, schemas.ITEM_COLUMNS)."""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from pipelines.transforms.schemas import MONEY


def catalog_restaurants(raw: DataFrame) -> DataFrame:
    """From rows with restaurant_id, name, city, cuisines (list): the first cuisine is primary."""
    return raw.select(
        F.col("restaurant_id").alias("RESTAURANT_ID"),
        F.col("name").alias("RESTAURANT_NAME"),
        F.col("city").alias("CITY"),
        F.element_at("cuisines", 1).alias("CUISINE"),
    )


def catalog_items(raw: DataFrame) -> DataFrame:
    """From rows with item_id, restaurant_id, name, category, cuisine, is_veg, price (text)."""
    return raw.select(
        F.col("item_id").alias("ITEM_ID"),
        F.col("restaurant_id").alias("RESTAURANT_ID"),
        F.col("name").alias("ITEM_NAME"),
        F.col("category").alias("CATEGORY"),
        F.col("cuisine").alias("CUISINE"),
        F.col("is_veg").cast("boolean").alias("IS_VEG"),
        F.col("price").cast("string").try_cast(MONEY).alias("PRICE"),
    )
