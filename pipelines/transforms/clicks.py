"""SILVER clicks: one deduplicated, validated, catalog-enriched row per click event of the day."""

from datetime import date

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from pipelines.transforms.common import conform, on_days
from pipelines.transforms.events import CLICK_FIELDS, dedup_scattered, parse_fields
from pipelines.transforms.schemas import CLICKS_CLEAN

CLICK_TYPES = ("impression", "click", "add_to_cart", "remove_from_cart", "checkout_started")
ITEM_LEVEL = ("impression", "click", "add_to_cart", "remove_from_cart")
CART_TYPES = ("add_to_cart", "remove_from_cart")
TYPE_PREFIX = "click."


def clicks_clean(
    bronze_clicks: DataFrame, restaurants: DataFrame, items: DataFrame, day: date
) -> DataFrame:
    """SILVER.CLICKS_CLEAN for `day` from BRONZE.CLICKS_RAW rows (any superset of the day)."""
    todays = bronze_clicks.filter(on_days(F.col("EVENT_DATE").cast("date"), day))
    events = parse_fields(dedup_scattered(todays), CLICK_FIELDS)
    catalog_items = items.select(
        "ITEM_ID",
        F.col("RESTAURANT_ID").alias("ITEM_RESTAURANT_ID"),
        "ITEM_NAME",
        "CATEGORY",
    )
    shops = restaurants.select(
        "RESTAURANT_ID", "RESTAURANT_NAME", "CITY", F.lit(True).alias("_KNOWN_SHOP")
    )
    enriched = (
        _columns(events)
        .join(F.broadcast(catalog_items), on="ITEM_ID", how="left")
        .join(F.broadcast(shops), on="RESTAURANT_ID", how="left")
    )
    checked = enriched.withColumn("INVALID_REASON", _invalid_reason())
    return conform(
        checked.withColumns(
            {
                "IS_VALID": F.col("INVALID_REASON").isNull(),
                # Catalog item fields only describe item-level events.
                "ITEM_NAME": F.when(_item_level(), F.col("ITEM_NAME")),
                "CATEGORY": F.when(_item_level(), F.col("CATEGORY")),
            }
        ),
        CLICKS_CLEAN,
    )


def _columns(events: DataFrame) -> DataFrame:
    # The type without its prefix; a prefix test and a substring cost a fraction of a regular
    # expression (which decodes each value to a Java string and back).
    event_type = F.col("EVENT_TYPE")
    rest = event_type.substr(F.lit(len(TYPE_PREFIX) + 1), F.length(event_type))
    click_type = F.when(event_type.startswith(TYPE_PREFIX), rest).otherwise(event_type)
    is_cart = click_type.isin(*CART_TYPES)
    quantity = F.coalesce(F.col("P_quantity").try_cast("bigint"), F.lit(1))
    return events.select(
        F.col("INGESTION_ID").alias("EVENT_ID"),
        "EVENT_DATE",
        "EVENT_TIME",
        "RECEIVED_AT",
        "INGESTED_AT",
        F.hour("EVENT_TIME").alias("EVENT_HOUR"),
        "EVENT_TYPE",
        click_type.alias("CLICK_TYPE"),
        F.col("P_session_id").alias("SESSION_ID"),
        F.col("P_user_id").alias("USER_ID"),
        F.col("P_item_id").alias("ITEM_ID"),
        F.col("P_restaurant_id").alias("RESTAURANT_ID"),
        F.col("P_page").alias("PAGE"),
        F.col("P_position").try_cast("int").alias("POSITION"),
        F.when(is_cart, quantity).alias("QUANTITY"),
    )


def _item_level() -> Column:
    return F.col("CLICK_TYPE").isin(*ITEM_LEVEL)


def _invalid_reason() -> Column:
    known_type = F.col("EVENT_TYPE").isin(*[TYPE_PREFIX + t for t in CLICK_TYPES])
    item_level = _item_level()
    foreign = F.col("ITEM_RESTAURANT_ID") != F.col("RESTAURANT_ID")
    return (
        F.when(~known_type, "UNKNOWN_EVENT_TYPE")
        .when(F.col("SESSION_ID").isNull(), "MALFORMED_PAYLOAD")
        .when(item_level & F.col("ITEM_ID").isNull(), "MISSING_ITEM")
        .when(item_level & F.col("ITEM_RESTAURANT_ID").isNull(), "UNKNOWN_ITEM")
        .when(F.col("_KNOWN_SHOP").isNull(), "UNKNOWN_RESTAURANT")
        .when(item_level & foreign, "ITEM_NOT_IN_RESTAURANT")
        .when(F.col("QUANTITY") < 1, "BAD_QUANTITY")
    )
