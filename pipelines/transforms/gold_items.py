"""GOLD item figures: per item and day, the click funnel joined to what was ordered."""

from datetime import date

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from pipelines.transforms.common import conform, count_where, money_sum, on_days, rate
from pipelines.transforms.schemas import FOOD_ITEM_PERFORMANCE

_DESCRIPTION = ("ITEM_NAME", "CATEGORY", "RESTAURANT_ID")


def food_item_performance(clicks: DataFrame, lines: DataFrame, day: date) -> DataFrame:
    """GOLD.FOOD_ITEM_PERFORMANCE from SILVER.CLICKS_CLEAN and SILVER.ORDER_LINES."""
    valid_clicks = clicks.filter(
        on_days(F.col("EVENT_DATE"), day) & F.col("IS_VALID") & F.col("ITEM_ID").isNotNull()
    )
    kind = F.col("CLICK_TYPE")
    # Two steps: first() over text makes Spark sort every click (sort-based aggregation), so the
    # clicks are counted per item and description by hashing, and only those few rows are folded.
    counted = valid_clicks.groupBy("EVENT_DATE", "ITEM_ID", *_DESCRIPTION).agg(
        count_where(kind == "impression").alias("IMPRESSIONS"),
        count_where(kind == "click").alias("CLICKS"),
        count_where(kind == "add_to_cart").alias("ADD_TO_CARTS"),
    )
    engagement = counted.groupBy("EVENT_DATE", "ITEM_ID").agg(
        *[F.sum(c).alias(c) for c in ("IMPRESSIONS", "CLICKS", "ADD_TO_CARTS")],
        *[F.first(c, ignorenulls=True).alias(f"_C_{c}") for c in _DESCRIPTION],
    )
    valid_lines = lines.filter(on_days(F.col("ORDER_DATE"), day) & F.col("IS_VALID"))
    sales = valid_lines.groupBy("ORDER_DATE", "ITEM_ID").agg(
        F.countDistinct("ORDER_ID").alias("ORDERS"),
        F.sum("QUANTITY").alias("QUANTITY"),
        money_sum(F.col("LINE_TOTAL")).alias("REVENUE"),
        *[F.first(c, ignorenulls=True).alias(f"_O_{c}") for c in _DESCRIPTION],
    )
    joined = engagement.join(sales, on="ITEM_ID", how="full_outer")
    counts = ("IMPRESSIONS", "CLICKS", "ADD_TO_CARTS", "ORDERS", "QUANTITY")
    filled = joined.fillna(0, subset=list(counts)).withColumns(
        {c: F.coalesce(f"_C_{c}", f"_O_{c}") for c in _DESCRIPTION}
    )
    return conform(
        filled.withColumns(
            {
                # Both dates are the day; grouped by, they spare the code a date literal.
                "METRIC_DATE": F.coalesce("EVENT_DATE", "ORDER_DATE"),
                "REVENUE": F.coalesce(F.col("REVENUE"), F.lit(0)),
                "CTR": rate(F.col("CLICKS"), F.col("IMPRESSIONS")),
                "CONVERSION_RATE": rate(F.col("ORDERS"), F.col("CLICKS")),
            }
        ),
        FOOD_ITEM_PERFORMANCE,
    )
